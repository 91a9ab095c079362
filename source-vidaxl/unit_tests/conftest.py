"""Fixtures for the vidaXL tests. (Tests import nothing from here: pytest runs in importlib mode,
where conftest modules are not importable, so shared values are fixtures.)"""

from datetime import timedelta
from pathlib import Path

import pytest

from connector_testing import running_sandbox
from supplier_sandbox.apis.vidaxl import HISTORY_DAYS

EMAIL, API_TOKEN = "dropshipper@example.com", "vxl-sandbox-token-5f2c"


@pytest.fixture(scope="session")
def manifest() -> Path:
    return Path(__file__).resolve().parents[1] / "manifest.yaml"


@pytest.fixture(scope="session")
def creds() -> dict:
    return {"email": EMAIL, "api_token": API_TOKEN}


@pytest.fixture(scope="session")
def config_for():
    def make(server, **overrides):
        # the sandbox's orders span the 120 days before its anchor day
        start = (server.api.now - timedelta(days=HISTORY_DAYS + 1)).date().isoformat()
        config = {"email": EMAIL, "api_token": API_TOKEN, "environment": "sandbox", "base_url": server.url,
                  "start_date": start, "window_days": 30}
        config.update(overrides)
        return config

    return make


@pytest.fixture
def sandbox():
    with running_sandbox("vidaxl") as server:
        yield server

