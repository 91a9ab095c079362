"""Benchmark: destination-yodify writing SKU inventory updates at 50 ms API latency.

Starts the Yodify sandbox as its own process (`sandbox yodify --latency-ms 50`), pipes N
`sku_inventory` records (one per distinct SKU, a STATE every 1,000) into the console script
`destination-yodify write` at each concurrency, and reports records/s. Concurrency 1 is sequential
writing. Afterwards it checks, through the API, that every SKU holds the value sent (the destination
writes only values that differ, so a SKU that already held it is not written again).

    .venv/bin/python bench/destination_yodify_inventory.py                      # 10,000 records at 1, 8, 16, 32
    .venv/bin/python bench/destination_yodify_inventory.py --records 1000 --concurrency 1 8
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

from connector_testing import sandbox_process

BIN = Path(sys.executable).parent


def sku_identifiers(url: str, n: int) -> list[str]:
    headers = {"Authorization": "Bearer yodify-sandbox-token"}
    out: list[str] = []
    since = 0
    while len(out) < n:
        page = requests.get(f"{url}/api/v1/SKUs", params={"Limit": 100, "SinceId": since}, headers=headers, timeout=30).json()
        rows = page["data"]
        if not rows:
            break
        out += [r["sku_identifier"] for r in rows]
        since = rows[-1]["id"]
    return out[:n]


def inventories(url: str, identifiers: list[str]) -> dict[str, float]:
    headers = {"Authorization": "Bearer yodify-sandbox-token"}
    wanted, out, since = set(identifiers), {}, 0
    while True:
        rows = requests.get(f"{url}/api/v1/SKUs", params={"Limit": 100, "SinceId": since}, headers=headers, timeout=30).json()["data"]
        if not rows:
            return out
        out.update({r["sku_identifier"]: r["inventory"] for r in rows if r["sku_identifier"] in wanted})
        since = rows[-1]["id"]


def run(url: str, identifiers: list[str], concurrency: int, value: int) -> dict:
    config = {"base_url": url, "credentials": {"auth_type": "access_token", "access_token": "yodify-sandbox-token"},
              "max_concurrency": concurrency}
    catalog = {"streams": [{"stream": {"name": "sku_inventory", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                            "sync_mode": "full_refresh", "destination_sync_mode": "append"}]}
    lines = []
    for i, ident in enumerate(identifiers):
        lines.append(json.dumps({"type": "RECORD", "record": {"stream": "sku_inventory", "emitted_at": 0,
                                                              "data": {"sku_identifier": ident, "inventory": value}}}))
        if i % 1000 == 999:
            lines.append(json.dumps({"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "sku_inventory"}, "stream_state": {"n": i + 1}}}}))
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "config.json").write_text(json.dumps(config))
        Path(tmp, "catalog.json").write_text(json.dumps(catalog))
        started = time.monotonic()
        result = subprocess.run([str(BIN / "destination-yodify"), "write", "--config", f"{tmp}/config.json", "--catalog", f"{tmp}/catalog.json"],
                                input="\n".join(lines) + "\n", capture_output=True, text=True, env=os.environ)
        elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"write failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    states = sum(1 for line in result.stdout.splitlines() if '"type":"STATE"' in line)
    return {"concurrency": concurrency, "records": len(identifiers), "seconds": round(elapsed, 1),
            "records_per_s": round(len(identifiers) / elapsed, 1), "states": states}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 16, 32])
    parser.add_argument("--fault", action="append", default=[], help="sandbox fault spec, e.g. 429:50:1")
    args = parser.parse_args()
    scale = max(1, -(-args.records // 67))  # ~68 SKUs per scale unit: one distinct SKU per record
    with sandbox_process("yodify", scale=scale, latency_ms=args.latency_ms, faults=args.fault) as url:
        identifiers = sku_identifiers(url, args.records)
        assert len(identifiers) == args.records, f"only {len(identifiers)} SKUs at scale {scale}"
        results = []
        for n, concurrency in enumerate(args.concurrency):
            value = 100 + n
            result = run(url, identifiers, concurrency, value)
            # every SKU holds the value (a SKU that held it already is rightly not written again)
            result["all_committed"] = all(inventory == value for inventory in inventories(url, identifiers).values())
            results.append(result)
            print(json.dumps(result), flush=True)
        kinds = Counter(w["kind"] for w in requests.get(f"{url}/_sandbox/writes", timeout=60).json())
        print(json.dumps({"latency_ms": args.latency_ms, "sandbox_scale": scale, "writes": dict(kinds)}))
        base = next((r for r in results if r["concurrency"] == 1), None)
        if base:
            for r in results:
                print(f"concurrency {r['concurrency']:>3}: {r['records_per_s']:>8.1f} records/s  ({r['records_per_s'] / base['records_per_s']:.1f}x sequential)")


if __name__ == "__main__":
    main()
