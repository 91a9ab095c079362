"""Which supplier APIs the sandbox can serve, imported lazily so one broken API never blocks the rest."""

from __future__ import annotations

import importlib
from typing import Any

from .api import SupplierApi
from .server import SandboxServer

# supplier name -> "module:Class" under supplier_sandbox.apis
SUPPLIERS: dict[str, str] = {
    "rec-plus": "rec_plus:RecPlusApi",
    "netxl": "netxl:NetxlApi",
    "vidaxl": "vidaxl:VidaxlApi",
    "yodify": "yodify:YodifyApi",
    "m3-wholesale": "m3_wholesale:M3WholesaleApi",
}


def make_api(supplier: str, **kwargs: Any) -> SupplierApi:
    if supplier not in SUPPLIERS:
        raise ValueError(f"unknown supplier {supplier!r}; choose one of {', '.join(sorted(SUPPLIERS))}")
    module_name, class_name = SUPPLIERS[supplier].split(":")
    module = importlib.import_module(f"supplier_sandbox.apis.{module_name}")
    return getattr(module, class_name)(**kwargs)


def make_server(
    supplier: str,
    *,
    port: int = 0,
    scale: int = 1,
    seed: int = 1,
    latency_ms: int = 0,
    faults: list[str] | None = None,
    error_retry_after: int | None = None,
    **api_kwargs: Any,
) -> SandboxServer:
    api = make_api(supplier, scale=scale, seed=seed, **api_kwargs)
    return SandboxServer(api, port=port, latency_ms=latency_ms, faults=faults, error_retry_after=error_retry_after)


def serve(supplier: str, **kwargs: Any) -> SandboxServer:
    """Start a sandbox in a background thread; use as a context manager to stop it."""
    return make_server(supplier, **kwargs).start()
