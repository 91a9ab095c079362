"""The main job: start every supplier's sandbox, sync it into one DuckDB file through PyAirbyte,
print rows per stream. (`make demo`; needs AIRBYTE_OFFLINE_MODE=1, which the Makefile sets.)"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

import airbyte as ab  # noqa: E402
from airbyte.caches import DuckDBCache  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from suppliers import SUPPLIERS  # noqa: E402

from connector_common.testing import running_sandbox  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def sync_supplier(name: str, db_path: Path) -> dict[str, int]:
    sandbox_name, script, make_config = SUPPLIERS[name]
    with running_sandbox(sandbox_name) as server:
        source = ab.get_source(script, config=make_config(server.url), local_executable=str(VENV_BIN / script))
        source.select_all_streams()
        cache = DuckDBCache(db_path=str(db_path), schema_name=name)
        result = source.read(cache=cache, force_full_refresh=True)
        return {stream: len(dataset) for stream, dataset in result.streams.items()}


def main() -> int:
    out = HERE / "output"
    out.mkdir(exist_ok=True)
    db_path = out / "warehouse.duckdb"
    db_path.unlink(missing_ok=True)
    print(f"Warehouse: {db_path}")
    for name in SUPPLIERS:
        started = time.monotonic()
        counts = sync_supplier(name, db_path)
        print(f"\n{name} ({time.monotonic() - started:.1f}s)")
        for stream, rows in sorted(counts.items()):
            print(f"  {stream:<28} {rows:>8} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
