"""check, error messages and secrets, through the installed console script as a user runs it."""

from __future__ import annotations

from pathlib import Path

from airbyte_cdk.models import SyncMode

from connector_testing import catalog_for, cli_connection_status, protocol_messages, read, run_cli, running_sandbox
from supplier_sandbox.apis.yodify.reads import problem

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yaml"


def test_wrong_token_fails_check_with_a_sentence_and_no_traceback(yod):
    with running_sandbox("yodify") as server:
        result = run_cli("source-yodify", "check", config=yod.token_config(server, token="not-a-token"))
        status = cli_connection_status(result)
        assert status["status"] == "FAILED"
        assert "Yodify did not accept the credentials" in status["message"] and "Check the access token" in status["message"]
        assert "Traceback" not in status["message"]
        assert "not-a-token" not in result.stdout + result.stderr


def test_forbidden_token_fails_with_a_sentence(yod):
    from supplier_sandbox.apis.yodify.auth import NO_SCOPE_TOKEN

    with running_sandbox("yodify") as server:
        config = yod.token_config(server, token=NO_SCOPE_TOKEN)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config, ["carriers"]), expecting_exception=True)
        message = output.errors[0].trace.error.message
        assert message.startswith("Yodify refused access to http://127.0.0.1") and "lacks the `yodify` scope" in message
        assert output.errors[0].trace.error.failure_type.value == "config_error"


def test_wrong_client_secret_fails_check_clearly(yod):
    with running_sandbox("yodify") as server:
        result = run_cli("source-yodify", "check", config=yod.oauth_config(server, secret="wrong-secret"))
        status = cli_connection_status(result)
        assert status["status"] == "FAILED"
        assert "Traceback" not in status["message"]
        assert "token" in status["message"].lower()
        assert "wrong-secret" not in result.stdout + result.stderr


def test_validation_problem_details_become_a_readable_message(yod):
    with running_sandbox("yodify") as server:
        real = server.api.authenticate

        def refuse_carriers(request):
            if request.path.endswith("/Carriers"):
                return problem(request, {"Limit": ["Limit must be between 1 and 100."], "Page": ["Page is invalid."]},
                               "Carriers could not be retrieved.")
            return real(request)

        server.api.authenticate = refuse_carriers
        config = yod.token_config(server)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config, ["carriers"]), expecting_exception=True)
        message = output.errors[0].trace.error.message
        assert message.startswith("Yodify rejected the request to http://127.0.0.1")
        assert "(HTTP 400): One or more validation errors occurred. Carriers could not be retrieved." in message
        assert "Limit: Limit must be between 1 and 100. Page: Page is invalid." in message


def test_check_succeeds_and_secrets_never_appear_in_any_output(yod):
    with running_sandbox("yodify") as server:
        oauth, token = yod.oauth_config(server), yod.token_config(server)
        catalog = catalog_for(MANIFEST, oauth, ["orders", "skus", "carriers"], SyncMode.incremental)
        outputs = [run_cli("source-yodify", "check", config=oauth), run_cli("source-yodify", "read", config=oauth, catalog=catalog)]
        assert cli_connection_status(outputs[0])["status"] == "SUCCEEDED"
        assert any(m["type"] == "RECORD" for m in protocol_messages(outputs[1].stdout))
        issued = list(server.api.auth.issued)
        assert len(issued) >= 2  # check and read each took a token
        text = "".join(o.stdout + o.stderr for o in outputs)
        for secret in [yod.CLIENT_SECRET, *issued]:
            assert secret not in text
        read_out = run_cli("source-yodify", "read", config=token, catalog=catalog)
        assert any(m["type"] == "RECORD" for m in protocol_messages(read_out.stdout))
        assert yod.STATIC_TOKEN not in read_out.stdout + read_out.stderr
