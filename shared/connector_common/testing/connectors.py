"""Every connector of the repo, its sandbox, and a config that points it at that sandbox.

One registry for the demo, the cross-connector tests and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class SandboxedConnector:
    script: str  # console script, named after the connector's folder
    sandbox: str  # supplier name for `sandbox <supplier>`
    config: Callable[[str], dict[str, Any]]  # sandbox base URL -> config
    secrets: tuple[str, ...]  # config values that must never appear in output


SOURCES: dict[str, SandboxedConnector] = {
    "rec_plus": SandboxedConnector(
        "source-rec-plus", "rec-plus",
        lambda url: {"domain": "sandbox.invalid", "username": "rec_api_user", "password": "rec_api_pass", "base_url": url},
        ("rec_api_pass",),
    ),
    "netxl": SandboxedConnector(
        "source-netxl", "netxl",
        lambda url: {"api_key": "netxl_sandbox_key", "base_url": url},
        ("netxl_sandbox_key",),
    ),
    "vidaxl": SandboxedConnector(
        "source-vidaxl", "vidaxl",
        lambda url: {"email": "dropshipper@example.com", "api_token": "vxl-sandbox-token-5f2c", "environment": "sandbox",
                     "base_url": url, "start_date": "2025-01-01"},
        ("vxl-sandbox-token-5f2c",),
    ),
    "yodify": SandboxedConnector(
        "source-yodify", "yodify",
        lambda url: {"base_url": url, "credentials": {"auth_type": "access_token", "access_token": "yodify-sandbox-token"},
                     "start_date": "2020-01-01T00:00:00Z"},
        ("yodify-sandbox-token",),
    ),
    "m3_wholesale": SandboxedConnector(
        "source-m3-wholesale", "m3-wholesale",
        lambda url: {"base_url": url, "api_token": "m3-sandbox-token"},
        ("m3-sandbox-token",),
    ),
}
