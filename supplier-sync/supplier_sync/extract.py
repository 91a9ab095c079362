"""One supplier into the warehouse through PyAirbyte: its connector's console script, a DuckDB cache
(one schema per supplier, the cache keeps the connector's state so the next read is incremental),
and per-stream counts for the display."""

from __future__ import annotations

import contextlib
import logging
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from .config import connector_executable, supplier_name
from .connector_logs import trace_errors
from .warehouse import StreamTable, reconcile

log = logging.getLogger(__name__)


@dataclass
class StreamResult:
    read: int = 0  # records the connector emitted this run
    changed: int | None = None  # rows new or changed since the last run (known once the read is merged)
    rows: int | None = None  # rows the warehouse holds now
    seconds: float = 0.0
    incremental: bool = False
    done: bool = False


@dataclass
class SupplierResult:
    supplier: str  # rec_plus, netxl, ...: the warehouse schema
    connector: str
    status: str = "waiting"  # waiting, discovering, reading, merging, done, failed
    streams: dict[str, StreamResult] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None  # one sentence: supplier, stream, what to do

    @property
    def failed(self) -> bool:
        return self.error is not None


def open_source(connector: str, connector_config: dict[str, Any]) -> Any:
    """The connector as a PyAirbyte source with every stream selected: one `discover` process.
    Each run discovers (a connector upgrade may change its catalog), but the loop runs these ahead
    of the reads, all at once, so a supplier's read does not wait for its connector's start-up."""
    import airbyte as ab

    source = ab.get_source(connector, local_executable=str(connector_executable(connector)))
    # the connector validates its config itself on every command: no extra `spec` run for it here
    source.set_config(connector_config, validate=False)
    source.select_all_streams()
    return source


def sync_supplier(connector: str, connector_config: dict[str, Any], warehouse: Path, *, full_refresh: bool,
                  result: SupplierResult, on_update: Callable[[], None], opened: "Future[Any] | None" = None) -> SupplierResult:
    """Read every stream of `connector` into schema `result.supplier` of `warehouse`; fills `result`.
    `opened`: `open_source` already running for it."""
    from airbyte._util.name_normalizers import LowerCaseNormalizer
    from airbyte.caches import DuckDBCache
    from airbyte_protocol.models import SyncMode

    started = time.monotonic()
    run_started = datetime.now(timezone.utc)
    result.status = "discovering"
    on_update()
    cache = DuckDBCache(db_path=str(warehouse), schema_name=result.supplier)
    tracker: list[Any] = []
    try:
        source = opened.result() if opened is not None else open_source(connector, connector_config)
        for stream in source.discovered_catalog.streams:
            result.streams[stream.name] = StreamResult(incremental=SyncMode.incremental in stream.supported_sync_modes)
        result.status = "reading"
        on_update()
        with _tracking(result, tracker, on_update):
            source.read(cache=cache, write_strategy="replace" if full_refresh else "auto",
                        force_full_refresh=full_refresh, skip_validation=True)
    except Exception as err:  # any failure is one sentence on screen; the traceback goes to the log
        log.exception("%s failed", connector)
        result.error = _error_sentence(result.supplier, connector, tracker, err)
    finally:
        # release the file: DuckDB lets one process write it, and dbt and the next supplier need it
        cache.get_sql_engine().dispose()
        cache.close()

    if not result.failed:
        result.status = "merging"
        on_update()
        ended = tracker[0].stream_read_end_times if tracker else {}
        tables = [
            StreamTable(name=LowerCaseNormalizer.normalize(stream.name),
                        primary_key=tuple(LowerCaseNormalizer.normalize(k[0]) for k in (stream.source_defined_primary_key or [])),
                        incremental=result.streams[stream.name].incremental, completed=stream.name in ended)
            for stream in source.discovered_catalog.streams
        ]
        by_table = reconcile(warehouse, result.supplier, tables, run_started, full_refresh)
        for stream, table in zip(result.streams, tables):
            if table.name in by_table:
                result.streams[stream].changed, result.streams[stream].rows = by_table[table.name]
    result.seconds = time.monotonic() - started
    result.status = "failed" if result.failed else "done"
    on_update()
    return result


@contextlib.contextmanager
def _tracking(result: SupplierResult, holder: list[Any], on_update: Callable[[], None]) -> Iterator[None]:
    """PyAirbyte's read() makes its own ProgressTracker; for the read, it makes ours instead, which
    feeds the display."""
    import airbyte.sources.base as source_module
    from airbyte.progress import ProgressStyle, ProgressTracker

    class Tracker(ProgressTracker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["style"] = ProgressStyle.NONE
            super().__init__(*args, **kwargs)
            holder.append(self)

        def _update_display(self, *, force_refresh: bool = False) -> None:
            now = time.time()
            for stream, count in self.stream_read_counts.items():
                if stream in result.streams:
                    result.streams[stream].read = count
            for stream, began in self.stream_read_start_times.items():
                if stream in result.streams:
                    ended = self.stream_read_end_times.get(stream)
                    result.streams[stream].seconds = (ended or now) - began
                    result.streams[stream].done = ended is not None
            on_update()

    original = source_module.ProgressTracker
    source_module.ProgressTracker = Tracker
    try:
        yield
    finally:
        source_module.ProgressTracker = original


def _error_sentence(supplier: str, connector: str, tracker: list[Any], err: Exception) -> str:
    said = trace_errors(connector)
    # the first error about a stream says what went wrong; the closing one only lists the streams
    stream, message = next((e for e in said if e[0]), said[0] if said else (None, getattr(err, "message", None) or str(err)))
    if stream is None and tracker:
        unfinished = [s for s in tracker[0].stream_read_start_times if s not in tracker[0].stream_read_end_times]
        stream = unfinished[0] if unfinished else None
    text = " ".join(str(message or "").split()).rstrip(".")
    if not text:
        text = f"{connector} stopped without saying why; run `{connector} read` by hand or see the log"
    where = f"stream {stream}" if stream else "before reading any stream"
    return f"{supplier}, {where}: {text}."


def new_result(connector: str) -> SupplierResult:
    return SupplierResult(supplier=supplier_name(connector), connector=connector)
