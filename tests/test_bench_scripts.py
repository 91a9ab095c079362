"""The benchmarks keep working: each runs at a tiny size and its numbers are checked for sense.

Timing is not asserted here (targets live in bench/RESULTS.md); what a benchmark counts is.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_bench(script: str, *args: str) -> list[dict]:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_m3_product_details_reads_every_sku_once():
    (row,) = run_bench("m3_product_details.py", "--scale", "1", "--latency-ms", "0", "4")
    assert row["skus"] == row["records"] == row["detail_requests"] == 200
    assert row["concurrency"] == 4 and row["seconds"] > 0


def test_destination_yodify_inventory_commits_every_update():
    rows = run_bench("destination_yodify_inventory.py", "--records", "60", "--latency-ms", "0", "--concurrency", "4")
    assert rows[0]["records"] == 60 and rows[0]["all_committed"] is True
    assert rows[1]["writes"] == {"sku_inventory": 60}
