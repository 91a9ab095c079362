"""The benchmarks keep working: each runs at a tiny size and its numbers are checked for sense.

Timing is not asserted here (targets live in bench/RESULTS.md); what a benchmark counts is.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_bench(script: str, *args: str) -> list[dict]:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, timeout=600)
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


def test_harness_fast_mode_writes_results(tmp_path):
    """`make bench` at tiny sizes: every source's largest stream next to its plain loop (same records),
    and the full-sync, memory and destination parts for one source."""
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\n## history\nkept\n")
    run_bench("harness.py", "--fast", "--out", str(tmp_path), "--parts", "read")
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["sources"]) == {"netxl", "rec-plus", "yodify", "m3-wholesale", "vidaxl"}
    for source, parts in results["sources"].items():
        read = parts["read"]
        assert read["records"] > 0 and read["records"] == read["plain_loop_records"], (source, read)
        assert read["requests"] >= 1 and read["connector_records_per_s"] > 0
    order = results["destination"]["order_writes"]
    assert order["default"]["written"] == order["one"]["written"] == order["default"]["records"]
    sku = results["destination"]["sku_writes"]
    assert sku["default"]["written"] == sku["one"]["written"] == sku["default"]["records"]
    text = (tmp_path / "RESULTS.md").read_text()
    assert text.index("netxl") < text.index("## history") and text.endswith("kept\n")

    run_bench("harness.py", "--fast", "--out", str(tmp_path), "--only", "m3-wholesale", "--parts", "full_sync,memory")
    m3 = json.loads((tmp_path / "results.json").read_text())["sources"]["m3-wholesale"]
    assert m3["full_sync"]["default"]["requests"] == m3["full_sync"]["one"]["requests"] > 200
    assert m3["full_sync"]["one"]["concurrency"] == 1 and m3["full_sync"]["default"]["concurrency"] == 10
    assert m3["memory"]["2x"]["records"] > m3["memory"]["1x"]["records"] > 0
    assert (tmp_path / "RESULTS.md").read_text().count("bench:start") == 1
