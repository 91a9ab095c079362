"""Fixtures for the NetXL tests. (pytest runs in importlib mode, where conftest modules are not
importable, so shared values are fixtures.)"""

from pathlib import Path

import pytest

from connector_testing import running_sandbox

API_KEY = "netxl_sandbox_key"


@pytest.fixture(scope="session")
def manifest() -> Path:
    return Path(__file__).resolve().parents[1] / "manifest.yaml"


@pytest.fixture(scope="session")
def api_key() -> str:
    return API_KEY


@pytest.fixture(scope="session")
def config_for():
    def make(server, **overrides):
        return {"api_key": API_KEY, "base_url": server.url, **overrides}

    return make


@pytest.fixture
def sandbox():
    with running_sandbox("netxl") as server:
        yield server

