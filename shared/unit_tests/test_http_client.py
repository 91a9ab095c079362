"""The shared HTTP client over real HTTP: a scripted stdlib server answers each request in turn."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from connector_common.http_client import (
    AmbiguousWriteError,
    ApiError,
    ClientCredentials,
    ConfigError,
    HttpClient,
    StaticToken,
    TransientError,
    api_message,
    backoff_delay,
    retry_after,
)


class Scripted:
    """A server that answers the n-th request with script[n] (status, headers, body)."""

    def __init__(self, script):
        self.script = list(script)
        self.seen: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                outer.seen.append({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                status, headers, payload = outer.script.pop(0) if outer.script else (200, {}, {"ok": True})
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def client(url, **kw):
    sleeps: list[float] = []
    c = HttpClient(url, kw.pop("auth", StaticToken("tok-secret-123")), sleep=sleeps.append, **kw)
    return c, sleeps


def test_429_honours_retry_after_then_succeeds_even_for_post():
    with Scripted([(429, {"Retry-After": "2"}, {}), (200, {}, {"id": 7})]) as server:
        c, sleeps = client(server.url)
        assert c.request("POST", "/things", json={"a": 1}) == {"id": 7}
        assert sleeps == [2.0]
        assert [s["method"] for s in server.seen] == ["POST", "POST"]
        assert server.seen[0]["auth"] == "Bearer tok-secret-123"


def test_retry_after_is_capped_and_parses_dates():
    r = requests.Response()
    r.headers["Retry-After"] = "100000"
    assert retry_after(r, cap=60) == 60
    r.headers["Retry-After"] = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert retry_after(r) == 0.0  # a date in the past: no wait
    del r.headers["Retry-After"]
    assert retry_after(r, default=3) == 3


def test_backoff_grows_and_is_capped():
    assert all(0 <= backoff_delay(1, base=1) <= 1 for _ in range(50))
    assert all(0 <= backoff_delay(30, base=1, cap=5) <= 5 for _ in range(50))


def test_5xx_is_retried_for_idempotent_requests():
    with Scripted([(500, {}, {}), (503, {}, {}), (200, {}, [1])]) as server:
        c, sleeps = client(server.url)
        assert c.request("PUT", "/x", json={}) == [1]
        assert len(sleeps) == 2 and c.stats["retries_5xx"] == 2


def test_5xx_on_post_is_ambiguous_and_not_retried():
    with Scripted([(500, {}, {}), (200, {}, {})]) as server:
        c, _ = client(server.url)
        with pytest.raises(AmbiguousWriteError):
            c.request("POST", "/orders", json={})
        assert len(server.seen) == 1


def test_timeout_on_post_is_ambiguous_but_refused_connection_is_retried(monkeypatch):
    c, sleeps = client("http://127.0.0.1:9", max_retries=2)  # nothing listens on port 9
    with pytest.raises(TransientError):
        c.request("POST", "/orders", json={})
    assert len(sleeps) == 2


def test_a_2xx_that_is_not_the_api_is_retried_on_a_read_and_ambiguous_on_a_write():
    empty, error, html = (200, {}, b""), (200, {}, {"error": "Unknown API method"}), (200, {"Content-Type": "text/html"}, b"<html></html>")
    with Scripted([empty, error, html, error]) as server:
        c, sleeps = client(server.url, max_retries=2)
        with pytest.raises(TransientError) as read:
            c.get("/orders")
        assert len(server.seen) == 3 and len(sleeps) == 2
        assert f"GET {server.url}/orders answered HTTP 200 with an HTML page" in str(read.value) and "base_url" in str(read.value)
        with pytest.raises(AmbiguousWriteError) as write:  # it may have committed: the caller looks before it writes again
            c.request("POST", "/orders", json={})
        assert write.value.reason.startswith("HTTP 200 with an error object") and len(server.seen) == 4


def test_a_query_string_in_base_url_goes_with_every_request_and_never_into_an_error():
    with Scripted([(200, {}, [1]), (500, {}, {}), (500, {}, {})]) as server:
        c, _ = client(f"{server.url}/root/?api_key=qk-93ad", max_retries=1)
        assert c.get("/api/v1/Orders", {"Limit": 1}) == [1]
        with pytest.raises(TransientError) as failed:
            c.get("/api/v1/Orders")
        assert [r["path"] for r in server.seen] == ["/root/api/v1/Orders?api_key=qk-93ad&Limit=1"] + ["/root/api/v1/Orders?api_key=qk-93ad"] * 2
        assert "qk-93ad" not in str(failed.value)


def test_retries_exhausted():
    with Scripted([(500, {}, {})] * 5) as server:
        c, _ = client(server.url, max_retries=2)
        with pytest.raises(TransientError):
            c.get("/x")
        assert len(server.seen) == 3


def test_401_and_403_name_the_credential():
    with Scripted([(401, {}, {"title": "Unauthorized"}), (403, {}, b"")]) as server:
        c, _ = client(server.url)
        with pytest.raises(ConfigError) as e1:
            c.get("/x")
        assert "credentials.access_token" in e1.value.message and "tok-secret-123" not in e1.value.message
        with pytest.raises(ConfigError) as e2:
            c.request("PUT", "/x", json={})
        assert "403" in e2.value.message and "write" in e2.value.message


def test_400_carries_validation_problem_details():
    body = {"title": "One or more validation errors occurred.", "status": 400, "errors": {"Quantity": ["must be positive"]}}
    with Scripted([(400, {}, body)]) as server:
        c, _ = client(server.url)
        with pytest.raises(ApiError) as err:
            c.request("POST", "/orders", json={})
        assert err.value.status == 400
        assert "Quantity: must be positive" in err.value.message
        assert "validation errors" in err.value.message


def test_api_message_handles_text_and_empty_bodies():
    r = requests.Response()
    r.status_code = 400
    r._content = b"plain failure"
    assert api_message(r) == "plain failure"
    r._content = b""
    r.reason = "Bad Request"
    assert api_message(r) == "Bad Request"


def test_client_credentials_fetches_caches_and_refreshes_on_401():
    token_body = {"access_token": "at-1", "expires_in": 3600, "token_type": "Bearer"}
    with Scripted([(200, {}, token_body), (200, {}, {"n": 1}), (200, {}, {"n": 2}), (401, {}, {}),
                   (200, {}, {**token_body, "access_token": "at-2"}), (200, {}, {"n": 3})]) as server:
        auth = ClientCredentials(server.url + "/oauth/token", "cid", "csecret-xyz", "yodify")
        c, _ = client(server.url, auth=auth)
        assert c.get("/a") == {"n": 1}
        assert c.get("/b") == {"n": 2}
        assert c.get("/c") == {"n": 3}
        token_posts = [s for s in server.seen if s["path"] == "/oauth/token"]
        assert len(token_posts) == 2
        assert "grant_type=client_credentials" in token_posts[0]["body"] and "scope=yodify" in token_posts[0]["body"]
        assert [s["auth"] for s in server.seen if s["path"] != "/oauth/token"] == ["Bearer at-1", "Bearer at-1", "Bearer at-1", "Bearer at-2"]


def test_token_request_uses_the_clients_retry_policy():
    token_body = {"access_token": "at-1", "expires_in": 3600}
    with Scripted([(503, {}, {}), (429, {"Retry-After": "3"}, {}), (200, {}, token_body), (200, {}, {"n": 1})]) as server:
        auth = ClientCredentials(server.url + "/oauth/token", "cid", "csecret-xyz")
        c, sleeps = client(server.url, auth=auth)
        assert c.get("/a") == {"n": 1}
        assert [s["path"] for s in server.seen] == ["/oauth/token"] * 3 + ["/a"]
        assert len(sleeps) == 2 and sleeps[1] == 3.0  # one backoff after the 503, then what Retry-After asked
        assert c.stats["retries_5xx"] == 1 and c.stats["retries_429"] == 1


def test_token_endpoint_that_keeps_failing_is_a_transient_error():
    with Scripted([(502, {}, {})] * 4) as server:
        auth = ClientCredentials(server.url + "/oauth/token", "cid", "csecret-xyz")
        c, _ = client(server.url, auth=auth, max_retries=2)
        with pytest.raises(TransientError) as err:
            c.get("/a")
        assert "/oauth/token" in str(err.value) and "csecret-xyz" not in str(err.value)
        assert len(server.seen) == 3


def test_client_credentials_rejected_is_a_config_error_without_the_secret():
    with Scripted([(401, {}, {"error": "invalid_client"})]) as server:
        auth = ClientCredentials(server.url + "/oauth/token", "cid", "csecret-xyz", "yodify")
        c, _ = client(server.url, auth=auth)
        with pytest.raises(ConfigError) as err:
            c.get("/a")
        assert "client_secret" in err.value.message and "csecret-xyz" not in err.value.message


def test_logs_never_carry_the_token(caplog):
    with Scripted([(500, {}, {}), (200, {}, {})]) as server:
        c, _ = client(server.url)
        with caplog.at_level(logging.DEBUG, logger="airbyte"):
            c.get("/x", params={"a": 1})
        assert caplog.records
        assert "tok-secret-123" not in caplog.text


def test_token_providers_add_to_the_secret_filter_without_dropping_config_secrets():
    from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets, update_secrets

    update_secrets(["config-secret-1"])
    StaticToken("static-secret-2")
    ClientCredentials("http://127.0.0.1:9/token", "cid", "client-secret-3")
    text = filter_secrets("config-secret-1 static-secret-2 client-secret-3")
    assert "secret-1" not in text and "secret-2" not in text and "secret-3" not in text
    update_secrets([])
