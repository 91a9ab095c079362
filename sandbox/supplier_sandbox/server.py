"""The sandbox HTTP server: one supplier API, on 127.0.0.1, with latency and faults.

`SandboxServer` runs in a background thread (tests, benchmarks, the demo) or in the foreground
(`sandbox <supplier>`). Besides the API it serves a few admin endpoints under `/_sandbox/` that
no real API has and that are never faulted:

    GET  /_sandbox/counts     records per stream, as a complete sync must emit them
    POST /_sandbox/mutate     change records (body: the API's mutate payload) for incremental tests
    GET  /_sandbox/requests   the request log (method, path, query, status, and `started`/`ended`
                              epoch seconds: when it arrived and when its answer was ready)
    GET  /_sandbox/writes     every write the API committed
    GET  /_sandbox/faults     how often each fault was seen and fired
"""

from __future__ import annotations

import collections
import json
import logging
import socket
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .api import SupplierApi
from .faults import FaultPlan
from .http import Request, Response, StreamingResponse

log = logging.getLogger("supplier_sandbox")

HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>"
    "<body><h1>Service Temporarily Unavailable</h1><p>The server is down for maintenance.</p></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every response on loopback
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s " + format, self.address_string(), *args)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        sandbox = self.server.sandbox
        started = time.time()
        body = self._read_body()
        request = Request.parse(self.command, self.path, dict(self.headers.items()), body)
        if request.path.startswith("/_sandbox/"):
            self._send(sandbox.admin(request))
            return
        if sandbox.latency_ms:
            time.sleep(sandbox.latency_ms / 1000)
        faults = sandbox.faults.pick(request.method, request.path)
        kinds = {f.kind: f for f in faults}
        if "slow" in kinds:
            time.sleep((kinds["slow"].arg or 1000) / 1000)
        if "drop" in kinds:
            sandbox.record(request, 0, started)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        pre = self._pre_handler_fault(kinds)
        if pre is not None and not 400 <= pre.status < 500 and sandbox.error_retry_after is not None:
            pre.headers["Retry-After"] = str(sandbox.error_retry_after)
        if pre is not None:
            sandbox.record(request, pre.status, started)
            self._send(pre)
            return
        response = sandbox.dispatch(request)
        if "commit500" in kinds and response.status < 400:
            response = Response.json({"error": "Internal Server Error", "status": 500}, status=500)
        sandbox.record(request, response.status, started, None if isinstance(response, StreamingResponse) else len(response.body))
        self._send(response, truncate="truncate" in kinds)

    @staticmethod
    def _pre_handler_fault(kinds: dict) -> Response | None:
        if "429" in kinds:
            retry_after = kinds["429"].arg if kinds["429"].arg is not None else 1
            return Response.json(
                {"error": "Too Many Requests", "message": "API call quota exceeded", "status": 429},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        for kind, fault in kinds.items():
            if kind.isdigit():
                status = HTTPStatus(int(kind))
                return Response.json({"error": status.phrase, "message": f"{status.phrase} (sandbox fault)", "status": status.value}, status=status.value)
        if "html" in kinds:
            return Response.text(HTML_ERROR_PAGE, status=kinds["html"].arg or 503, content_type="text/html")
        return None

    def _send(self, response: Response, truncate: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if isinstance(response, StreamingResponse) and response.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            written = 0
            for chunk in response.chunks():
                data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                if not data:
                    continue
                if truncate and written > 4096:
                    self.close_connection = True
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                written += len(data)
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if truncate:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    sandbox: "SandboxServer"


class SandboxServer:
    """One supplier API served over real HTTP on 127.0.0.1."""

    def __init__(
        self,
        api: SupplierApi,
        *,
        port: int = 0,
        latency_ms: int = 0,
        faults: list[str] | None = None,
        error_retry_after: int | None = None,
    ) -> None:
        self.api = api
        self.latency_ms = latency_ms
        # When set, injected 5xx and HTML faults (not 4xx) carry `Retry-After` too (fast fault tests).
        self.error_retry_after = error_retry_after
        self.faults = FaultPlan.parse(faults)
        self.requests: collections.deque[dict] = collections.deque(maxlen=200_000)
        self._log_lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.sandbox = self
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The API's base URL, as a connector's `base_url` takes it."""
        return self.root_url + self.api.base_path

    def start(self) -> "SandboxServer":
        if self._thread is not None:  # `with serve(...)`: serve() started it already
            return self
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"sandbox-{self.api.name}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- requests ---------------------------------------------------------------------------
    def set_faults(self, specs: list[str]) -> None:
        self.faults = FaultPlan.parse(specs)

    def record(self, request: Request, status: int, started: float, size: int | None = None) -> None:
        """`bytes`: the body's size (None for a streamed body), for the benchmarks' traffic."""
        query = "&".join(f"{k}={v}" for k, values in request.query.items() for v in values)
        with self._log_lock:
            self.requests.append({"method": request.method, "path": request.path, "query": query, "status": status,
                                  "started": started, "ended": time.time(), "bytes": size})

    def api_requests(self, path_contains: str = "") -> list[dict]:
        with self._log_lock:
            return [r for r in self.requests if path_contains in r["path"]]

    def dispatch(self, request: Request) -> Response:
        try:
            denied = self.api.authenticate(request)
            if denied is not None:
                return denied
            handler, path_known = self.api.router.match(request)
            if handler is None:
                return self.api.not_found(request, method_not_allowed=path_known)
            return handler(request)
        except Exception:  # a sandbox bug must surface as a 500, like a real server's
            log.error("handler failed:\n%s", traceback.format_exc())
            return Response.json({"error": "Internal Server Error", "status": 500}, status=500)

    def admin(self, request: Request) -> Response:
        route = request.path[len("/_sandbox/") :].strip("/")
        if route == "counts":
            return Response.json(self.api.counts())
        if route == "mutate" and request.method == "POST":
            return Response.json(self.api.mutate(request.json() or {}))
        if route == "requests":
            return Response.json(list(self.requests))
        if route == "writes":
            return Response.json(self.api.writes)
        if route == "faults":
            if request.method == "POST":
                self.set_faults((request.json() or {}).get("faults", []))
            return Response.json(self.faults.summary())
        return Response.json({"error": f"unknown admin route {route!r}"}, status=404)


def dumps(payload: Any) -> str:
    return json.dumps(payload, separators=(",", ":"), default=str)
