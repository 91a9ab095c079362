"""The CDK's standard source tests (spec, check, discover, read) against the REC+ sandbox."""

from airbyte_cdk.test.standard_tests.declarative_sources import DeclarativeSourceTestSuite

from connector_testing import SandboxScenarios


class TestRecPlusStandard(SandboxScenarios, DeclarativeSourceTestSuite):
    sandbox_supplier = "rec-plus"
