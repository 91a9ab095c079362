"""Peak memory and time of a NetXL `products` read of a 50,000 product catalogue (one unpaginated body).

Runs the connector in a subprocess per variant (so its peak RSS is its own) against an in-process
sandbox that streams the catalogue in chunks, and counts the RECORD lines on its stdout:

- streamed: the connector's manifest as shipped (JsonListStreamDecoder reads the socket with ijson)
- buffered: the same manifest with the list decoder swapped for the CDK's JsonDecoder (whole body
  read into memory, then parsed), the baseline the streaming decoder is meant to beat

    .venv/bin/python bench/netxl_large_catalogue.py [--products 50000] [--extra]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "source-netxl" / "manifest.yaml"
RUNNER = (
    "import sys; from pathlib import Path; from airbyte_cdk.entrypoint import launch; "
    "from connector_common.entrypoint import build_source; "
    "launch(build_source(Path(sys.argv[1]), sys.argv[2:]), sys.argv[2:])"
)


def buffered_manifest(tmp: Path) -> Path:
    manifest = yaml.safe_load(MANIFEST.read_text())
    manifest["definitions"]["list_decoder"] = {"type": "JsonDecoder"}
    path = tmp / "manifest_buffered.yaml"
    path.write_text(yaml.safe_dump(manifest))
    return path


def run(manifest: Path, config: dict, tmp: Path) -> dict:
    config_path, catalog_path = tmp / "config.json", tmp / "catalog.json"
    config_path.write_text(json.dumps(config))
    catalog_path.write_text(json.dumps({"streams": [{
        "stream": {"name": "products", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
        "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}))
    args = [sys.executable, "-c", RUNNER, str(manifest), "read", "--config", str(config_path), "--catalog", str(catalog_path)]
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    records = 0
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(b'{"type":"RECORD"'):
            records += 1
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return {"records": records, "exit": os.waitstatus_to_exitcode(status), "seconds": round(elapsed, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--extra", action="store_true", help="request all four extra product fields (bigger records)")
    options = parser.parse_args()
    from connector_testing import running_sandbox as serve  # `with supplier_sandbox.serve()` starts the server twice

    with serve("netxl", catalogue_size=options.products) as server, tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        config = {"api_key": "netxl_sandbox_key", "base_url": server.url,
                  "product_extra_fields": (["description", "short_description", "related", "similar"] if options.extra else [])}
        extras = set(config["product_extra_fields"])
        body = sum(len(chunk.encode()) for chunk in server.api._json_chunks(server.api.filtered_products({}, extras)))
        print(f"products={options.products} extra={options.extra} body={body / 2**20:.1f} MiB")
        for name, manifest in (("streamed", MANIFEST), ("buffered", buffered_manifest(tmp))):
            result = run(manifest, config, tmp)
            print(f"{name:9s} {json.dumps(result)}")
            assert result["exit"] == 0 and result["records"] == options.products, result


if __name__ == "__main__":
    main()
