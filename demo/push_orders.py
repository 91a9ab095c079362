"""Push the REC+ orders of the warehouse into the Yodify sandbox through destination-yodify.

A merchant maps each supplier product to a SKU of their Yodify store; the demo's mapping is by
position (the n-th REC+ product code sold is the n-th Yodify SKU). Orders are written twice: the
second run must create nothing, since the destination writes exactly once."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import duckdb

from connector_testing import run_cli

CATALOG = Path(__file__).resolve().parents[1] / "destination-yodify" / "integration_tests" / "configured_catalog.json"


def order_records(db_path: Path, sku_identifiers: list[str], limit: int = 50) -> list[dict]:
    with duckdb.connect(str(db_path)) as con:
        orders = con.execute(
            "select id, start_date, status from rec_plus.orders order by id limit ?", [limit]
        ).fetchall()
        lines = con.execute(
            "select order_id, line_desc, qty, price from rec_plus.order_lines where line_type = 'PRODUCT' order by id"
        ).fetchall()
        addresses = {
            row[0]: row[1:]
            for row in con.execute(
                "select order_id, recipient_name, line_1, town, post_code from rec_plus.addresses where address_type = 'delivery'"
            ).fetchall()
        }
    sku_for: dict[str, str] = {}
    items: dict[int, list[dict]] = defaultdict(list)
    for order_id, desc, qty, price in lines:
        code = desc.rsplit(" - ", 1)[-1]
        sku = sku_for.setdefault(code, sku_identifiers[len(sku_for) % len(sku_identifiers)])
        items[order_id].append({"sku_identifier": sku, "quantity": int(qty), "price_per_unit": round(float(price) / int(qty), 2)})
    records = []
    for order_id, placed, _status in orders:
        name, street, town, post_code = addresses.get(order_id, ("", "", "", ""))
        first, _, last = (name or "Customer").partition(" ")
        records.append({
            "order_number": f"REC-{order_id}",
            "client_identifier": f"rec-plus-{order_id}",
            "ordered_date": f"{placed}Z",
            "items": items[order_id],
            "shipping_address": {"first_name": first, "last_name": last or first, "street1": street, "city": town,
                                 "postal_code": post_code, "country_code": "GB"},
            "currency_code": "GBP",
        })
    return records


def push(records: list[dict], config: dict) -> dict:
    """One `destination-yodify write`; returns its closing summary (written/skipped/failed per stream)."""
    catalog = json.loads(CATALOG.read_text())
    catalog["streams"] = [s for s in catalog["streams"] if s["stream"]["name"] == "orders"]
    messages = [{"type": "RECORD", "record": {"stream": "orders", "emitted_at": 0, "data": r}} for r in records]
    messages.append({"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"}, "stream_state": {"pushed": len(records)}}}})
    result = run_cli("destination-yodify", "write", config=config, catalog=catalog,
                     stdin="\n".join(json.dumps(m) for m in messages) + "\n")
    if result.returncode != 0:
        raise RuntimeError(f"destination-yodify failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    logs = [json.loads(line)["log"]["message"] for line in result.stdout.splitlines() if line.startswith('{"type":"LOG"') or line.startswith('{"type": "LOG"')]
    return {"summary": [m for m in logs if "written" in m][-1:] or logs[-1:]}
