"""One end-to-end run of the loop shared by every test here, across xdist workers too.

The first worker to get here starts every sandbox at scale 1, runs `supplier-sync run` (the console
script) on a fresh warehouse, changes a few records through the sandboxes' admin hooks, and runs it
again; it records what the tests look at (both runs' output and reports, the Yodify sandbox's
shipments and SKUs after each run) in a JSON file beside the warehouse. Other workers wait for that
file instead of repeating the runs (pytest-xdist's documented pattern for session data). Set
SUPPLIER_SYNC_LOOP_RECORD to such a file (kept beside its warehouse) to check assertions against an
earlier loop without running it again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

SUPPLIER_SYNC = str(Path(sys.executable).parent / "supplier-sync")
MUTATIONS = {
    "vidaxl": {},  # ships the newest paid order: one new shipment, one changed order
    "rec_plus": {"resource": "products", "id": 58001, "set": {"price": {"normal": "399.00", "special_offer": "0.00"}}},
    "m3_wholesale": {"stock": ["0000001", "0000002"]},
}


def run_loop(config: Path, *extra: str) -> dict[str, Any]:
    result = subprocess.run([SUPPLIER_SYNC, "run", "--config", str(config), *extra], capture_output=True, text=True, timeout=1200)
    report = json.loads((config.parent / "logs" / "last-run.json").read_text())
    return {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr, "report": report}


def yodify_state(server: Any) -> dict[str, Any]:
    store = server.api.store
    with server.api.lock:
        return {
            "shipments": [{"id": s["id"], "order_id": s["order_id"], "client_identifier": s.get("client_identifier"),
                           "tracking_number": s.get("tracking_number")} for s in store.shipments.values()],
            "skus": {s["sku_identifier"]: {"inventory": s["inventory"], "list_price": s["list_price"]} for s in store.skus.values()},
            "orders": {o["order_number"]: o["id"] for o in store.orders.values()},
        }


def _run_everything(work: Path) -> dict[str, Any]:
    from connector_testing.loop import all_sandboxes, loop_config, write_loop_config

    with all_sandboxes() as servers:
        config = write_loop_config(work / "supplier-sync.yml", loop_config(servers))
        counts = {key: server.api.counts() for key, server in servers.items()}
        before = yodify_state(servers["yodify"])
        first = run_loop(config)
        after_first = yodify_state(servers["yodify"])
        mutated = {key: servers[key].api.mutate(payload) for key, payload in MUTATIONS.items()}
        second = run_loop(config)
        after_second = yodify_state(servers["yodify"])
    return {"work": str(work), "config": str(config), "warehouse": str(work / "warehouse.duckdb"), "counts": counts,
            "before": before, "first": first, "after_first": after_first, "mutated": json.loads(json.dumps(mutated, default=str)),
            "second": second, "after_second": after_second}


@pytest.fixture(scope="session")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if os.environ.get("SUPPLIER_SYNC_LOOP_RECORD"):
        return json.loads(Path(os.environ["SUPPLIER_SYNC_LOOP_RECORD"]).read_text())
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker's basetemp is a folder of the session's: its parent is shared by the workers
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    record = shared / "supplier-sync-loop.json"
    with FileLock(str(record) + ".lock"):
        if not record.exists():
            record.write_text(json.dumps(_run_everything(shared / "supplier-sync-loop")))
    return json.loads(record.read_text())
