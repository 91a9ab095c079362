"""Every source against servers that are not its API: one that accepts connections and never answers,
and ones that answer 200 with an HTML page, an empty body or an error object. `check` (the console
script, as a user runs it) answers FAILED at once with a sentence saying what answered; `read`
retries a hung request, then reports it naming the host and the setting to raise.

Timeouts come from the test's config (`connect_timeout_seconds`, `read_timeout_seconds`), so a
hanging server costs a second per request, not the defaults."""

from pathlib import Path

import pytest

from connector_testing import SOURCES, catalog_for, cli_connection_status, patch_retry_waits, read, run_cli
from connector_testing.misbehaving import WRONG_ANSWERS, hanging_server, wrong_answer_server

ROOT = Path(__file__).resolve().parents[1]
SHORT_TIMEOUTS = {"connect_timeout_seconds": 1, "read_timeout_seconds": 1}


def _config(connector, url):
    return {**connector.config(url), **SHORT_TIMEOUTS}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_check_against_a_server_that_never_answers_fails_naming_the_timeout(source):
    connector = SOURCES[source]
    with hanging_server() as url:
        result = run_cli(connector.script, "check", config=_config(connector, url), timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "did not answer within 1 s (read_timeout_seconds)" in status["message"] and url in status["message"]


@pytest.mark.parametrize("answer", sorted(WRONG_ANSWERS))
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_check_against_a_server_that_is_not_the_api_fails_at_once_saying_what_answered(source, answer):
    connector = SOURCES[source]
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


def test_check_with_a_token_url_that_never_answers_fails_naming_the_token_url():
    connector = SOURCES["yodify"]
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
def test_check_with_a_token_url_that_is_not_a_token_endpoint_fails_naming_the_token_url(answer):
    connector = SOURCES["yodify"]
    with wrong_answer_server(answer) as url:
        config = {**_config(connector, url), "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "id", "client_secret": "token-secret-1",
            "token_url": f"{url}/oauth/token"}}
        result = run_cli(connector.script, "check", config=config, timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "instead of a token: check credentials.token_url" in status["message"], status


def test_check_with_client_credentials_the_token_endpoint_refuses_fails_naming_them():
    connector = SOURCES["yodify"]
    with wrong_answer_server("unauthorized-401") as url:
        config = {**_config(connector, url), "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "id", "client_secret": "wrong-secret-1",
            "token_url": f"{url}/oauth/token"}}
        result = run_cli(connector.script, "check", config=config, timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert status["message"].startswith("The token endpoint refused the client credentials")
    assert "credentials.client_secret" in status["message"] and "401 Client Error" not in result.stdout


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_check_against_a_closed_port_fails_at_once(source):
    import socket

    with socket.socket() as probe:  # a free port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = SOURCES[source]
    result = run_cli(connector.script, "check", config=_config(connector, f"http://127.0.0.1:{port}"), timeout=60)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert status["message"].startswith(f"Could not connect to GET http://127.0.0.1:{port}/") and "base_url" in status["message"]
    assert "waiting" not in result.stdout  # no retry schedule in check
