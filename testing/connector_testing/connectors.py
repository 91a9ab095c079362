"""Every connector of the repo, its sandbox, and a config that points it at that sandbox.

One registry for the demo, the cross-connector tests and the benchmarks, derived from the
sandbox's API modules (each names its connector and the config that points it at the sandbox)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class SandboxedConnector:
    script: str  # console script, named after the connector's folder
    sandbox: str  # supplier name for `sandbox <supplier>`
    config: Callable[[str], dict[str, Any]]  # sandbox base URL -> config
    secrets: tuple[str, ...]  # config values that must never appear in output

    @property
    def is_destination(self) -> bool:
        return self.script.startswith("destination-")


def _sources() -> dict[str, SandboxedConnector]:
    from supplier_sandbox import SUPPLIERS

    return {
        api.name.replace("-", "_"): SandboxedConnector(api.connector, api.name, api.connector_config, api.secrets)
        for api in SUPPLIERS.values()
        if api.connector.startswith("source-")
    }


def _destinations() -> dict[str, SandboxedConnector]:
    from supplier_sandbox import SUPPLIERS

    return {
        api.destination.replace("-", "_"): SandboxedConnector(api.destination, api.name, api.destination_config, api.secrets)
        for api in SUPPLIERS.values()
        if api.destination
    }


# registry key (the supplier's name in snake_case) -> its source; from the sandbox modules, so a new
# supplier is registered by its sandbox module alone
SOURCES: dict[str, SandboxedConnector] = _sources()
# registry key (the destination's folder in snake_case) -> the destination writing into that sandbox
DESTINATIONS: dict[str, SandboxedConnector] = _destinations()
# every connector, for the cross-connector tests: a destination is one more connector there
CONNECTORS: dict[str, SandboxedConnector] = {**SOURCES, **DESTINATIONS}
