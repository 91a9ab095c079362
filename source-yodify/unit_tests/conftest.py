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


def _docker_engine_available() -> bool:
    import shutil
    import subprocess

    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def pytest_collection_modifyitems(config, items):
    """The standard suite's image tests skip themselves only when there is no docker CLI; here there
    may be a CLI without an engine, so they skip when the engine does not answer (this folder only)."""
    here = Path(__file__).resolve().parent
    mine = [item for item in items if item.get_closest_marker("image_tests") and here in Path(str(item.fspath)).resolve().parents]
    if mine and not _docker_engine_available():
        skip = pytest.mark.skip(reason="no docker engine reachable; the image is defined (Dockerfile) but not built here")
        for item in mine:
            item.add_marker(skip)
