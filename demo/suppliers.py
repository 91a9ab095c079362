"""The suppliers the demo syncs: sandbox name, console script, and the config pointing at the sandbox."""

from __future__ import annotations

from typing import Any, Callable

# name -> (sandbox supplier, console script, config for a sandbox base URL)
SUPPLIERS: dict[str, tuple[str, str, Callable[[str], dict[str, Any]]]] = {
    "rec_plus": (
        "rec-plus",
        "source-rec-plus",
        lambda url: {"domain": "sandbox.invalid", "username": "rec_api_user", "password": "rec_api_pass", "base_url": url},
    ),
}
