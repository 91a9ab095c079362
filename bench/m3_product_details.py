"""Benchmark: M3 Wholesale product details, one request per SKU, read concurrently by the CDK.

5,000 SKUs (sandbox scale 25), 50 ms latency on every request. The sandbox runs as its own
process and the connector as its console script (`source-m3-wholesale read`, stdout to a file),
as on the platform. Ideal = SKUs x latency / concurrency; the issue's bar is 2x the ideal.

    .venv/bin/python bench/m3_product_details.py [--latency-ms 50] [--scale 25] [concurrency ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from connector_testing import sandbox_process

BIN = Path(sys.executable).parent
TOKEN = "m3-sandbox-token"
CATALOG = {"streams": [{"stream": {"name": "products", "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
                        "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(url: str, concurrency: int, latency_ms: int) -> dict:
    before = len(requests.get(f"{url}/_sandbox/requests", timeout=60).json())
    with tempfile.TemporaryDirectory() as tmp:
        config, catalog, out = Path(tmp, "config.json"), Path(tmp, "catalog.json"), Path(tmp, "out.jsonl")
        config.write_text(json.dumps({"base_url": url, "api_token": TOKEN, "num_workers": concurrency}))
        catalog.write_text(json.dumps(CATALOG))
        cpu, started = child_cpu_seconds(), time.monotonic()
        with out.open("w") as stdout:
            result = subprocess.run([str(BIN / "source-m3-wholesale"), "read", "--config", str(config), "--catalog", str(catalog)],
                                    stdout=stdout, stderr=subprocess.PIPE, text=True)
        elapsed, cpu = time.monotonic() - started, child_cpu_seconds() - cpu
        if result.returncode != 0:
            raise SystemExit(f"read failed:\n{out.read_text()[-3000:]}\n{result.stderr[-3000:]}")
        records = sum(1 for line in out.open() if line.startswith('{"type":"RECORD"'))
    log = requests.get(f"{url}/_sandbox/requests", timeout=60).json()[before:]
    details = sum(1 for r in log if r["path"].startswith("/api/v1/products/"))
    skus = requests.get(f"{url}/_sandbox/counts", timeout=60).json()["products"]
    ideal = skus * latency_ms / 1000 / concurrency
    return {"concurrency": concurrency, "skus": skus, "records": records, "detail_requests": details,
            "seconds": round(elapsed, 1), "connector_cpu_s": round(cpu, 1), "ideal": round(ideal, 1),
            "ratio": round(elapsed / ideal, 2) if ideal else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("concurrency", type=int, nargs="*", default=[10])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--scale", type=int, default=25, help="200 SKUs per scale unit")
    args = parser.parse_args()
    with sandbox_process("m3-wholesale", scale=args.scale, latency_ms=args.latency_ms) as url:
        for concurrency in args.concurrency:
            print(json.dumps(run(url, concurrency, args.latency_ms)), flush=True)


if __name__ == "__main__":
    main()
