"""What a person sees when the config is wrong: check results and errors, over real HTTP and the CLI."""

import base64
import json


from connector_testing import catalog_for, check, connection_status, read, run_cli


def test_check_succeeds_with_full_api_credentials(sandbox, manifest, config_for, creds):
    assert connection_status(check(manifest, config_for(sandbox)))[0] == "SUCCEEDED"


def test_wrong_password_fails_check_with_a_sentence(sandbox, manifest, config_for, creds):
    state, message = connection_status(check(manifest, config_for(sandbox, password="wrong")))
    assert state == "FAILED"
    assert "rejected the API username and password" in message and "Admin > API Accounts" in message
    assert "Traceback" not in message


def test_public_key_is_explained(sandbox, manifest, config_for, creds):
    state, message = connection_status(check(manifest, config_for(sandbox, username=creds['public_key'], password="")))
    assert state == "FAILED"
    assert "Public API key" in message and "Full API Access username and password" in message


def test_public_key_still_reads_public_streams(sandbox, manifest, config_for, creds):
    config = config_for(sandbox, username=creds['public_key'], password="")
    output = read(manifest, config, catalog_for(manifest, config, ["products", "categories"]))
    assert not output.errors and len(output.records) == 80 + 12


def test_private_stream_with_public_key_fails_with_the_reason(sandbox, manifest, config_for, creds):
    config = config_for(sandbox, username=creds['public_key'], password="")
    output = read(manifest, config, catalog_for(manifest, config, ["orders"]), expecting_exception=True)
    messages = " ".join(e.trace.error.message for e in output.errors)
    assert "Public API key" in messages


def test_html_instead_of_json_is_an_error_not_an_empty_sync(manifest, config_for, creds, monkeypatch):
    from connector_testing import patch_retry_waits, running_sandbox

    patch_retry_waits(monkeypatch)
    with running_sandbox("rec-plus", faults=["html:1:200"], error_retry_after=1) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config, ["manufacturers"]), expecting_exception=True)
        assert not output.records
        assert any("instead of JSON" in e.trace.error.message for e in output.errors)
        assert len(server.api_requests("/manufacturers")) == 7  # first try + 6 retries, then the error


def test_bad_config_values_are_refused_by_the_spec(sandbox, manifest, config_for, creds):
    result = run_cli("source-rec-plus", "check", config=config_for(sandbox, page_size=5000))
    messages = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    status = [m for m in messages if m["type"] == "CONNECTION_STATUS"]
    traces = [m for m in messages if m["type"] == "TRACE"]
    assert (status and status[0]["connectionStatus"]["status"] == "FAILED") or traces
    text = json.dumps(status or traces)
    assert "page_size must be at most 1000 (got 5000)." in text  # the shared config checks' sentence


def test_secrets_never_appear_in_cli_output(sandbox, manifest, config_for, creds):
    secrets = [creds["password"], creds["user"], base64.b64encode(f"{creds['user']}:{creds['password']}".encode()).decode()]
    config = config_for(sandbox)
    catalog = catalog_for(manifest, config, ["orders", "users"])
    for command, kwargs in [("check", {}), ("discover", {}), ("read", {"catalog": catalog})]:
        result = run_cli("source-rec-plus", command, config=config, **kwargs)
        assert result.returncode == 0, result.stderr[-2000:]
        for secret in secrets:
            assert secret not in result.stdout and secret not in result.stderr, f"{command} leaked a secret"
    wrong = run_cli("source-rec-plus", "check", config=config_for(sandbox, password="s3cret-wrong-pass"))
    assert "s3cret-wrong-pass" not in wrong.stdout + wrong.stderr
    assert '"FAILED"' in wrong.stdout


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "start_date, since",
    [("2024-01-01T00:00:00Z", "2024-01-01T00:00:00"), ("2024-01-01T00:00:00+02:00", "2023-12-31T22:00:00"),
     ("2024-01-01T00:00:00.250Z", "2024-01-01T00:00:00"), ("2024-01-01", "2024-01-01T00:00:00")],
)
def test_iso_8601_start_dates_pass_check_and_read(start_date, since, sandbox, manifest, config_for):
    # the contract: start_date is ISO 8601 (optional); an offset is converted to UTC
    config = config_for(sandbox, start_date=start_date)
    assert connection_status(check(manifest, config))[0] == "SUCCEEDED"
    output = read(manifest, config, catalog_for(manifest, config, ["orders"]))
    assert not output.errors and output.records
    assert "since_timestamp=" + since in sandbox.api_requests("/orders")[-1]["query"]
