"""Fixtures for the REC+ tests. (Tests import nothing from here: pytest runs in importlib mode,
where conftest modules are not importable, so shared values are fixtures.) `source`, `manifest`,
`config_for` and `sandbox` come from connector_testing.fixtures, built from the registry."""

import pytest

from supplier_sandbox.apis.rec_plus import PUBLIC_KEY


@pytest.fixture(scope="module")
def creds(source) -> dict:
    config = source.config("")
    return {"user": config["username"], "password": config["password"], "public_key": PUBLIC_KEY}
