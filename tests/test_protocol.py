"""Every source, run as its console script against its sandbox, speaks only the Airbyte protocol on
stdout and never prints a secret."""

import json

import pytest

from connector_testing import SOURCES, protocol_messages, run_cli, running_sandbox


@pytest.fixture(params=sorted(SOURCES), scope="module")
def connector(request):
    connector = SOURCES[request.param]
    with running_sandbox(connector.sandbox) as server:
        yield connector, connector.config(server.url)


def assert_clean(result, connector):
    assert result.returncode == 0, result.stderr[-2000:]
    for secret in connector.secrets:
        assert secret not in result.stdout and secret not in result.stderr
    return protocol_messages(result.stdout)


def test_spec_check_discover_read(connector):
    connector, config = connector
    spec = assert_clean(run_cli(connector.script, "spec"), connector)
    specs = [m for m in spec if m["type"] != "LOG"]
    assert [m["type"] for m in specs] == ["SPEC"]
    secret_keys = json.dumps(specs[0]["spec"]["connectionSpecification"])
    assert "airbyte_secret" in secret_keys

    check = assert_clean(run_cli(connector.script, "check", config=config), connector)
    assert [m["connectionStatus"]["status"] for m in check if m["type"] == "CONNECTION_STATUS"] == ["SUCCEEDED"]

    discover = assert_clean(run_cli(connector.script, "discover", config=config), connector)
    streams = [m for m in discover if m["type"] == "CATALOG"][0]["catalog"]["streams"]
    assert streams and all(s.get("source_defined_primary_key") for s in streams)

    first = streams[0]
    catalog = {"streams": [{"stream": first, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
    read = assert_clean(run_cli(connector.script, "read", config=config, catalog=catalog), connector)
    assert any(m["type"] == "RECORD" for m in read)


def test_debug_logs_never_show_a_secret_even_encoded(connector):
    """`--debug` logs every request's headers: secrets must be masked there too, including the
    base64 `user:password` of HTTP Basic auth, which contains the password in decodable form."""
    import base64

    connector, config = connector
    discover = protocol_messages(run_cli(connector.script, "discover", config=config).stdout)
    first = [m for m in discover if m["type"] == "CATALOG"][0]["catalog"]["streams"][0]
    catalog = {"streams": [{"stream": first, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
    result = run_cli(connector.script, "read", config=config, catalog=catalog, debug=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Making outbound API request" in output  # the headers were logged
    users = [v for v in config.values() if isinstance(v, str)]
    for secret in connector.secrets:
        assert secret not in output
        for user in users:
            assert base64.b64encode(f"{user}:{secret}".encode()).decode() not in output
