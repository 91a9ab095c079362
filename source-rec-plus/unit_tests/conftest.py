"""Fixtures for the REC+ tests. (Tests import nothing from here: pytest runs in importlib mode,
where conftest modules are not importable, so shared values are fixtures.)"""

from pathlib import Path

import pytest

from connector_testing import running_sandbox

USER, PASSWORD, PUBLIC_KEY = "rec_api_user", "rec_api_pass", "rec_public_key"


@pytest.fixture(scope="session")
def manifest() -> Path:
    return Path(__file__).resolve().parents[1] / "manifest.yaml"


@pytest.fixture(scope="session")
def creds() -> dict:
    return {"user": USER, "password": PASSWORD, "public_key": PUBLIC_KEY}


@pytest.fixture(scope="session")
def config_for():
    def make(server, **overrides):
        return {"domain": "sandbox.invalid", "username": USER, "password": PASSWORD, "base_url": server.url, **overrides}

    return make


@pytest.fixture
def sandbox():
    with running_sandbox("rec-plus") as server:
        yield server

