"""Every connector, given a config value or a state it cannot use, answers with one sentence naming the
setting (or the stream and the value) and what a valid one looks like: `check` FAILED, `read` (a
destination's `write`) a config error; never a Python error or "Something went wrong". A start date or a cursor in the future
is a warning, and a future cursor heals itself (the stream is read again).

The sentences are decided in the shared entry point before the source is built; most cases run its
console-script body in-process (`run_declarative`, output captured) to keep the suite fast, and one
per source runs the console script itself."""

import json
from pathlib import Path

import pytest

from connector_common.entrypoint import run_declarative
from connector_common.state_checks import stream_cursors
from connector_testing import (
    CONNECTORS,
    SOURCES,
    catalog_for,
    cli_connection_status,
    protocol_messages,
    read,
    records_by_stream,
    run_cli,
    running_sandbox,
    state_messages,
)

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE = "http://127.0.0.1:9"  # nothing is asked of it: the config is refused first


def _spec(connector) -> dict:
    import yaml

    if connector.is_destination:
        from destination_yodify.destination import DestinationYodify

        return DestinationYodify().spec(__import__("logging").getLogger("test")).connectionSpecification
    return yaml.safe_load((ROOT / connector.script / "manifest.yaml").read_text())["spec"]["connection_specification"]


def _reading(connector) -> str:
    """The command that moves data: a source's `read`, a destination's `write`."""
    return "write" if connector.is_destination else "read"


def _run(connector, command, tmp_path, capsys, config, state=None, catalog=None) -> list[dict]:
    args = [command]
    for name, payload in (("config", config), ("state", state), ("catalog", catalog)):
        if payload is not None:
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(payload))
            args += [f"--{name}", str(path)]
    capsys.readouterr()
    try:
        if connector.is_destination:
            from destination_yodify.destination import DestinationYodify

            DestinationYodify().run(args)
        else:
            run_declarative(str(ROOT / connector.script / "run.py"), args)
    except SystemExit:
        pass
    return protocol_messages(capsys.readouterr().out)


def _failure(messages) -> str:
    statuses = [m["connectionStatus"] for m in messages if m["type"] == "CONNECTION_STATUS"]
    if statuses:
        assert [s["status"] for s in statuses] == ["FAILED"], statuses
        return statuses[0]["message"]
    errors = [m["trace"]["error"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    assert errors, messages
    assert errors[0]["failure_type"] == "config_error"
    return errors[0]["message"]


def _bad_values(connector) -> dict[str, tuple[str, object, str]]:
    """case -> (setting, bad value, what the sentence must say), from the source's spec."""
    properties = _spec(connector)["properties"]
    cases = {"empty base_url": ("base_url", "", "base_url must be a full URL starting with http:// or https://")}
    if "start_date" in properties:
        cases["impossible start_date"] = ("start_date", "2025-13-45", "start_date must be a real date such as '2024-01-31'")
    secret = _path_of(connector.config(UNREACHABLE), connector.secrets[0])
    cases["non-ASCII secret"] = (secret, "schlüssel-ключ", f"{'.'.join(secret)} contains characters that are not ASCII")
    bounded = next((k for k, v in properties.items() if v.get("type") == "integer" and "minimum" in v), None)
    if bounded:
        low = properties[bounded]["minimum"] - 1
        cases["number below its minimum"] = (bounded, low, f"{bounded} must be at least {properties[bounded]['minimum']} (got {low})")
    capped = next((k for k, v in properties.items() if v.get("type") == "integer" and "maximum" in v), None)
    if capped:
        high = properties[capped]["maximum"] + 1
        cases["number above its maximum"] = (capped, high, f"{capped} must be at most {properties[capped]['maximum']} (got {high})")
    chosen = next((k for k, v in properties.items() if v.get("enum")), None)
    if chosen:
        cases["value not in its enum"] = (chosen, "bogus", f"{chosen} must be one of {', '.join(map(repr, properties[chosen]['enum']))} (got 'bogus')")
    cases["timeout not a number"] = ("read_timeout_seconds", "soon", "read_timeout_seconds must be a number (got 'soon')")
    return cases


def _path_of(config: dict, value) -> tuple:
    for key, item in config.items():
        if item == value:
            return (key,)
        if isinstance(item, dict) and (inner := _path_of(item, value)):
            return (key,) + inner
    return ()


def _with(config: dict, setting, value) -> dict:
    """The config with one setting (a key, or a path into nested objects) replaced."""
    path = setting if isinstance(setting, tuple) else (setting,)
    config = json.loads(json.dumps(config))
    target = config
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return config


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_every_bad_config_value_gets_one_sentence_in_check_and_read(source, tmp_path, capsys):
    connector = CONNECTORS[source]
    for case, (setting, value, sentence) in _bad_values(connector).items():
        config = _with(connector.config(UNREACHABLE), setting, value)
        for command in ("check", _reading(connector)):
            catalog = {"streams": []} if command != "check" else None
            message = _failure(_run(connector, command, tmp_path, capsys, config, catalog=catalog))
            assert sentence in message, (case, command, message)
            if setting != "base_url" and value == "schlüssel-ключ":
                assert value not in message  # a secret is never repeated


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_console_script_check_refuses_an_empty_base_url_with_a_sentence(source):
    connector = CONNECTORS[source]
    status = cli_connection_status(run_cli(connector.script, "check", config={**connector.config(UNREACHABLE), "base_url": ""}, timeout=120))
    assert status["status"] == "FAILED"
    assert status["message"].startswith("base_url must be a full URL starting with http:// or https://")


@pytest.mark.parametrize("source", sorted(s for s in SOURCES if "start_date" in _spec(SOURCES[s])["properties"]))
def test_a_start_date_in_the_future_is_a_warning_not_an_error(source, tmp_path, capsys):
    connector = SOURCES[source]
    with running_sandbox(connector.sandbox) as server:
        config = {**connector.config(server.url), "start_date": "2099-01-01"}
        messages = _run(connector, "check", tmp_path, capsys, config)
    assert [m["connectionStatus"]["status"] for m in messages if m["type"] == "CONNECTION_STATUS"] == ["SUCCEEDED"]
    warnings = [m["log"]["message"] for m in messages if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert any("start_date '2099-01-01' is in the future" in w for w in warnings), warnings


def _incremental(connector, config):
    cursors = stream_cursors(__import__("yaml").safe_load((ROOT / connector.script / "manifest.yaml").read_text()), config)
    return sorted(cursors.items())


INCREMENTAL = sorted(s for s in SOURCES if _incremental(SOURCES[s], SOURCES[s].config(UNREACHABLE)))


def _state(stream: str, stream_state) -> list[dict]:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": stream_state}}]


@pytest.mark.parametrize("source", INCREMENTAL)
def test_a_state_the_connector_cannot_read_is_a_config_error_naming_stream_and_value(source, tmp_path, capsys):
    connector = SOURCES[source]
    config = connector.config(UNREACHABLE)
    stream, (field, _) = _incremental(connector, config)[0]
    catalog = {"streams": []}
    for stream_state, shown in (({field: "last tuesday"}, "'last tuesday'"), ({field: 1733097600}, "1733097600"),
                                ({"bogus_key": "x"}, "'bogus_key'")):
        message = _failure(_run(connector, "read", tmp_path, capsys, config, state=_state(stream, stream_state), catalog=catalog))
        assert f"The state of stream {stream} has" in message and shown in message, message
        assert "reset the stream" in message and "Something went wrong" not in message


@pytest.mark.parametrize("source", INCREMENTAL)
def test_a_cursor_in_the_future_is_dropped_with_a_warning_and_the_stream_read_again(source):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    from airbyte_cdk.models import SyncMode

    with running_sandbox(connector.sandbox) as server:
        config = connector.config(server.url)
        stream, (field, _) = _incremental(connector, config)[0]
        catalog = catalog_for(manifest, config, [stream], sync_mode=SyncMode.incremental)
        fresh = read(manifest, config, catalog)
        future = read(manifest, config, catalog, state=_state(stream, {field: "2099-01-01T00:00:00Z"}))
    assert not future.errors
    assert len(records_by_stream(future).get(stream, [])) == len(records_by_stream(fresh).get(stream, [])) > 0
    assert "2099" not in json.dumps(state_messages(future))
    assert any("later than now" in m.log.message and stream in m.log.message for m in future.logs if m.log), "no warning"


@pytest.mark.parametrize("source", INCREMENTAL)
def test_legacy_state_is_read_as_per_stream_state(source, tmp_path, capsys):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, SyncMode

    with running_sandbox(connector.sandbox) as server:
        config = connector.config(server.url)
        stream, (field, _) = _incremental(connector, config)[0]
        catalog = ConfiguredAirbyteCatalogSerializer.dump(catalog_for(manifest, config, [stream], sync_mode=SyncMode.incremental))
        first = read(manifest, config, catalog_for(manifest, config, [stream], sync_mode=SyncMode.incremental))
        per_stream = state_messages(first)[-1]["stream"]["stream_state"]
        messages = _run(connector, "read", tmp_path, capsys, config, state={stream: per_stream}, catalog=catalog)
    assert not [m for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"], messages[-3:]
    assert any(m["type"] == "LOG" and "legacy format" in m["log"]["message"] for m in messages)
    assert any(m["type"] == "STATE" for m in messages)
