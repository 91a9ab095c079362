"""Retry waits in tests: recorded, and slept only at a fraction of their length.

Connectors wait seconds to minutes between retries (the CDK's retry handlers sleep through
`airbyte_cdk.sources.streams.http.rate_limiting.time`, the shared streaming decoder through its
own `time`). Tests swap that module for a `RetryClock`, so they assert the waits the connector
asked for without waiting them, and no connector needs a test-only config key to be fast.
"""

from __future__ import annotations

import time


class RetryClock:
    """Stands in for the `time` module of the retry code: records every wait, sleeps `scale` of it."""

    def __init__(self, scale: float = 0.0) -> None:
        self.scale = scale
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.scale:
            time.sleep(seconds * self.scale)


def patch_retry_waits(monkeypatch, scale: float = 0.0) -> RetryClock:
    """Route the CDK's retry waits and the streaming decoder's re-read waits through one RetryClock."""
    from airbyte_cdk.sources.streams.http import rate_limiting

    from connector_common.components import streaming

    clock = RetryClock(scale)
    monkeypatch.setattr(rate_limiting, "time", clock)
    monkeypatch.setattr(streaming, "time", clock)
    return clock
