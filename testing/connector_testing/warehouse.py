"""Loading a connector into DuckDB through PyAirbyte with a full refresh: the warehouse tests' one way (the loop itself is supplier-sync)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent


def sync_to_duckdb(script: str, config: dict[str, Any], db_path: Path, schema: str) -> dict[str, int]:
    """Full-refresh every stream of the local connector `script` into `schema` of `db_path`;
    return rows per stream as the cache holds them."""
    os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")  # no registry lookup: the connector is local
    import airbyte as ab
    from airbyte.caches import DuckDBCache

    source = ab.get_source(script, config=config, local_executable=str(VENV_BIN / script))
    source.select_all_streams()
    cache = DuckDBCache(db_path=str(db_path), schema_name=schema)
    result = source.read(cache=cache, force_full_refresh=True)
    counts = {stream: len(dataset) for stream, dataset in result.streams.items()}
    # release the file: DuckDB refuses other connections while PyAirbyte's pool holds one
    cache.get_sql_engine().dispose()
    return counts
