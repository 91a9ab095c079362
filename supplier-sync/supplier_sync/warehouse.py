"""The warehouse after each supplier's read: one current row per primary key, and what changed.

PyAirbyte's cache merges each read into the supplier's schema by primary key. Around it the loop
keeps two guarantees PyAirbyte does not give on its own:
- one row per primary key even when a read emits a record twice (overlapping incremental windows:
  PyAirbyte merges the batch as it comes, without de-duplicating it first);
- a full-refresh stream (one without a cursor) re-reads everything, so rows it no longer emits were
  deleted at the supplier and leave the warehouse too.
"New or changed" is counted by fingerprint (a hash of each row's data columns), kept per supplier and
stream in `_supplier_sync.fingerprints`: a record read again unchanged does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

AIRBYTE_COLUMNS = ("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta")
BOOKKEEPING = "_supplier_sync"


@dataclass(frozen=True)
class StreamTable:
    name: str  # the table PyAirbyte wrote (the stream's name, normalised)
    primary_key: tuple[str, ...]  # normalised column names
    incremental: bool  # the connector reads it incrementally
    completed: bool  # this run read it to the end


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reconcile(db_path: Path, schema: str, streams: list[StreamTable], run_started: datetime, full_refresh: bool) -> dict[str, tuple[int, int]]:
    """For each stream table of `schema`: de-duplicate, drop rows a completed full re-read no longer
    has, and return (rows new or changed since the last run, rows held) by stream."""
    out: dict[str, tuple[int, int]] = {}
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create schema if not exists {BOOKKEEPING}")
        con.execute(f"create table if not exists {BOOKKEEPING}.fingerprints (supplier varchar, stream varchar, fingerprint varchar)")
        present = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()}
        for stream in streams:
            if stream.name not in present:
                continue
            table = f"{quote(schema)}.{quote(stream.name)}"
            if stream.primary_key:
                keys = ", ".join(quote(k) for k in stream.primary_key)
                con.execute(f"""delete from {table} where rowid in (
                    select rowid from (select rowid, row_number() over (partition by {keys} order by _airbyte_extracted_at desc) as n
                                       from {table}) where n > 1)""")
            if stream.completed and not stream.incremental and not full_refresh:
                # PyAirbyte stores _airbyte_extracted_at as naive UTC
                started = run_started.astimezone(timezone.utc).replace(tzinfo=None)
                con.execute(f"delete from {table} where _airbyte_extracted_at < ?", [started])
            out[stream.name] = (_count_changes(con, schema, stream.name, table), con.execute(f"select count(*) from {table}").fetchone()[0])
    return out


def _count_changes(con: duckdb.DuckDBPyConnection, schema: str, stream: str, table: str) -> int:
    excluded = ", ".join(AIRBYTE_COLUMNS)
    con.execute(f"""create or replace temp table current_fingerprints as
        select md5(cast(to_json(r) as varchar)) as fingerprint from (select * exclude ({excluded}) from {table}) as r""")
    changed = con.execute(f"""select count(*) from current_fingerprints where fingerprint not in (
        select fingerprint from {BOOKKEEPING}.fingerprints where supplier = ? and stream = ?)""", [schema, stream]).fetchone()[0]
    con.execute(f"delete from {BOOKKEEPING}.fingerprints where supplier = ? and stream = ?", [schema, stream])
    con.execute(f"insert into {BOOKKEEPING}.fingerprints select ?, ?, fingerprint from current_fingerprints", [schema, stream])
    con.execute("drop table current_fingerprints")
    return changed
