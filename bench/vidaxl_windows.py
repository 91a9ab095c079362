"""vidaXL: requests, bytes, seconds and peak memory of a full sync of the four streams.

Run: .venv/bin/python bench/vidaxl_windows.py [--scale 10] [--latency-ms 20]

The connector's console script (as `bench/harness.py` runs it: wall and CPU seconds, peak RSS)
against the sandbox in its own process, over the sandbox's 120 days of orders; requests and bytes
from the sandbox's request log. The earlier versions' numbers (date windows of `submitted_at_gt_eq`,
each stream sending its own requests) are kept in bench/RESULTS.md beside this one's.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone

from harness import api_requests_during, catalog_of, connector, discover, traffic

from connector_testing import SOURCES, sandbox_process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10, help="150 orders per unit over 120 days")
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    entry = SOURCES["vidaxl"]
    print("| requests | distinct | MB received | seconds | CPU s | peak RSS MiB | orders | lines | records/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with sandbox_process("vidaxl", scale=args.scale, latency_ms=args.latency_ms) as url:
        # the sandbox's orders span the 120 days before now
        start = (datetime.now(timezone.utc) - timedelta(days=121)).date().isoformat()
        config = {**entry.config(url), "start_date": start}
        catalog = catalog_of(discover(entry.script, config))
        (usage, _), logged = api_requests_during(url, lambda: connector(entry.script, "read", config, catalog))
        counts = usage["records_by_stream"]
        sent = traffic([r for r in logged if "/orders" in r["path"]])
        total = sum(counts.values())
        print(f"| {sent['requests']} | {sent['distinct_requests']} | {sent['mb_received']:.1f} | {usage['seconds']:.1f} | "
              f"{usage['cpu_s']:.1f} | {usage['peak_rss_mib']:.0f} | {counts.get('orders', 0)} | {counts.get('order_products', 0)} | "
              f"{total / usage['seconds']:.0f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
