"""The main job (`make demo`): start every supplier's sandbox, sync it into one DuckDB file through
PyAirbyte, and print rows per stream."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# PyAirbyte otherwise looks up Airbyte's online connector registry, which this network cannot reach.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

from connector_common.testing import SOURCES, running_sandbox  # noqa: E402
from connector_common.warehouse import sync_to_duckdb  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "output"


def main() -> int:
    OUTPUT.mkdir(exist_ok=True)
    db_path = OUTPUT / "warehouse.duckdb"
    db_path.unlink(missing_ok=True)
    print(f"Warehouse: {db_path}")
    for name, connector in SOURCES.items():
        started = time.monotonic()
        with running_sandbox(connector.sandbox) as server:
            counts = sync_to_duckdb(connector.script, connector.config(server.url), db_path, schema=name)
        print(f"\n{name}: {sum(counts.values())} rows in {time.monotonic() - started:.1f}s")
        for stream, rows in sorted(counts.items()):
            print(f"  {stream:<28} {rows:>8} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
