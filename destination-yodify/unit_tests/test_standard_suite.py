"""The CDK's standard destination suite (spec, check per acceptance-test-config.yml), against the sandbox."""

from airbyte_cdk.test.standard_tests.destination_base import DestinationTestSuiteBase

from connector_testing import SandboxScenarios


class TestStandard(SandboxScenarios, DestinationTestSuiteBase):
    sandbox_supplier = "yodify"
