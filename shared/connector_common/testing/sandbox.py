"""Starting sandboxes from tests: per test (a context manager) or once per process (standard suites)."""

from __future__ import annotations

import atexit
import contextlib
from typing import Any, Iterator

_SHARED: dict[tuple, Any] = {}


@contextlib.contextmanager
def running_sandbox(supplier: str, **kwargs: Any) -> Iterator[Any]:
    """A sandbox on 127.0.0.1 and a free port for the duration of the block."""
    from supplier_sandbox import serve

    server = serve(supplier, **kwargs)
    try:
        yield server
    finally:
        server.stop()


def shared_sandbox(supplier: str, **kwargs: Any) -> Any:
    """One sandbox per (supplier, options) for the whole test process, stopped at exit.

    For the CDK's standard suites, whose scenarios are collected before any fixture runs.
    """
    from supplier_sandbox import serve

    key = (supplier, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
    if key not in _SHARED:
        server = serve(supplier, **kwargs)
        atexit.register(server.stop)
        _SHARED[key] = server
    return _SHARED[key]
