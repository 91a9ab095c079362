"""Fixtures for the vidaXL tests. (Tests import nothing from here: pytest runs in importlib mode,
where conftest modules are not importable, so shared values are fixtures.) `source`, `manifest`
and `sandbox` come from connector_testing.fixtures, built from the registry; `config_for` here
refines the registry's."""

from datetime import timedelta

import pytest

from supplier_sandbox.apis.vidaxl import HISTORY_DAYS


@pytest.fixture(scope="module")
def creds(source) -> dict:
    config = source.config("")
    return {"email": config["email"], "api_token": config["api_token"]}


@pytest.fixture(scope="module")
def config_for(config_for):
    def make(server, **overrides):
        # the sandbox's orders span the 120 days before its anchor day: start the day before, in
        # 30-day windows
        start = (server.api.now - timedelta(days=HISTORY_DAYS + 1)).date().isoformat()
        return config_for(server, **{"start_date": start, "window_days": 30, **overrides})

    return make
