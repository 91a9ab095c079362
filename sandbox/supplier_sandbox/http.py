"""The tiny HTTP toolkit the sandbox APIs are written with: a parsed request, a response, a router.

Kept on the standard library on purpose: the sandboxes are real HTTP servers on loopback that any
test, benchmark or demo can start in-process (a thread) or as a command, with no extra service.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    path_params: dict[str, str] = field(default_factory=dict)
    # what authentication learnt about the caller (scopes, account), for the handlers
    context: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> "Request":
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query, keep_blank_values=True)
        return cls(method.upper(), parts.path, query, {k.lower(): v for k, v in headers.items()}, body)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query parameter; names are matched case-insensitively (ASP.NET style APIs)."""
        for key, values in self.query.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return default

    def args(self, name: str) -> list[str]:
        """Every value of a repeated query parameter (`a=1&a=2`), case-insensitive name."""
        out: list[str] = []
        for key, values in self.query.items():
            if key.lower() == name.lower():
                out.extend(values)
        return out

    def json(self) -> Any:
        if not self.body:
            return None
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> "Response":
        body = json.dumps(payload, separators=(",", ":"), default=str).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> "Response":
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type})

    @classmethod
    def stream(cls, chunks: Callable[[], Any], status: int = 200, content_type: str = "application/json") -> "StreamingResponse":
        return StreamingResponse(status, b"", {"Content-Type": content_type}, chunks)


@dataclass
class StreamingResponse(Response):
    """A body produced piece by piece (chunked transfer), for catalogues too large to build in memory."""

    chunks: Callable[[], Any] | None = None


Handler = Callable[[Request], Response]


class Router:
    """Maps (method, path pattern) to a handler. Patterns use `{name}` for a path segment."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler, *, case_insensitive: bool = False) -> None:
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$"
        flags = re.IGNORECASE if case_insensitive else 0
        self._routes.append((method.upper(), re.compile(regex, flags), handler))

    def route(self, method: str, pattern: str, **kwargs: Any) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, pattern, handler, **kwargs)
            return handler

        return register

    def match(self, request: Request) -> tuple[Handler | None, bool]:
        """The handler for the request, and whether the path exists for another method (405)."""
        path_known = False
        for method, regex, handler in self._routes:
            found = regex.match(request.path)
            if not found:
                continue
            path_known = True
            if method == request.method:
                request.path_params = found.groupdict()
                return handler, True
        return None, path_known
