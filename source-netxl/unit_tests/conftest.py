"""Fixtures for the NetXL tests. (pytest runs in importlib mode, where conftest modules are not
importable, so shared values are fixtures.) `source`, `manifest`, `config_for` and `sandbox` come
from connector_testing.fixtures, built from the registry."""

import pytest


@pytest.fixture(scope="module")
def api_key(source) -> str:
    return source.config("")["api_key"]
