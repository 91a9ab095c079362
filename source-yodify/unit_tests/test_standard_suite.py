"""The CDK's standard source tests (spec, check, discover, read) against the Yodify sandbox."""

import pytest
from airbyte_cdk.test.standard_tests import DeclarativeSourceTestSuite

from connector_testing import SandboxScenarios


class TestStandard(SandboxScenarios, DeclarativeSourceTestSuite):
    sandbox_supplier = "yodify"

    @pytest.fixture
    def read_scenarios(self):
        # the sample config is integration_tests/sandbox_config.json, not the suite's default `config.json`
        return "all"
