"""The CDK's standard source tests (spec, check, discover, read) against the Yodify sandbox.

The suite's pytest hooks are a plugin the repo root registers (`conftest.py`). Where it is not
registered (this branch before it met main), this module parametrizes the scenarios itself and the
image options default to None; where it is, the module defers to it.
"""

import pytest
from airbyte_cdk.test.standard_tests import DeclarativeSourceTestSuite
from airbyte_cdk.test.standard_tests import pytest_hooks
from airbyte_cdk.test.standard_tests.pytest_hooks import read_from_streams  # noqa: F401 - a fixture

from connector_common.testing import SandboxScenarios


def _plugin_registered(config: pytest.Config) -> bool:
    manager = config.pluginmanager
    return manager.has_plugin(pytest_hooks.__name__) or manager.is_registered(pytest_hooks)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if not _plugin_registered(metafunc.config):
        pytest_hooks.pytest_generate_tests(metafunc)


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
