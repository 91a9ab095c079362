"""Starting sandboxes: per test (a context manager), once per process (standard suites), or as their
own process (benchmarks)."""

from __future__ import annotations

import atexit
import contextlib
import subprocess
import sys
from pathlib import Path
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


@contextlib.contextmanager
def sandbox_process(supplier: str, *, scale: int = 1, latency_ms: int = 0, faults: list[str] | None = None) -> Iterator[str]:
    """The `sandbox` console script as its own process; yields its base URL.

    For benchmarks: an in-process sandbox shares the connector's GIL, so its own CPU time would be
    counted as the connector's (a real API runs elsewhere).
    """
    args = [str(Path(sys.executable).parent / "sandbox"), supplier, "--port", "0",
            "--scale", str(scale), "--latency-ms", str(latency_ms)]
    for fault in faults or []:
        args += ["--fault", fault]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        url = (proc.stdout.readline() if proc.stdout else "").strip()
        if not url.startswith("http"):
            raise RuntimeError(f"sandbox {supplier} did not start (exit code {proc.poll()})")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def most_in_flight(requests: list[dict]) -> int:
    """The largest number of these requests (sandbox request-log entries) the server was working on at one moment."""
    edges = sorted([(r["started"], 1) for r in requests] + [(r["ended"], -1) for r in requests])
    now = best = 0
    for _, step in edges:
        now += step
        best = max(best, now)
    return best
