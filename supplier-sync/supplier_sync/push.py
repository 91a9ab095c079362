"""Reverse ETL: the push models (dbt, schema yodify_push) written to the store through destination-yodify.

PyAirbyte writes a cache's streams to a destination. The push tables are made by dbt, not by a read,
so the loop registers them in a cache over that schema as streams named after the destination's
streams (sku_inventory, sku_prices, shipments; each keyed by its match key) and hands them to
`Destination.write`. destination-yodify writes SKU inventory and prices as absolute values and looks
each shipment up by its client_identifier before creating it, so every run may push everything and
the store still ends with each write once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

from .config import Config, connector_executable
from .connector_logs import summary_line, trace_errors

DESTINATION = "destination-yodify"
SCHEMA = "yodify_push"
SOURCE_NAME = "supplier-sync"
# destination stream -> its primary key in the push table (named by the stream: dbt aliases); Yodify's
# own ids go under the destination's yodify_* names, so no supplier id can be taken for one
STREAMS = {"sku_inventory": "yodify_sku_id", "sku_prices": "yodify_sku_id", "shipments": "client_identifier"}


@dataclass
class PushOutcome:
    sent: dict[str, int] = field(default_factory=dict)
    summary: str | None = None  # the destination's own closing line (created / already present / ...)
    unmatched: dict[str, list[str]] = field(default_factory=dict)  # kind -> reasons, one per item
    error: str | None = None

    def lines(self) -> list[str]:
        if self.error:
            return [self.error]
        out = ["Pushed to Yodify: " + ", ".join(f"{n} {s}" for s, n in self.sent.items()) + "."]
        if self.summary:
            out.append(self.summary)
        for kind, reasons in self.unmatched.items():
            example = reasons[0]
            out.append(f"Not matched: {len(reasons)} {kind}{'s' if len(reasons) != 1 else ''} (e.g. {example}); see {SCHEMA}.unmatched.")
        return out


def push_to_yodify(cfg: Config, log_dir: Path) -> PushOutcome:
    import airbyte as ab
    from airbyte.caches import DuckDBCache
    from airbyte.progress import ProgressStyle, ProgressTracker
    from airbyte.results import ReadResult
    from airbyte_protocol.models import (AirbyteStream, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream,
                                         DestinationSyncMode, SyncMode)

    outcome = PushOutcome()
    with duckdb.connect(str(cfg.warehouse)) as con:
        columns = {stream: [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position",
            [SCHEMA, stream]).fetchall()] for stream in STREAMS}
        for stream in STREAMS:
            outcome.sent[stream] = con.execute(f'select count(*) from {SCHEMA}."{stream}"').fetchone()[0]
        for kind, reason, item in con.execute(f"select kind, reason, item from {SCHEMA}.unmatched order by kind, item").fetchall():
            outcome.unmatched.setdefault(f"store {kind}" if kind == "sku" else f"supplier {kind}", []).append(f"{item}: {reason}")

    catalog = ConfiguredAirbyteCatalog(streams=[
        ConfiguredAirbyteStream(
            stream=AirbyteStream(name=stream, supported_sync_modes=[SyncMode.full_refresh], source_defined_primary_key=[[key]],
                                 json_schema={"type": "object", "properties": {c: {} for c in columns[stream] if not c.startswith("_airbyte")}}),
            sync_mode=SyncMode.full_refresh, destination_sync_mode=DestinationSyncMode.append_dedup, primary_key=[[key]])
        for stream, key in STREAMS.items()
    ])
    cache = DuckDBCache(db_path=str(cfg.warehouse), schema_name=SCHEMA)
    try:
        cache.register_source(source_name=SOURCE_NAME, incoming_source_catalog=catalog, stream_names=set(STREAMS))
        result = ReadResult(source_name=SOURCE_NAME, processed_streams=list(STREAMS), cache=cache,
                            progress_tracker=ProgressTracker(ProgressStyle.NONE, source=None, cache=cache, destination=None))
        destination = ab.get_destination(DESTINATION, local_executable=str(connector_executable(DESTINATION)))
        destination.set_config(cfg.push[DESTINATION], validate=False)
        destination.write(result)
    except Exception as err:  # any failure is one sentence on screen; the traceback goes to the log
        log.exception("push failed")
        said = trace_errors(DESTINATION)
        message = said[-1][1] if said else " ".join(str(getattr(err, "message", None) or err).split()).rstrip(".")
        outcome.error = f"push to Yodify failed: {message}; check push.{DESTINATION} in {cfg.path.name}, details in the log."
    finally:
        cache.get_sql_engine().dispose()
        cache.close()
    outcome.summary = summary_line(DESTINATION, "Yodify write summary")
    return outcome
