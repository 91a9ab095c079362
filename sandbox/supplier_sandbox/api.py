"""The base of every supplier API the sandbox serves."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

from .http import Request, Response, Router


class SupplierApi:
    """A supplier API: its routes, its auth check, its seeded data, and the admin hooks.

    Subclasses set `name`, `base_path`, `connector`, `secrets` and `connector_config`, build their data in `__init__` from `scale` and
    `seed`, register handlers on `self.router`, and implement `authenticate`, `counts` and
    `mutate`. Data must be deterministic for a given (scale, seed) and anchor day.
    """

    name = "supplier"
    base_path = ""
    # the connector this API is the sandbox of (its console script), the config that points it here
    # (see connector_config) and the config values that must never appear in any output
    connector = ""
    secrets: tuple[str, ...] = ()
    # the destination that writes into this API, if any (its console script); its config: destination_config
    destination = ""

    @staticmethod
    def connector_config(base_url: str) -> dict[str, Any]:
        """The connector's config for a sandbox at `base_url`, with the sandbox's default credentials."""
        raise NotImplementedError

    @staticmethod
    def destination_config(base_url: str) -> dict[str, Any]:
        """The destination's config for a sandbox at `base_url`, with the sandbox's default credentials."""
        raise NotImplementedError

    def __init__(self, scale: int = 1, seed: int = 1, now: datetime | None = None) -> None:
        self.scale = max(1, int(scale))
        self.seed = seed
        # Seeded timestamps are placed relative to this day, so lookback windows and
        # "last 24 hours" defaults stay meaningful whenever the sandbox runs.
        self.now = now or datetime.now(timezone.utc).replace(microsecond=0)
        self.router = Router()
        self.lock = threading.RLock()
        self.writes: list[dict[str, Any]] = []

    def authenticate(self, request: Request) -> Response | None:
        """None when the request may proceed, else the API's own auth error response."""
        return None

    def not_found(self, request: Request, method_not_allowed: bool = False) -> Response:
        if method_not_allowed:
            return Response.json({"error": "Method Not Allowed"}, status=405)
        return Response.json({"error": f"No route for {request.path}"}, status=404)

    def counts(self) -> dict[str, int]:
        """Records per stream that a complete full-refresh sync of the connector must emit."""
        return {}

    def mutate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Change records so the next incremental sync has something to pick up."""
        raise NotImplementedError(f"{self.name} sandbox supports no mutations")

    def record_write(self, kind: str, **details: Any) -> None:
        with self.lock:
            self.writes.append({"kind": kind, **details})
