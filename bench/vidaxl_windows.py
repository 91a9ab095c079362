"""vidaXL: what the window size costs. Run: .venv/bin/python bench/vidaxl_windows.py [--scale 10]

The list endpoint has a documented lower bound only (`submitted_at_gt_eq`), so each window asks for
everything from its start and keeps its own days. Smaller windows mean more requests and more bytes
(the same orders are sent again to every later window), larger ones fewer. This measures a full
sync of all four streams over the sandbox's 120 days of orders for several window sizes.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import timedelta
from pathlib import Path

from connector_testing import catalog_for, read, records_by_stream, running_sandbox

MANIFEST = Path(__file__).resolve().parents[1] / "source-vidaxl" / "manifest.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10, help="150 orders per unit over 120 days")
    parser.add_argument("--windows", default="1,7,30,121")
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("airbyte").setLevel(logging.WARNING)
    print("| window_days | requests | MB received | seconds | orders | lines | records/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for window in [int(w) for w in args.windows.split(",")]:
        with running_sandbox("vidaxl", scale=args.scale, latency_ms=args.latency_ms) as server:
            start = (server.api.now - timedelta(days=121)).date().isoformat()
            config = {"email": "dropshipper@example.com", "api_token": "vxl-sandbox-token-5f2c", "base_url": server.url,
                      "start_date": start, "window_days": window}
            catalog = catalog_for(MANIFEST, config)
            began = time.perf_counter()
            output = read(MANIFEST, config, catalog)
            elapsed = time.perf_counter() - began
            records = records_by_stream(output)
            counts = {s: len(r) for s, r in records.items()}
            assert counts == server.api.counts(), (counts, server.api.counts())
            requests_ = server.api_requests("/orders")
            # bytes: re-fetch each logged query once to size it (not timed)
            import requests as http

            size = 0
            for r in requests_:
                size += len(http.get(server.url + r["path"] + "?" + r["query"],
                                     auth=("dropshipper@example.com", "vxl-sandbox-token-5f2c"), timeout=30).content)
            total = sum(counts.values())
            print(f"| {window} | {len(requests_)} | {size / 1e6:.1f} | {elapsed:.1f} | {counts['orders']} | "
                  f"{counts['order_products']} | {total / elapsed:.0f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
