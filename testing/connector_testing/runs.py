"""Running a connector in tests: in-process through the CDK's entrypoint wrapper, or as the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from airbyte_cdk.models import (
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
    SyncMode,
)
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.test import entrypoint_wrapper
from airbyte_cdk.test.catalog_builder import CatalogBuilder, ConfiguredAirbyteStreamBuilder

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def declarative_source(
    manifest: Path | str,
    config: dict[str, Any],
    catalog: ConfiguredAirbyteCatalog | None = None,
    state: list[AirbyteStateMessage] | None = None,
) -> ConcurrentDeclarativeSource:
    """The source as the connector's entry point builds it (shared spec properties, config and state checks)."""
    from connector_common.entrypoint import declarative_source as build

    return build(manifest, config, catalog, state)[0]


def discover(manifest: Path | str, config: dict[str, Any]) -> entrypoint_wrapper.EntrypointOutput:
    return entrypoint_wrapper.discover(declarative_source(manifest, config), config)


def check(manifest: Path | str, config: dict[str, Any]) -> entrypoint_wrapper.EntrypointOutput:
    """A `check` in-process (the CDK's wrapper has discover and read, not check)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = entrypoint_wrapper.make_file(Path(tmp) / "config.json", config)
        return entrypoint_wrapper._run_command(declarative_source(manifest, config), ["check", "--config", path])


def connection_status(output: entrypoint_wrapper.EntrypointOutput) -> tuple[str, str]:
    """(SUCCEEDED|FAILED, message) of a check's single CONNECTION_STATUS message."""
    statuses = output.connection_status_messages
    assert len(statuses) == 1, f"expected one CONNECTION_STATUS, got {len(statuses)}: {output.errors}"
    status = statuses[0].connectionStatus
    return status.status.name, status.message or ""


def catalog_for(
    manifest: Path | str,
    config: dict[str, Any],
    streams: Iterable[str] | None = None,
    sync_mode: SyncMode = SyncMode.full_refresh,
) -> ConfiguredAirbyteCatalog:
    """A configured catalog of the discovered streams (all, or those named), in the given mode."""
    discovered = discover(manifest, config).catalog.catalog
    wanted = set(streams) if streams is not None else None
    builder = CatalogBuilder()
    for stream in discovered.streams:
        if wanted is not None and stream.name not in wanted:
            continue
        mode = sync_mode if sync_mode in stream.supported_sync_modes else SyncMode.full_refresh
        builder.with_stream(ConfiguredAirbyteStreamBuilder().with_name(stream.name).with_sync_mode(mode).with_json_schema(stream.json_schema))
    catalog = builder.build()
    if wanted is not None:
        missing = wanted - {s.stream.name for s in catalog.streams}
        assert not missing, f"streams not discovered: {sorted(missing)}"
    # CatalogBuilder leaves primary keys and cursors to the source's defaults, as the platform does.
    return catalog


def read(
    manifest: Path | str,
    config: dict[str, Any],
    catalog: ConfiguredAirbyteCatalog,
    state: list[AirbyteStateMessage] | list[dict] | None = None,
    expecting_exception: bool = False,
) -> entrypoint_wrapper.EntrypointOutput:
    """A `read` in-process; state may be the raw STATE message dicts of an earlier read."""
    if state and isinstance(state[0], dict):
        from airbyte_cdk.models import AirbyteStateMessageSerializer

        state = [AirbyteStateMessageSerializer.load(s) for s in state]  # type: ignore[arg-type]
    source = declarative_source(manifest, config, catalog, state)  # type: ignore[arg-type]
    return entrypoint_wrapper.read(source, config, catalog, state, expecting_exception=expecting_exception)  # type: ignore[arg-type]


def records_by_stream(output: entrypoint_wrapper.EntrypointOutput) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for message in output.records:
        grouped[message.record.stream].append(message.record.data)
    return dict(grouped)


def state_messages(output: entrypoint_wrapper.EntrypointOutput) -> list[dict]:
    """The last STATE per stream, as plain dicts to feed the next read."""
    from airbyte_cdk.models import AirbyteStateMessageSerializer

    last: dict[str, dict] = {}
    for message in output.state_messages:
        state = message.state
        name = state.stream.stream_descriptor.name if state.stream else "__global__"
        last[name] = AirbyteStateMessageSerializer.dump(state)
    return list(last.values())


def run_cli(
    script: str,
    command: str,
    *,
    config: dict[str, Any] | None = None,
    catalog: ConfiguredAirbyteCatalog | dict | None = None,
    state: list[dict] | None = None,
    stdin: str | None = None,
    timeout: float = 300,
    env: dict[str, str] | None = None,
    debug: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (`source-rec-plus check --config ...`) as a user would."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [str(VENV_BIN / script), command] + (["--debug"] if debug else [])
        if config is not None:
            path = Path(tmp, "config.json")
            path.write_text(json.dumps(config))
            args += ["--config", str(path)]
        if catalog is not None:
            path = Path(tmp, "catalog.json")
            payload = catalog if isinstance(catalog, dict) else ConfiguredAirbyteCatalogSerializer.dump(catalog)
            path.write_text(json.dumps(payload))
            args += ["--catalog", str(path)]
        if state is not None:
            path = Path(tmp, "state.json")
            path.write_text(json.dumps(state))
            args += ["--state", str(path)]
        return subprocess.run(
            args, input=stdin, capture_output=True, text=True, timeout=timeout,
            env={**os.environ, **(env or {})},
        )


def cli_connection_status(result: subprocess.CompletedProcess[str]) -> dict:
    """The `connectionStatus` of a console script's `check`: exactly one CONNECTION_STATUS on stdout."""
    statuses = [m["connectionStatus"] for m in protocol_messages(result.stdout) if m["type"] == "CONNECTION_STATUS"]
    assert len(statuses) == 1, f"expected one CONNECTION_STATUS:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return statuses[0]


def protocol_messages(stdout: str) -> list[dict]:
    """Every stdout line parsed as an Airbyte message; fails on any line that is not one."""
    messages = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        message = json.loads(line)
        assert "type" in message, f"stdout line is not an Airbyte message: {line[:200]}"
        messages.append(message)
    return messages
