"""spec and check, as the console script and in-process: credentials, write permission, no data changed."""

from __future__ import annotations

import json
import logging

from connector_testing import cli_connection_status, run_cli, running_sandbox
from destination_yodify.destination import DestinationYodify

from yodify_dest_helpers import make_config, oauth_config

READ_ONLY = "yodify-sandbox-readonly-token"


def test_spec_marks_secrets_and_documents_options():
    from airbyte_cdk.models import ConnectorSpecificationSerializer

    spec = ConnectorSpecificationSerializer.dump(DestinationYodify().spec(logging.getLogger("test")))
    props = spec["connectionSpecification"]["properties"]
    token, oauth = props["credentials"]["oneOf"]
    assert token["properties"]["access_token"]["airbyte_secret"] is True
    assert oauth["properties"]["client_secret"]["airbyte_secret"] is True
    assert oauth["properties"]["scope"]["default"] == "yodify"
    # issue 12: a record that cannot be written is rejected (the sync goes on) unless fail is chosen
    assert props["on_bad_record"]["enum"] == ["reject", "fail"] and props["on_bad_record"]["default"] == "reject"
    assert {"confirm_orders", "confirm_orders_for_shipments", "max_concurrency", "rejected_records"} <= set(props)
    s3 = next(o for o in props["rejected_records"]["oneOf"] if o["properties"]["storage_type"]["const"] == "S3")
    assert s3["properties"]["secret_access_key"]["airbyte_secret"] is True and s3["properties"]["access_key_id"]["airbyte_secret"] is True
    assert spec["supported_destination_sync_modes"] == ["append", "append_dedup", "update"]


def test_check_succeeds_with_static_token_and_changes_nothing(sandbox):
    before = json.dumps(sandbox.api.store.skus, sort_keys=True, default=str)
    result = run_cli("destination-yodify", "check", config=make_config(sandbox))
    assert cli_connection_status(result)["status"] == "SUCCEEDED", result.stdout
    assert sandbox.api.writes == []
    assert json.dumps(sandbox.api.store.skus, sort_keys=True, default=str) == before
    probes = [r for r in sandbox.api_requests("UpdateInventory")]
    assert probes and probes[0]["method"] == "PUT" and probes[0]["status"] == 400


def test_check_succeeds_with_oauth_client_credentials(sandbox):
    status = DestinationYodify().check(logging.getLogger("test"), oauth_config(sandbox))
    assert status.status.value == "SUCCEEDED", status.message
    assert sandbox.api.auth.tokens_issued == 1


def test_check_fails_on_a_wrong_token_with_a_plain_sentence_and_no_secret(sandbox):
    config = make_config(sandbox)
    config["credentials"]["access_token"] = "wrong-token-s3cr3t"
    result = run_cli("destination-yodify", "check", config=config)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "401" in status["message"] and "credentials.access_token" in status["message"]
    assert "Traceback" not in status["message"]
    assert "wrong-token-s3cr3t" not in result.stdout + result.stderr


def test_check_fails_when_the_token_can_read_but_not_write(sandbox):
    config = make_config(sandbox)
    config["credentials"]["access_token"] = READ_ONLY
    result = run_cli("destination-yodify", "check", config=config)
    status = cli_connection_status(result)
    assert status["status"] == "FAILED"
    assert "403" in status["message"] and "write" in status["message"]
    assert READ_ONLY not in result.stdout + result.stderr
    assert sandbox.api.writes == []


def test_check_fails_on_wrong_client_secret_without_leaking_it(sandbox):
    config = oauth_config(sandbox, secret="not-the-secret-xyz")
    status = DestinationYodify().check(logging.getLogger("test"), config)
    assert status.status.value == "FAILED" and "client_secret" in status.message
    assert "not-the-secret-xyz" not in status.message


def test_check_fails_clearly_when_nothing_listens():
    with running_sandbox("yodify") as server:
        url = server.url
    config = {"base_url": url, "credentials": {"auth_type": "access_token", "access_token": "x"}}
    status = DestinationYodify().check(logging.getLogger("test"), config)
    assert status.status.value == "FAILED" and "base_url" in status.message
