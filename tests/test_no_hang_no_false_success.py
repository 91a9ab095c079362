"""Every connector against servers that are not its API: one that accepts connections and never answers,
and ones that answer 200 with an HTML page, an empty body or an error object. `check` (the console
script, as a user runs it) answers FAILED at once with a sentence saying what answered; `read` (a
destination's `write`) retries a hung request, then reports it naming the host and the setting to
raise, and a destination never takes a wrong 200 for a written record.

Timeouts come from the test's config (`connect_timeout_seconds`, `read_timeout_seconds`), so a
hanging server costs a second per request, not the defaults."""

from pathlib import Path

import pytest

import json

from connector_testing import CONNECTORS, DESTINATIONS, SOURCES, catalog_for, cli_connection_status, patch_retry_waits, protocol_messages, read, run_cli
from connector_testing.misbehaving import WRONG_ANSWERS, hanging_server, trickling_server, wrong_answer_server

ROOT = Path(__file__).resolve().parents[1]
SHORT_TIMEOUTS = {"connect_timeout_seconds": 1, "read_timeout_seconds": 1}


def _config(connector, url):
    return {**connector.config(url), **SHORT_TIMEOUTS}


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_check_against_a_server_that_never_answers_fails_naming_the_timeout(source):
    connector = CONNECTORS[source]
    with hanging_server() as url:
        result = run_cli(connector.script, "check", config=_config(connector, url), timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "did not answer within 1 s (read_timeout_seconds)" in status["message"] and url in status["message"]


@pytest.mark.parametrize("answer", sorted(WRONG_ANSWERS))
@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_check_against_a_server_that_is_not_the_api_fails_at_once_saying_what_answered(source, answer):
    connector = CONNECTORS[source]
    with wrong_answer_server(answer) as url:
        result = run_cli(connector.script, "check", config=_config(connector, url), timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED", status
    what = {"html-200": "an HTML page", "empty-200": "an empty body", "error-200": "an error object ('Unknown API method')"}[answer]
    assert f"answered HTTP 200 with {what}" in status["message"] and "instead of the API's JSON" in status["message"]
    assert "base_url" in status["message"]
    assert "waiting" not in result.stdout  # no retry schedule in check


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_read_against_a_server_that_never_answers_retries_then_names_host_and_setting(source, monkeypatch):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    clock = patch_retry_waits(monkeypatch)
    with hanging_server() as url:
        config = _config(connector, url)
        catalog = catalog_for(manifest, config)
        first = catalog.streams[:1]
        catalog.streams = first
        output = read(manifest, config, catalog, expecting_exception=True)
    messages = [e.trace.error.message for e in output.errors]
    assert messages, "a read against a hung server must fail, not end"
    assert any("127.0.0.1" in m and "read_timeout_seconds" in m for m in messages), messages
    assert clock.sleeps  # it was retried first


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_read_against_a_server_that_trickles_for_ever_gives_up_naming_the_answer_deadline(source, monkeypatch):
    # a byte every 0.05 s never trips the 0.2 s read timeout: the whole-answer deadline (5 x 0.2 s) does
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    patch_retry_waits(monkeypatch)
    with trickling_server(interval=0.05) as url:
        config = {**_config(connector, url), "read_timeout_seconds": 0.2}
        catalog = catalog_for(manifest, config)
        catalog.streams = catalog.streams[:1]
        output = read(manifest, config, catalog, expecting_exception=True)
    messages = [e.trace.error.message for e in output.errors]
    assert messages, "a read against a trickling server must fail, not run for ever"
    assert any("127.0.0.1" in m and "read_timeout_seconds" in m for m in messages), messages


# a destination's first retry wait (its own setting): the retries are what is tested, not their waits
FAST_RETRIES = {"retry_backoff_seconds": 0}
# an address is written in line (no worker pool), so a failure is the write's first request
ADDRESS_CATALOG = {"streams": [{"stream": {"name": "addresses", "json_schema": {"type": "object"}, "supported_sync_modes": ["full_refresh"]},
                                "sync_mode": "full_refresh", "destination_sync_mode": "append_dedup"}]}
ADDRESS_INPUT = "\n".join(json.dumps(m) for m in (
    {"type": "RECORD", "record": {"stream": "addresses", "data": {"client_identifier": "wh-hang-1", "name": "Warehouse"}, "emitted_at": 1}},
    {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "addresses"}, "stream_state": {"n": 1}}}},
)) + "\n"


def _failed_write(result) -> str:
    """The error of a write that must fail: no STATE (nothing was checkpointed as written), exit 1."""
    messages = protocol_messages(result.stdout)
    assert not [m for m in messages if m["type"] == "STATE"], "a write that wrote nothing must not checkpoint"
    errors = [m["trace"]["error"]["message"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    assert result.returncode != 0 and errors, result.stdout[-2000:]
    return errors[0]


@pytest.mark.parametrize("destination", sorted(DESTINATIONS))
def test_write_against_a_server_that_never_answers_retries_then_names_host_and_setting(destination):
    connector = DESTINATIONS[destination]
    with hanging_server() as url:
        config = {**_config(connector, url), "read_timeout_seconds": 0.2, **FAST_RETRIES}
        result = run_cli(connector.script, "write", config=config, catalog=ADDRESS_CATALOG, stdin=ADDRESS_INPUT, timeout=60)
    message = _failed_write(result)
    assert f"{url}/api/v1/Addresses did not answer within 0.2 s (read_timeout_seconds)" in message, message
    assert "(attempt 2)" in result.stdout  # it was retried first


@pytest.mark.parametrize("destination", sorted(DESTINATIONS))
def test_write_against_a_server_that_trickles_for_ever_gives_up_naming_the_answer_deadline(destination):
    connector = DESTINATIONS[destination]
    with trickling_server(interval=0.05) as url:
        config = {**_config(connector, url), "read_timeout_seconds": 0.2, **FAST_RETRIES}
        result = run_cli(connector.script, "write", config=config, catalog=ADDRESS_CATALOG, stdin=ADDRESS_INPUT, timeout=120)
    message = _failed_write(result)
    assert f"{url}/api/v1/Addresses" in message and "read_timeout_seconds" in message, message


@pytest.mark.parametrize("answer", sorted(WRONG_ANSWERS))
@pytest.mark.parametrize("destination", sorted(DESTINATIONS))
def test_write_against_a_server_that_is_not_the_api_fails_saying_what_answered(destination, answer):
    connector = DESTINATIONS[destination]
    with wrong_answer_server(answer) as url:
        result = run_cli(connector.script, "write", config={**_config(connector, url), **FAST_RETRIES},
                         catalog=ADDRESS_CATALOG, stdin=ADDRESS_INPUT, timeout=60)
    message = _failed_write(result)
    what = {"html-200": "an HTML page", "empty-200": "an empty body", "error-200": "an error object ('Unknown API method')"}[answer]
    assert f"GET {url}/api/v1/Addresses answered HTTP 200 with {what}" in message and "instead of the API's JSON" in message, message


# the connectors that take OAuth client credentials with a token_url
TOKEN_URL_CONNECTORS = ["destination_yodify", "yodify"]


@pytest.mark.parametrize("source", TOKEN_URL_CONNECTORS)
def test_check_with_a_token_url_that_never_answers_fails_naming_the_token_url(source):
    connector = CONNECTORS[source]
    with hanging_server() as url:
        config = {**_config(connector, url), "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "id", "client_secret": "token-secret-1",
            "token_url": f"{url}/oauth/token"}}
        result = run_cli(connector.script, "check", config=config, timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "/oauth/token did not answer within 1 s (read_timeout_seconds)" in status["message"]
    assert "credentials.token_url" in status["message"]


@pytest.mark.parametrize("answer", ["html-200", "error-200"])
@pytest.mark.parametrize("source", TOKEN_URL_CONNECTORS)
def test_check_with_a_token_url_that_is_not_a_token_endpoint_fails_naming_the_token_url(source, answer):
    connector = CONNECTORS[source]
    with wrong_answer_server(answer) as url:
        config = {**_config(connector, url), "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "id", "client_secret": "token-secret-1",
            "token_url": f"{url}/oauth/token"}}
        result = run_cli(connector.script, "check", config=config, timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "instead of a token: check credentials.token_url" in status["message"], status


@pytest.mark.parametrize("source", TOKEN_URL_CONNECTORS)
def test_check_with_client_credentials_the_token_endpoint_refuses_fails_naming_them(source):
    connector = CONNECTORS[source]
    with wrong_answer_server("unauthorized-401") as url:
        config = {**_config(connector, url), "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "id", "client_secret": "wrong-secret-1",
            "token_url": f"{url}/oauth/token"}}
        result = run_cli(connector.script, "check", config=config, timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert status["message"].startswith("The token endpoint refused the client credentials")
    assert "credentials.client_secret" in status["message"] and "401 Client Error" not in result.stdout


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_check_against_a_closed_port_fails_at_once(source):
    import socket

    with socket.socket() as probe:  # a free port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = CONNECTORS[source]
    result = run_cli(connector.script, "check", config=_config(connector, f"http://127.0.0.1:{port}"), timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert status["message"].startswith(f"Could not connect to GET http://127.0.0.1:{port}/") and "base_url" in status["message"]
    assert "waiting" not in result.stdout  # no retry schedule in check


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_check_against_a_server_that_trickles_forever_answers_within_its_deadline(source):
    """A byte every 0.3 s never trips a read timeout: the whole-answer deadline (5 read timeouts) or
    check's own (three request timeouts here, 25 s at most) ends it."""
    connector = CONNECTORS[source]
    with trickling_server() as url:
        result = run_cli(connector.script, "check", config=_config(connector, url), timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    message = status["message"]
    assert message.startswith(f"No complete answer from {url} within 6 s") or (
        f"{url}/" in message and "did not finish its answer within 5 s (5 x read_timeout_seconds)" in message), status
