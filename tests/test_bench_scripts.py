"""The benchmarks keep working: each runs at a tiny size and its numbers are checked for sense.

Timing is not asserted here (targets live in bench/RESULTS.md); what a benchmark counts is.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

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



@pytest.mark.parametrize("source", ["netxl", "rec-plus", "yodify", "m3-wholesale", "vidaxl"])
def test_harness_reads_what_its_plain_loop_reads(tmp_path, source):
    """`make bench` at a tiny size: the largest stream's records/s next to the plain loop over the same requests."""
    run_bench("harness.py", "--fast", "--out", str(tmp_path), "--only", source, "--parts", "read")
    results = json.loads((tmp_path / "results.json").read_text())
    read = results["sources"][source]["read"]
    assert read["records"] > 0 and read["records"] == read["plain_loop_records"], read
    assert read["requests"] >= 1 and read["connector_records_per_s"] > 0 and read["ratio"] > 0
    # start-up next to a bare `import airbyte_cdk` measured in the same run
    assert 0 < results["bare_import_cpu_s"] and "start-up above bare import" in (tmp_path / "RESULTS.md").read_text()


def test_harness_grows_a_short_read_to_the_wanted_length():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from harness import grown_scale
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert grown_scale(100, 2.5, 5.0) == 250  # proportional, a quarter to spare
    assert grown_scale(5, 0.2, 5.0) == 40  # at most 8x a step
    assert grown_scale(1, 4.9, 5.0) == 2  # always larger


@pytest.mark.timeout(900)
def test_harness_full_sync_memory_and_destination(tmp_path):
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\n## history\nkept\n")
    run_bench("harness.py", "--fast", "--out", str(tmp_path), "--only", "m3-wholesale,destination", "--parts", "full_sync,memory")
    results = json.loads((tmp_path / "results.json").read_text())
    m3 = results["sources"]["m3-wholesale"]
    assert m3["full_sync"]["default"]["requests"] == m3["full_sync"]["one"]["requests"] > 200
    assert m3["full_sync"]["one"]["concurrency"] == 1 and m3["full_sync"]["default"]["concurrency"] == 10
    assert m3["memory"]["2x"]["records"] > m3["memory"]["1x"]["records"] > 0
    for kind in ("sku_writes", "order_writes"):
        writes = results["destination"][kind]
        assert writes["default"]["written"] == writes["one"]["written"] == writes["default"]["records"] > 0, writes
    text = (tmp_path / "RESULTS.md").read_text()
    assert text.count("bench:start") == 1 and text.index("m3-wholesale") < text.index("## history") and text.endswith("kept\n")
