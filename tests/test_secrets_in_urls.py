"""Credentials inside a URL of the config (a password in `base_url`'s userinfo, a key in its query
string) never appear in what a source prints, with or without `--debug`: not as given, not
percent-encoded, not inside the Basic header requests derives from the userinfo."""

import base64
from urllib.parse import quote

from pathlib import Path

import pytest

from connector_testing import SOURCES, catalog_for, protocol_messages, run_cli, running_sandbox

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


@pytest.mark.parametrize("form", ["userinfo", "query"])
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_credentials_in_base_url_never_printed(source, form):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    secret = PASSWORD if form == "userinfo" else QUERY_KEY
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
