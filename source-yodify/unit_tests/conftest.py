"""Fixtures for the Yodify source tests. (pytest runs in importlib mode, where conftest is not
importable: shared helpers are handed out by the `yod` fixture.)"""

from __future__ import annotations

from types import SimpleNamespace

from pathlib import Path

import pytest

from supplier_sandbox.apis.yodify.auth import CLIENT_ID, CLIENT_SECRET, STATIC_TOKEN, TOKEN_PATH

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yaml"


def token_config(server, token: str = STATIC_TOKEN, **extra) -> dict:
    return {"base_url": server.url, "credentials": {"auth_type": "access_token", "access_token": token}, **extra}


def oauth_config(server, secret: str = CLIENT_SECRET, **extra) -> dict:
    return {
        "base_url": server.url,
        "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": CLIENT_ID, "client_secret": secret,
            "token_url": server.root_url + TOKEN_PATH, "scope": "yodify",
        },
        **extra,
    }


@pytest.fixture(scope="session")
def yod() -> SimpleNamespace:
    return SimpleNamespace(MANIFEST=MANIFEST, token_config=token_config, oauth_config=oauth_config,
                           STATIC_TOKEN=STATIC_TOKEN, CLIENT_SECRET=CLIENT_SECRET)
