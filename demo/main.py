"""The main job (`make demo`): start every supplier's sandbox, sync it into one DuckDB file through
PyAirbyte, and print rows per stream."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# PyAirbyte otherwise looks up Airbyte's online connector registry, which this network cannot reach.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

from connector_testing import SOURCES, running_sandbox  # noqa: E402
from connector_testing.warehouse import sync_to_duckdb  # noqa: E402
from push_orders import order_records, push  # noqa: E402

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "output"


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

    with running_sandbox("yodify") as yodify:
        skus = [s["sku_identifier"] for s in yodify.api.store.skus.values()]
        records = order_records(db_path, skus)
        config = {"base_url": yodify.url, "credentials": {"auth_type": "access_token", "access_token": "yodify-sandbox-token"}}
        before = len(yodify.api.store.orders)
        print(f"\nPushing {len(records)} REC+ orders into the Yodify sandbox ({before} orders there)")
        for attempt in ("first", "second (must create nothing)"):
            summary = push(records, config)
            print(f"  {attempt} run: {len(yodify.api.store.orders) - before} orders created in all; {summary['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
