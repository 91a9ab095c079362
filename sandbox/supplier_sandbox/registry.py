"""Which supplier APIs the sandbox can serve: every API module under `supplier_sandbox.apis`."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from . import apis
from .api import SupplierApi
from .server import SandboxServer

def _discover() -> dict[str, type[SupplierApi]]:
    """Every module under supplier_sandbox.apis that defines a SupplierApi: adding a supplier is adding a module."""
    found: dict[str, type[SupplierApi]] = {}
    for module_info in pkgutil.iter_modules(apis.__path__):
        module = importlib.import_module(f"{apis.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, SupplierApi) and value is not SupplierApi and value.__module__.startswith(module.__name__):
                found[value.name] = value
    return dict(sorted(found.items()))


# supplier name (`sandbox <supplier>`) -> its API class
SUPPLIERS: dict[str, type[SupplierApi]] = _discover()


def make_api(supplier: str, **kwargs: Any) -> SupplierApi:
    if supplier not in SUPPLIERS:
        raise ValueError(f"unknown supplier {supplier!r}; choose one of {', '.join(sorted(SUPPLIERS))}")
    return SUPPLIERS[supplier](**kwargs)


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
