"""The CDK's standard source suite (spec, check, discover, basic read) against the vidaXL sandbox."""

from airbyte_cdk.test.standard_tests.declarative_sources import DeclarativeSourceTestSuite

from connector_testing import SandboxScenarios


class TestStandard(SandboxScenarios, DeclarativeSourceTestSuite):
    sandbox_supplier = "vidaxl"
