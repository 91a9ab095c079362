"""Every sandbox at once and a supplier-sync config pointing at them: the demo's and the loop tests' one way."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Iterator

import yaml

from .connectors import SOURCES
from .sandbox import running_sandbox


@contextlib.contextmanager
def all_sandboxes(**kwargs: Any) -> Iterator[dict[str, Any]]:
    """Registry key (rec_plus, ...) -> a running sandbox server, for the duration of the block."""
    with contextlib.ExitStack() as stack:
        yield {key: stack.enter_context(running_sandbox(connector.sandbox, **kwargs)) for key, connector in SOURCES.items()}


def loop_config(servers: dict[str, Any], warehouse: str = "warehouse.duckdb", push: bool = True, **match: Any) -> dict[str, Any]:
    """A supplier-sync config for every sandbox in `servers`; pushes to the Yodify sandbox when asked."""
    config: dict[str, Any] = {
        "warehouse": warehouse,
        "sources": {SOURCES[key].script: SOURCES[key].config(server.url) for key, server in servers.items()},
    }
    if push and "yodify" in servers:
        config["push"] = {"destination-yodify": {
            "base_url": servers["yodify"].url,
            "credentials": {"auth_type": "access_token", "access_token": "yodify-sandbox-token"},
        }}
        config["match"] = {"stock": "sum", "preferred": ["m3_wholesale", "netxl", "rec_plus"], "price_markup": 1.3, **match}
    return config


def write_loop_config(path: Path, config: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
