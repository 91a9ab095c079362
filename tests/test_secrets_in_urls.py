"""Credentials inside a URL of the config (a password in `base_url`'s userinfo, a key in its query
string) never appear in what a connector prints, with or without `--debug`: not as given, not
percent-encoded, not inside the Basic header requests derives from the userinfo. A destination is
one more connector here: its `write` stands for a source's `read`."""

import base64
import json
from urllib.parse import quote

from pathlib import Path

import pytest

from connector_testing import CONNECTORS, catalog_for, protocol_messages, run_cli, running_sandbox

ROOT = Path(__file__).resolve().parents[1]

PASSWORD = "Pw-in-url-7c1e!"
QUERY_KEY = "qk-in-url-93ad"


def _with_credentials(url: str, form: str) -> str:
    scheme, rest = url.split("://", 1)
    if form == "userinfo":
        return f"{scheme}://apiuser:{quote(PASSWORD, safe='')}@{rest}"
    return f"{url}?api_key={QUERY_KEY}"


def _assert_nothing_leaks(result, secret: str) -> None:
    output = result.stdout + result.stderr
    for form in (secret, quote(secret, safe=""), base64.b64encode(f"apiuser:{secret}".encode()).decode()):
        assert form not in output, f"{form!r} leaked:\n{output[-3000:]}"
    protocol_messages(result.stdout)  # and stdout is still only protocol messages


ADDRESS_CATALOG = {"streams": [{"stream": {"name": "addresses", "json_schema": {"type": "object"}, "supported_sync_modes": ["full_refresh"]},
                                "sync_mode": "full_refresh", "destination_sync_mode": "append_dedup"}]}
ADDRESS_INPUT = "\n".join(json.dumps(m) for m in (
    {"type": "RECORD", "record": {"stream": "addresses", "data": {"client_identifier": "wh-url-secret-1", "name": "Warehouse"}, "emitted_at": 1}},
    {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "addresses"}, "stream_state": {"n": 1}}}},
)) + "\n"


@pytest.mark.parametrize("form", ["userinfo", "query"])
@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_credentials_in_base_url_never_printed(source, form):
    connector = CONNECTORS[source]
    secret = PASSWORD if form == "userinfo" else QUERY_KEY
    if connector.is_destination:
        return _destination_never_prints_credentials_in_base_url(connector, form, secret)
    manifest = ROOT / connector.script / "manifest.yaml"
    with running_sandbox(connector.sandbox) as server:
        clean = connector.config(server.url)
        first = catalog_for(manifest, clean).streams[0]
        catalog = {"streams": [{"stream": {"name": first.stream.name, "json_schema": first.stream.json_schema,
                                           "supported_sync_modes": ["full_refresh"]},
                                "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
        config = {**clean, "read_timeout_seconds": 5, "connect_timeout_seconds": 2,
                  "base_url": _with_credentials(clean["base_url"], form)}
        if form == "userinfo":  # check prints URLs in its failure sentences
            _assert_nothing_leaks(run_cli(connector.script, "check", config=config, timeout=120), secret)
        _assert_nothing_leaks(run_cli(connector.script, "read", config=config, catalog=catalog, debug=True, timeout=120), secret)


def _destination_never_prints_credentials_in_base_url(connector, form: str, secret: str) -> None:
    with running_sandbox(connector.sandbox) as server:
        clean = connector.config(server.url)
        config = {**clean, "read_timeout_seconds": 5, "connect_timeout_seconds": 2, "retry_backoff_seconds": 0,
                  "base_url": _with_credentials(clean["base_url"], form)}
        check = run_cli(connector.script, "check", config=config, debug=True, timeout=120)
        _assert_nothing_leaks(check, secret)
        write = run_cli(connector.script, "write", config=config, catalog=ADDRESS_CATALOG, stdin=ADDRESS_INPUT, debug=True, timeout=120)
        _assert_nothing_leaks(write, secret)
        if form == "userinfo":  # Yodify takes a token, not a password: refused with a sentence
            assert "base_url carries a user name or password" in check.stdout and write.returncode != 0
        if form == "query":  # a query string in base_url is kept: sent with every request, which works
            assert '"SUCCEEDED"' in check.stdout and any(m["type"] == "STATE" for m in protocol_messages(write.stdout)), write.stdout[-2000:]
            sent = server.api_requests("/api/v1/")
            assert sent and all(f"api_key={QUERY_KEY}" in r["query"] for r in sent), sent
        oauth = {**clean, "read_timeout_seconds": 5, "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "yodify-sandbox-client", "client_secret": "yodify-sandbox-secret",
            "token_url": _with_credentials(server.root_url + server.api.token_url, form)}}
        _assert_nothing_leaks(run_cli(connector.script, "check", config=oauth, debug=True, timeout=120), secret)
