"""Fixtures for the vidaXL tests. (Tests import nothing from here: pytest runs in importlib mode,
where conftest modules are not importable, so shared values are fixtures.) `source`, `manifest`
and `sandbox` come from connector_testing.fixtures, built from the registry; `config_for` here
refines the registry's."""

from datetime import timedelta

import pytest


@pytest.fixture(scope="module")
def creds(source) -> dict:
    config = source.config("")
    return {"email": config["email"], "api_token": config["api_token"]}


@pytest.fixture(scope="module")
def config_for(config_for):
    def make(server, **overrides):
        # the sandbox's orders span the days before its anchor day (120 by default): start the day before
        start = (server.api.now - timedelta(days=server.api.history_days + 1)).date().isoformat()
        return config_for(server, **{"start_date": start, **overrides})

    return make
