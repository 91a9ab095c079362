"""Servers that are not the API, on 127.0.0.1 and a free port: one that accepts connections and never
answers, and one that answers every request with the same wrong thing (an HTML page, an empty 200,
an error object with 200)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable, Iterator

WRONG_ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "html-200": (200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body><h1>Welcome to our shop</h1></body></html>"),
    "empty-200": (200, "application/json", b""),
    "error-200": (200, "application/json", b'{"error": "Unknown API method"}'),
}
# not wrong for an API (a check must fail on it all the same): a token endpoint refusing the client
REFUSALS: dict[str, tuple[int, str, bytes]] = {
    "unauthorized-401": (401, "application/json", b'{"error": "invalid_client"}'),
}


class _QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serving(handler: type[BaseHTTPRequestHandler], before_stop=None) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 and a free port in a thread; yields the base URL, then stops
    (`before_stop` first: it ends a handler that would otherwise never return)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        if before_stop:
            before_stop()
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def hanging_server() -> Iterator[str]:
    """Accepts every connection and never sends a byte; yields its base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        listener.close()


@contextlib.contextmanager
def trickling_server(interval: float = 0.3) -> Iterator[str]:
    """Answers 200 with JSON headers, then one byte of body every `interval` seconds, for ever: no
    read timeout ever fires. Yields its base URL."""
    stop = threading.Event()

    class Handler(_QuietHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000000")
            self.end_headers()
            self.wfile.write(b"[")
            try:
                while not stop.wait(interval):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:
                pass

        do_POST = do_GET

    with _serving(Handler, before_stop=stop.set) as url:
        yield url


@contextlib.contextmanager
def wrong_answer_server(kind: str) -> Iterator[str]:
    """Answers every request with `WRONG_ANSWERS[kind]` (or `REFUSALS[kind]`); yields its base URL."""
    status, content_type, body = {**WRONG_ANSWERS, **REFUSALS}[kind]

    class Handler(_QuietHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    with _serving(Handler) as url:
        yield url


def _break_keys(body, key: str) -> bool:
    """In the first list of records holding `key` (directly or under one wrapper object), null the
    first record's key and repeat the second record; True when done."""
    if isinstance(body, dict):
        return any(_break_keys(value, key) for value in body.values())
    if not isinstance(body, list):
        return False

    def record(item):
        if isinstance(item, dict) and key in item:
            return item
        inner = [v for v in item.values() if isinstance(v, dict) and key in v] if isinstance(item, dict) else []
        return inner[0] if len(inner) == 1 else None

    records = [record(item) for item in body]
    if len(records) >= 2 and all(r is not None for r in records[:2]):
        body.insert(2, json.loads(json.dumps(body[1])))
        records[0][key] = None
        return True
    return any(_break_keys(item, key) for item in body)


@contextlib.contextmanager
def key_breaking_proxy(target: str, key: str | Iterable[str]) -> Iterator[str]:
    """Forwards every request to `target`; in each JSON answer with a list of records holding `key`
    (or the first of several keys, one per stream read), one record gets a null key and another comes
    twice. Yields the proxy's base URL."""
    import requests

    keys = [key] if isinstance(key, str) else list(key)

    session = requests.Session()

    class Handler(_QuietHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "accept-encoding")}
            answer = session.request(self.command, target + self.path, data=data, headers=headers, timeout=30)
            body = answer.content
            if answer.ok:
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                if parsed is not None and any(_break_keys(parsed, k) for k in keys):
                    body = json.dumps(parsed).encode()
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in ("content-length", "content-encoding", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _forward

    try:
        with _serving(Handler) as url:
            yield url
    finally:
        session.close()
