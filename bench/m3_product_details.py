"""Benchmark: M3 Wholesale product details, one request per SKU, read concurrently by the CDK.

5,000 SKUs (sandbox scale 25), 50 ms latency on every request. Ideal = 5,000 x 50 ms / concurrency;
the issue's bar is 2x the ideal. Run: .venv/bin/python bench/m3_product_details.py [concurrency ...]
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from connector_common.testing import catalog_for, read, records_by_stream, running_sandbox

MANIFEST = Path(__file__).resolve().parents[1] / "source-m3-wholesale" / "manifest.yaml"
LATENCY_MS = 50


def run(concurrency: int) -> dict:
    with running_sandbox("m3-wholesale", scale=25, latency_ms=LATENCY_MS) as server:
        config = {"base_url": server.url, "api_token": "m3-sandbox-token", "detail_concurrency": concurrency}
        catalog = catalog_for(MANIFEST, config, ["products"])
        started = time.monotonic()
        out = read(MANIFEST, config, catalog)
        elapsed = time.monotonic() - started
        skus = server.api.counts()["products"]
        details = len(server.api_requests("/api/v1/products/"))
        records = len(records_by_stream(out).get("products", []))
    ideal = skus * LATENCY_MS / 1000 / concurrency
    return {"concurrency": concurrency, "skus": skus, "records": records, "detail_requests": details,
            "seconds": round(elapsed, 1), "ideal": round(ideal, 1), "ratio": round(elapsed / ideal, 2)}


if __name__ == "__main__":
    logging.disable(logging.INFO)
    for level in [int(a) for a in sys.argv[1:]] or [10]:
        print(run(level), flush=True)
