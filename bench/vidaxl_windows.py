"""vidaXL: requests, bytes and seconds of a full sync, before and after the day reads.

Run: .venv/bin/python bench/vidaxl_windows.py [--scale 10] [--before main] [--windows 1,30]

"before" is the manifest at git ref `--before` (date windows of `submitted_at_gt_eq`: each window
asks for everything from its start, so traffic grows with (days / window)²), for each window size;
"after" is this checkout's manifest (one `submitted_at_casted_eq` request per day, plus one per open
status). Same sandbox data (all four streams, 120 days of orders) for every row.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from connector_testing import catalog_for, read, records_by_stream, running_sandbox

MANIFEST = Path(__file__).resolve().parents[1] / "source-vidaxl" / "manifest.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10, help="150 orders per unit over 120 days")
    parser.add_argument("--windows", default="1,7,30,121")
    parser.add_argument("--before", default="main", help="git ref of the manifest to compare with ('' to skip)")
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("airbyte").setLevel(logging.WARNING)
    print("| manifest | window_days | requests | MB received | seconds | orders | lines | records/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    runs = []
    if args.before:
        text = subprocess.run(["git", "show", f"{args.before}:source-vidaxl/manifest.yaml"], check=True,
                              capture_output=True, text=True, cwd=MANIFEST.parents[1]).stdout
        before = Path(tempfile.mkdtemp()) / "manifest.yaml"
        before.write_text(text)
        runs += [(args.before, before, int(w)) for w in args.windows.split(",")]
    runs.append(("this checkout", MANIFEST, None))
    for label, manifest, window in runs:
        with running_sandbox("vidaxl", scale=args.scale, latency_ms=args.latency_ms) as server:
            start = (server.api.now - timedelta(days=121)).date().isoformat()
            config = {"email": "dropshipper@example.com", "api_token": "vxl-sandbox-token-5f2c", "base_url": server.url,
                      "start_date": start, **({"window_days": window} if window else {})}
            catalog = catalog_for(manifest, config)
            began = time.perf_counter()
            output = read(manifest, config, catalog)
            elapsed = time.perf_counter() - began
            records = records_by_stream(output)
            counts = {s: len(r) for s, r in records.items()}
            if window is None:  # the version before did not sync unpaid orders
                assert counts == server.api.counts(), (counts, server.api.counts())
            requests_ = server.api_requests("/orders")
            # bytes: re-fetch each logged query once to size it (not timed)
            import requests as http

            size = 0
            for r in requests_:
                size += len(http.get(server.url + r["path"] + "?" + r["query"],
                                     auth=("dropshipper@example.com", "vxl-sandbox-token-5f2c"), timeout=30).content)
            total = sum(counts.values())
            print(f"| {label} | {window or '-'} | {len(requests_)} | {size / 1e6:.1f} | {elapsed:.1f} | {counts['orders']} | "
                  f"{counts['order_products']} | {total / elapsed:.0f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
