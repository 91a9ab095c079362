"""The one way every source connector starts: build the declarative source from its manifest and launch it.

As in Airbyte's manifest connectors' `run.py`, config, catalog and state are read from the
command line *before* the source is built: the concurrent declarative source needs them at
construction, or `{{ config[...] }}` renders empty.

What every source gets here, so no manifest repeats it:
- the shared spec properties (`transport.TIMEOUT_SPEC_PROPERTIES`) and request timeouts (`transport`);
- credentials inside URLs masked (`masking`), and every line printed passed through the secret filter;
- one sentence for a bad config value (`config_checks`) or a state it cannot read (`state_checks`),
  before the source is built: `check` answers FAILED with it, other commands stop with a config error;
- `check` strict and bounded: the first answer decides, and it answers within
  `transport.CHECK_DEADLINE_SECONDS` whatever the servers do;
- key integrity on `read` (`key_integrity`).
"""

from __future__ import annotations

import ast
import copy
import json
import logging
import os
import sys
import threading
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import orjson
import yaml
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteErrorTraceMessage,
    AirbyteLogMessage,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteStateMessageSerializer,
    AirbyteTraceMessage,
    FailureType,
    Level,
    Status,
    TraceType,
    Type,
)
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets

from . import cdk_fast_paths, transport
from .components import shared_reads
from .config_checks import config_problems, future_date_settings
from .key_integrity import KeyIntegrity, declarations
from .masking import masked_url, register_url_secrets
from .state_checks import check_state, per_stream_state

cdk_fast_paths.install_datetime_fast_path()

MANIFEST = "manifest.yaml"
# libyaml's safe loader reads a manifest in a fifth of the pure-Python one's time (every process start)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
logger = logging.getLogger("airbyte")


def find_manifest(package_file: str) -> Path:
    """The connector's manifest: beside the package (installed image) or at the connector root (workspace)."""
    package_dir = Path(package_file).resolve().parent
    for candidate in (package_dir / MANIFEST, package_dir.parent / MANIFEST):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{MANIFEST} not found beside {package_dir} or in its parent")


def load_manifest(manifest: Path | str) -> dict[str, Any]:
    """The manifest as a dict, with the properties every connector's spec shares."""
    definition = yaml.load(Path(manifest).read_text(), Loader=_YAML_LOADER)
    spec = definition.get("spec", {}).get("connection_specification", {})
    properties = spec.setdefault("properties", {})
    for key, schema in transport.TIMEOUT_SPEC_PROPERTIES.items():
        properties.setdefault(key, copy.deepcopy(schema))
    return definition


class SupplierEntrypoint(AirbyteEntrypoint):
    """The CDK's entry point; its secret filter also holds the credentials inside the config's URLs
    (the CDK's `update_secrets` replaces the list with the spec's `airbyte_secret` values)."""

    @staticmethod
    def set_up_secret_filter(config: Any, connection_specification: Mapping[str, Any]) -> None:
        AirbyteEntrypoint.set_up_secret_filter(config, connection_specification)
        register_url_secrets(config)


RECORD_QUEUE_SIZE = 1_000


class StartupProblem(Exception):
    """A config or state the connector cannot run with: one sentence for the user."""


class SupplierSource(ConcurrentDeclarativeSource):
    """The CDK's concurrent declarative source, with what the entry point checked: `read` starts with
    the startup warnings (a future start date, a state read differently) and passes what it emits
    through key integrity; `check` does without a future start date; the state is the checked one."""

    def __init__(self, *args: Any, startup_warnings: Iterable[str] = (), check_without: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The CDK's queue from the workers to the main thread holds up to 10,000 records; the main
        # thread (messages, output) is slower than the workers, so a large sync keeps it full: at
        # 20x data M3's product details there were most of the memory (bench/RESULTS.md). 1,000
        # still keeps every worker busy; the main thread never blocks on it (the CDK buffers its own puts).
        self._concurrent_source._queue.maxsize = RECORD_QUEUE_SIZE
        self.startup_warnings = list(startup_warnings)
        self.check_without = set(check_without)
        self.checked_state = kwargs.get("state") or []

    def read_state(self, state_path: str) -> list:
        # the state as checked (legacy converted, future cursors dropped), not the file again
        return list(self.checked_state)

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        # a future start date leaves a stream no slice to read: check proves the API without it
        # (the CDK's check overlay rebinds `_config` the same way)
        saved = self._config
        self._config = {key: value for key, value in saved.items() if key not in self.check_without}
        try:
            return super().check(logger, config)
        finally:
            self._config = saved

    def read(self, logger: logging.Logger, config: Mapping[str, Any], catalog: Any, state: Any = None) -> Iterator[AirbyteMessage]:
        for warning in self.startup_warnings:
            yield AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=Level.WARN, message=warning))
        streams = [s for s in self.resolved_manifest.get("streams") or [] if isinstance(s, Mapping)]
        integrity = KeyIntegrity({s.get("name"): s.get("primary_key") for s in streams}, declarations(streams))
        # streams carved out of the same answers read each request once (components.shared_reads)
        with shared_reads.sync({s.stream.name for s in catalog.streams}) as reads:
            for message in super().read(logger, config, catalog, state):
                shared_reads.observe(reads, message)
                yield from integrity.observe(message)
        yield from integrity.summary()


def prepare(manifest: Path | str, config: Mapping[str, Any] | None, state: Any, *, strict: bool = False) -> tuple[dict, list, list[str], list[str]]:
    """Checks config and state before the source is built; (manifest dict, state messages, warnings,
    settings check does without).

    Raises StartupProblem with the first error's sentence."""
    definition = load_manifest(manifest)
    warnings: list[str] = []
    register_url_secrets(config)
    transport.install(config, strict=strict)
    messages: list = []
    future: list[str] = []
    if config is not None:
        spec = definition.get("spec", {}).get("connection_specification", {})
        errors, config_warnings = config_problems(spec, config)
        if errors:
            raise StartupProblem(errors[0])
        warnings += config_warnings
        future = future_date_settings(spec, config)
        raw_messages, notes = per_stream_state(state)
        warnings += notes
        kept, state_errors, state_warnings = check_state(raw_messages, definition, config)
        if state_errors:
            raise StartupProblem(state_errors[0])
        warnings += state_warnings
        messages = [AirbyteStateMessageSerializer.load(m) for m in kept]
    return definition, messages, warnings, future


def declarative_source(manifest: Path | str, config: Mapping[str, Any] | None, catalog: Any = None, state: Any = None,
                       *, strict: bool = False, config_path: str | None = None) -> tuple[SupplierSource, list[str]]:
    """The source as this entry point builds it (tests build it the same way); and its warnings."""
    if isinstance(state, list) and state and not isinstance(state[0], Mapping):  # AirbyteStateMessage objects from an earlier run
        state = [AirbyteStateMessageSerializer.dump(s) for s in state]
    definition, messages, warnings, future = prepare(manifest, config, state, strict=strict)
    source = SupplierSource(
        source_config=definition,
        catalog=catalog,
        config=config,
        state=messages,
        config_path=config_path,
        startup_warnings=warnings,
        check_without=future,
    )
    return source, warnings


def _now_ms() -> int:
    return int(datetime.now(timezone.utc).timestamp() * 1000)


def _line(message: AirbyteMessage) -> str:
    return filter_secrets(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode())


def _log(level: Level, text: str) -> str:
    return _line(AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=level, message=filter_secrets(text))))


def _status(status: Status, text: str | None = None) -> str:
    return _line(AirbyteMessage(type=Type.CONNECTION_STATUS, connectionStatus=AirbyteConnectionStatus(
        status=status, message=filter_secrets(text) if text else None)))


def _config_error(text: str, internal: str | None = None) -> str:
    text = filter_secrets(text)
    return _line(AirbyteMessage(type=Type.TRACE, trace=AirbyteTraceMessage(
        type=TraceType.ERROR, emitted_at=_now_ms(),
        error=AirbyteErrorTraceMessage(message=text, internal_message=filter_secrets(internal or text),
                                       failure_type=FailureType.config_error,
                                       stack_trace=filter_secrets(traceback.format_exc())))))


def _print(lines: Iterable[str]) -> None:
    # no flush per line: the CDK's PRINT_BUFFER (around every command) writes whole lines every
    # 0.1 s and on exit; a flush here was one write to stdout per record
    for line in lines:
        print(f"{filter_secrets(line)}\n", end="")


def _read_json(path: str | None) -> Any:
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise StartupProblem(f"The file {path} could not be read as JSON ({error}).") from None


def _check_sentence(message: str | None, policy: transport.Policy) -> str:
    """The first strict-mode failure's sentence, else the CDK's message without its wrapping."""
    if policy.failures:
        return policy.failures[0]
    text = message or "The check failed."
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":  # the CDK's repr() of the error
        try:
            text = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            pass
    for prefix in ("Encountered an error while checking availability of stream ", "Unable to connect to stream "):
        if text.startswith(prefix) and ". Error: " in text:
            stream, _, error = text[len(prefix):].partition(". Error: ")
            text = f"Reading stream {stream} failed: {error}"
    return text


def _run_check(source: SupplierSource, args: list[str], base_url: str) -> None:
    """`check` in a worker thread, answered within `Policy.check_deadline` whatever the servers do."""
    policy = transport.current_policy()
    lines: list[str] = []
    done = threading.Event()

    def work() -> None:
        try:
            entrypoint = SupplierEntrypoint(source)
            lines.extend(entrypoint.run(entrypoint.parse_args(args)))
        except BaseException as error:  # noqa: BLE001 - becomes the FAILED sentence
            lines.append(_status(Status.FAILED, policy.failures[0] if policy.failures else f"The check failed: {error}"))
        finally:
            done.set()

    threading.Thread(target=work, name="check", daemon=True).start()
    if not done.wait(policy.check_deadline):
        _print(line for line in list(lines) if '"CONNECTION_STATUS"' not in line)
        _print([_status(Status.FAILED, policy.failures[0] if policy.failures else transport.no_complete_answer(policy, base_url))])
        PRINT_BUFFER.flush()
        os._exit(0)  # the worker may still be waiting on a socket
    for line in lines:
        if '"CONNECTION_STATUS"' in line:
            status = json.loads(line)["connectionStatus"]
            if status["status"] == "FAILED":
                line = _status(Status.FAILED, _check_sentence(status.get("message"), policy))
        _print([line])


def run_declarative(package_file: str, args: list[str] | None = None) -> None:
    """Console-script body for a declarative source: `run_declarative(__file__)` in `<pkg>/run.py`."""
    with PRINT_BUFFER:  # as the CDK's launch: whole lines only, whichever thread prints
        _run(package_file, sys.argv[1:] if args is None else args)


def _run(package_file: str, args: list[str]) -> None:
    command = args[0] if args else ""
    config: Any = None
    try:
        config = _read_json(AirbyteEntrypoint.extract_config(args))
        catalog_path = AirbyteEntrypoint.extract_catalog(args)
        catalog = ConcurrentDeclarativeSource.read_catalog(catalog_path) if catalog_path else None
        state = _read_json(AirbyteEntrypoint.extract_state(args))
        source, warnings = declarative_source(find_manifest(package_file), config, catalog, state,
                                              strict=command == "check", config_path=AirbyteEntrypoint.extract_config(args))
    except StartupProblem as problem:
        if command == "check":
            _print([_status(Status.FAILED, str(problem))])
            return
        _print([_config_error(str(problem))])
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - reported as a protocol trace, not a traceback
        _print([_config_error(f"The connector could not start: {error}", str(error))])
        sys.exit(1)
    if command != "read":  # read says them itself (SupplierSource.read)
        _print(_log(Level.WARN, warning) for warning in warnings)
    if command == "check":
        base_url = config.get("base_url") if isinstance(config, Mapping) else None
        _run_check(source, args, masked_url(base_url) if isinstance(base_url, str) else "")
        return
    entrypoint = SupplierEntrypoint(source)
    _print(entrypoint.run(entrypoint.parse_args(args)))
