"""The one way every source connector starts: build the declarative source from its manifest and launch it.

As in Airbyte's manifest connectors' `run.py`, config, catalog and state are read from the
command line *before* the source is built: the concurrent declarative source needs them at
construction, or `{{ config[...] }}` renders empty.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint, launch
from airbyte_cdk.models import (
    AirbyteErrorTraceMessage,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteTraceMessage,
    FailureType,
    TraceType,
    Type,
)
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource

MANIFEST = "manifest.yaml"


def find_manifest(package_file: str) -> Path:
    """The connector's manifest: beside the package (installed image) or at the connector root (workspace)."""
    package_dir = Path(package_file).resolve().parent
    for candidate in (package_dir / MANIFEST, package_dir.parent / MANIFEST):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{MANIFEST} not found beside {package_dir} or in its parent")


def build_source(manifest: Path, args: list[str]) -> YamlDeclarativeSource:
    catalog_path = AirbyteEntrypoint.extract_catalog(args)
    config_path = AirbyteEntrypoint.extract_config(args)
    state_path = AirbyteEntrypoint.extract_state(args)
    return YamlDeclarativeSource(
        path_to_yaml=str(manifest),
        catalog=YamlDeclarativeSource.read_catalog(catalog_path) if catalog_path else None,
        config=YamlDeclarativeSource.read_config(config_path) if config_path else None,
        state=YamlDeclarativeSource.read_state(state_path) if state_path else None,
        config_path=config_path,
    )


def _emit_startup_error(error: Exception) -> None:
    """A config, catalog or state file that cannot be read is the user's to fix: say so as a trace."""
    message = AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ERROR,
            emitted_at=int(datetime.now(timezone.utc).timestamp() * 1000),
            error=AirbyteErrorTraceMessage(
                message=f"The connector could not start: {error}",
                internal_message=str(error),
                failure_type=FailureType.config_error,
                stack_trace=traceback.format_exc(),
            ),
        ),
    )
    print(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode())


def run_declarative(package_file: str, args: list[str] | None = None) -> None:
    """Console-script body for a declarative source: `run_declarative(__file__)` in `<pkg>/run.py`."""
    args = sys.argv[1:] if args is None else args
    try:
        source = build_source(find_manifest(package_file), args)
    except Exception as error:  # noqa: BLE001 - reported as a protocol trace, not a traceback
        _emit_startup_error(error)
        sys.exit(1)
    launch(source, args)
