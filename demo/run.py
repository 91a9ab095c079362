"""The main job (`make demo`): every sandbox supplier through `supplier-sync run`, twice.

Starts the five sandboxes, writes demo/output/supplier-sync.yml for them, runs the loop (a fresh
warehouse: everything is new), changes a few records through the sandboxes' admin hooks (vidaXL ships
an order, REC+ reprices a product, M3 restocks two SKUs), and runs the loop again: the second table
shows only those changes as new or changed, and the push creates only the new shipment.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from connector_testing.loop import all_sandboxes, loop_config, write_loop_config

OUTPUT = Path(__file__).resolve().parent / "output"
SUPPLIER_SYNC = str(Path(sys.executable).parent / "supplier-sync")


def main() -> int:
    OUTPUT.mkdir(exist_ok=True)
    for old in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        (OUTPUT / old).unlink(missing_ok=True)
    with all_sandboxes() as servers:
        config = write_loop_config(OUTPUT / "supplier-sync.yml", loop_config(servers))
        print(f"== first run: {config}", flush=True)
        first = subprocess.run([SUPPLIER_SYNC, "run", "--config", str(config)]).returncode
        shipped = servers["vidaxl"].api.mutate({})
        servers["rec_plus"].api.mutate({"resource": "products", "id": 58001, "set": {"price": {"normal": "399.00", "special_offer": "0.00"}}})
        servers["m3_wholesale"].api.mutate({"stock": ["0000001", "0000002"]})
        print(f"\n== changed at the suppliers: vidaXL order {shipped.get('id')} shipped, REC+ product SKU-58001 repriced, "
              "M3 stock of 0000001 and 0000002 flipped", flush=True)
        print(f"== second run (incremental): {config}", flush=True)
        second = subprocess.run([SUPPLIER_SYNC, "run", "--config", str(config)]).returncode
        store = servers["yodify"].api.store
        print(f"\nYodify sandbox now: {len(store.shipments)} shipments, "
              f"{sum(1 for o in store.orders.values() if o['order_number'].startswith('SHOP-') and o['shipments'])} drop-ship orders with a shipment")
    return first or second


if __name__ == "__main__":
    sys.exit(main())
