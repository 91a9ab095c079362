"""The CDK's standard source tests (spec, check, discover, read) against the M3 Wholesale sandbox."""

from airbyte_cdk.test.standard_tests import DeclarativeSourceTestSuite

from connector_testing import SandboxScenarios


class TestStandard(SandboxScenarios, DeclarativeSourceTestSuite):
    sandbox_supplier = "m3-wholesale"
