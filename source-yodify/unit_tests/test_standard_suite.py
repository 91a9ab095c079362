"""The CDK's standard source tests (spec, check, discover, read) against the Yodify sandbox.

The suite's pytest hooks are normally a plugin registered at the repo root; they are imported
here instead (pytest honours a module's own `pytest_generate_tests` and fixtures), and the two
image options the root does not register default to None.
"""

import pytest
from airbyte_cdk.test.standard_tests import DeclarativeSourceTestSuite
from airbyte_cdk.test.standard_tests.pytest_hooks import (  # noqa: F401 - used by pytest
    pytest_generate_tests,
    read_from_streams,
)

from connector_common.testing import SandboxScenarios


@pytest.fixture
def read_scenarios(request: pytest.FixtureRequest):
    # the sample config is integration_tests/sandbox_config.json, not the suite's default `config.json`
    return "all"


@pytest.fixture
def connector_image_override(request: pytest.FixtureRequest):
    return request.config.getoption("--connector-image", default=None)


@pytest.fixture
def connector_base_image_override(request: pytest.FixtureRequest):
    return request.config.getoption("--connector-base-image", default=None)


class TestStandard(SandboxScenarios, DeclarativeSourceTestSuite):
    sandbox_supplier = "yodify"
