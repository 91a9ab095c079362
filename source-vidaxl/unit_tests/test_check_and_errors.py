"""check, errors and secrets, through the installed console script as a user runs it."""

from airbyte_cdk.models import SyncMode

from connector_testing import catalog_for, cli_connection_status, protocol_messages, read, run_cli

SCRIPT = "source-vidaxl"


def messages_of(result, kind):
    return [m for m in protocol_messages(result.stdout) if m["type"] == kind]


def test_check_succeeds_with_the_sandbox_credentials(config_for, sandbox):
    result = run_cli(SCRIPT, "check", config=config_for(sandbox))
    status = cli_connection_status(result)
    assert status["status"] == "SUCCEEDED", status


def test_wrong_credentials_fail_check_with_a_clear_sentence_and_no_secret(config_for, sandbox, creds):
    bad_token = "wrong-token-4417"
    result = run_cli(SCRIPT, "check", config=config_for(sandbox, api_token=bad_token))
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    message = status["message"]
    assert "did not accept the email and API token" in message and "401" in message
    assert "Traceback" not in message
    output = result.stdout + result.stderr
    assert bad_token not in output and creds["api_token"] not in output


def test_secret_never_appears_in_a_read(config_for, sandbox, creds, manifest):
    config = config_for(sandbox)
    catalog = catalog_for(manifest, config, sync_mode=SyncMode.incremental)
    result = run_cli(SCRIPT, "read", config=config, catalog=catalog)
    assert result.returncode == 0, result.stderr[-2000:]
    assert messages_of(result, "RECORD")
    assert creds["api_token"] not in result.stdout + result.stderr
    # nor in the URLs the connector requested
    assert all(creds["api_token"] not in r["query"] for r in sandbox.api_requests())


def test_spec_makes_start_date_optional_and_marks_the_token_secret():
    result = run_cli(SCRIPT, "spec")
    spec = messages_of(result, "SPEC")[0]["spec"]["connectionSpecification"]
    assert set(spec["required"]) == {"email", "api_token"}
    assert spec["properties"]["api_token"]["airbyte_secret"] is True
    assert spec["properties"]["start_date"]["default"] == "2024-01-01"
    assert spec["properties"]["lookback_days"]["default"] == 30
    assert spec["properties"]["environment"]["enum"] == ["production", "sandbox"]


def test_422_when_listing_is_a_config_error_with_the_api_message(config_for, sandbox, manifest):
    # the sandbox refuses dates before 2000 with a 422, as the real API does for a bad date
    config = config_for(sandbox, start_date="1999-12-01")
    output = read(manifest, config, catalog_for(manifest, config, ["orders"]), expecting_exception=True)
    errors = [e.trace.error for e in output.errors]
    assert errors, "a 422 must surface as an error trace"
    assert errors[0].failure_type.value == "config_error"
    assert "rejected the order list request (HTTP 422)" in errors[0].message
    assert "Invalid date for submitted_at_gt_eq" in errors[0].message
    assert "Traceback" not in errors[0].message


def test_environment_picks_the_documented_host(manifest, creds):
    from connector_testing import declarative_source

    for environment, host in [("production", "https://b2b.vidaxl.com"), ("sandbox", "https://sandbox.b2b.vidaxl.com")]:
        config = {**creds, "environment": environment, "start_date": "2024-01-01"}
        source = declarative_source(manifest, config)
        stream = next(s for s in source.streams(config) if s.name == "orders")
        partition = next(iter(stream.generate_partitions()))
        requester = partition._retriever.requester  # noqa: SLF001 - the URL is the point of the test
        assert requester.get_url() == host + "/api_customer/orders"
    # base_url overrides the environment; a trailing slash is not doubled
    config = {**creds, "environment": "production", "start_date": "2024-01-01", "base_url": "http://127.0.0.1:1/",
              "orders_path": "/api_customers/orders.json"}
    stream = next(s for s in declarative_source(manifest, config).streams(config) if s.name == "orders")
    requester = next(iter(stream.generate_partitions()))._retriever.requester  # noqa: SLF001
    assert requester.get_url() == "http://127.0.0.1:1/api_customers/orders.json"


def test_a_config_without_start_date_passes_check_and_reads_from_2024_01_01(config_for, sandbox, creds, manifest):
    # the GUIDE: start_date is optional for every source; the manifest falls back to 2024-01-01
    config = config_for(sandbox)
    del config["start_date"]
    status = cli_connection_status(run_cli(SCRIPT, "check", config=config))
    assert status["status"] == "SUCCEEDED", status
    result = run_cli(SCRIPT, "read", config=config, catalog=catalog_for(manifest, config, ["orders"]))
    assert result.returncode == 0, result.stderr[-2000:]
    orders = [m["record"]["data"] for m in messages_of(result, "RECORD")]
    assert len(orders) == sandbox.api.counts()["orders"]
    assert any("submitted_at_casted_eq=2023-12-31" in r["query"] for r in sandbox.api_requests("/orders"))
