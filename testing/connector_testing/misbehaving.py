"""Servers that are not the API, on 127.0.0.1 and a free port: one that accepts connections and never
answers, and one that answers every request with the same wrong thing (an HTML page, an empty 200,
an error object with 200)."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

WRONG_ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "html-200": (200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body><h1>Welcome to our shop</h1></body></html>"),
    "empty-200": (200, "application/json", b""),
    "error-200": (200, "application/json", b'{"error": "Unknown API method"}'),
}
# not wrong for an API (a check must fail on it all the same): a token endpoint refusing the client
REFUSALS: dict[str, tuple[int, str, bytes]] = {
    "unauthorized-401": (401, "application/json", b'{"error": "invalid_client"}'),
}


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
def wrong_answer_server(kind: str) -> Iterator[str]:
    """Answers every request with `WRONG_ANSWERS[kind]` (or `REFUSALS[kind]`); yields its base URL."""
    status, content_type, body = {**WRONG_ANSWERS, **REFUSALS}[kind]

    class Handler(BaseHTTPRequestHandler):
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

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
