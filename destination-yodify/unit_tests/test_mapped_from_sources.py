"""Records read from our sources' shipments and stock streams, mapped by matching key onto the
destination's objects as Airbyte's data-activation mapping (or supplier-sync) would, and written
into the Yodify sandbox: each lands on the object its key names, never on one a supplier id names."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector_testing import SOURCES, catalog_for, read, records_by_stream, run_cli, running_sandbox

from destination_yodify.writer import load_schemas

from yodify_dest_helpers import jsonl, make_config, order_records, record, state, write_kinds

ROOT = Path(__file__).parents[2]
SCHEMAS = load_schemas()

# (source, stream) -> how its record maps onto a destination object (the connection's field mapping)
SHIPMENTS = {
    ("vidaxl", "shipments"): lambda r: {"order_number": f"VX-{r['order_id']}", "tracking_number": r["tracking_number"],
                                        "carrier": r["carrier"], "shipment_type": "Custom", "tracking_url": r.get("tracking_url")},
    ("m3_wholesale", "shipments"): lambda r: {"order_number": f"M3-{r['order_id']}", "tracking_number": r["tracker_code"],
                                              "carrier": r["courier"], "shipment_type": "Custom", "shipped_date": r["created_at"]},
    # another Yodify store's shipments (the sandbox seeds the same ones, so prefix the tracking number)
    ("yodify", "shipments"): lambda r: {"order_number": f"YO-{r['order_id']}", "tracking_number": f"YO-{r['tracking_number'] or r['id']}",
                                        "carrier": r["carrier"], "shipment_type": "Custom"},
}
STOCK = {
    ("m3_wholesale", "stock"): lambda r: {"sku_identifier": r["sku"], "inventory": max(0, int(r["stock"] or 0))},
    ("rec_plus", "stock"): lambda r: {"sku_identifier": r["code"], "inventory": max(0, int(r["stock"] or 0))},
    ("netxl", "products"): lambda r: {"sku_identifier": r["sku"], "inventory": max(0, int((r.get("availability") or {}).get("stock") or 0))},
    ("yodify", "skus"): lambda r: {"sku_identifier": r["sku_identifier"], "inventory": float(r["inventory"] or 0) + 1},
}


def source_records(key: str, stream: str, n: int) -> list[dict]:
    connector = SOURCES[key]
    with running_sandbox(connector.sandbox) as server:
        config = connector.config(server.url)
        manifest = ROOT / connector.script / "manifest.yaml"
        out = read(manifest, config, catalog_for(manifest, config, [stream]))
    records = records_by_stream(out)[stream][:n]
    assert len(records) == n
    return records


def unmapped(supplier_record: dict, obj: str) -> dict:
    """The supplier's fields the destination object does not define (a mapping passes those through)."""
    return {k: v for k, v in supplier_record.items() if k not in SCHEMAS[obj]["properties"]}


def mapped_catalog(stream: str, obj: str) -> dict:
    return {"streams": [{"stream": {"name": stream, "json_schema": {"type": "object"}, "supported_sync_modes": ["full_refresh"]},
                         "sync_mode": "full_refresh", "destination_sync_mode": "append_dedup", "destination_object_name": obj}]}


@pytest.mark.parametrize("source", sorted(SHIPMENTS), ids=lambda s: f"{s[0]}-{s[1]}")
def test_a_sources_shipments_attach_to_the_order_their_order_number_names(source):
    supplier = source_records(*source, n=3)
    mapping = SHIPMENTS[source]
    mapped = [mapping(r) for r in supplier]
    with running_sandbox("yodify") as yodify:
        orders = order_records(yodify, len(mapped))
        for order, shipment in zip(orders, mapped):
            order["order_number"], order["client_identifier"] = shipment["order_number"], None
        stream = f"{source[0]}_{source[1]}"
        raw = [record("orders", o) for o in orders] + [state("orders", 1)]
        assert run_cli("destination-yodify", "write", config=make_config(yodify), catalog=mapped_catalog("orders", "orders"), stdin=jsonl(raw)).returncode == 0
        # the supplier's unmapped fields travel along (its order_id among them): they must not count
        raw = [record(stream, {**unmapped(r, "shipments"), **m}) for r, m in zip(supplier, mapped)] + [state(stream, 1)]
        for _ in range(2):  # and a second sync changes nothing
            result = run_cli("destination-yodify", "write", config=make_config(yodify), catalog=mapped_catalog(stream, "shipments"), stdin=jsonl(raw))
            assert result.returncode == 0, result.stdout[-2000:]
        by_number = {o["order_number"]: o for o in yodify.api.store.orders.values()}
        for shipment in mapped:
            held = [s for s in yodify.api.store.shipments.values() if s["tracking_number"] == shipment["tracking_number"]]
            assert len(held) == 1, [m for m in result.stdout.splitlines() if "Rejected" in m or "summary" in m]
            assert held[0]["order_id"] == by_number[shipment["order_number"]]["id"]
        assert write_kinds(yodify)["shipment_create"] == len(mapped) and write_kinds(yodify)["shipment_update"] == 0


@pytest.mark.parametrize("source", sorted(STOCK), ids=lambda s: f"{s[0]}-{s[1]}")
def test_a_sources_stock_sets_the_inventory_of_the_sku_its_code_names(source):
    supplier = source_records(*source, n=5)
    mapped = [STOCK[source](r) for r in supplier]
    with running_sandbox("yodify") as yodify:
        skus = list(yodify.api.store.skus.values())[10:15]
        if source[0] != "yodify":  # the seller's Yodify SKUs carry the supplier's codes
            for sku, row in zip(skus, mapped):
                yodify.api.mutate({"stream": "skus", "id": sku["id"], "set": {"sku_identifier": row["sku_identifier"]}})
        stream = f"{source[0]}_{source[1]}"
        raw = [record(stream, {**unmapped(r, "sku_inventory"), **m}) for r, m in zip(supplier, mapped)] + [state(stream, 1)]
        result = run_cli("destination-yodify", "write", config=make_config(yodify), catalog=mapped_catalog(stream, "sku_inventory"), stdin=jsonl(raw))
        assert result.returncode == 0, result.stdout[-2000:]
        by_code = {s["sku_identifier"]: s for s in yodify.api.store.skus.values()}
        for row in mapped:
            assert by_code[row["sku_identifier"]]["inventory"] == row["inventory"]
        assert write_kinds(yodify)["sku_adjust"] == 0
