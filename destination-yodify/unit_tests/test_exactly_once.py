"""The issue's "Done when": commit-then-500 on every third write, 500 orders, their shipments and
2,000 inventory/price updates, written once as the console script and then again."""

from __future__ import annotations

import time

from connector_testing import protocol_messages, run_cli, running_sandbox

from yodify_dest_helpers import catalog, jsonl, make_config, order_records, record, state, write_kinds


def scenario_messages(server, n_orders: int = 500, n_sku_updates: int = 1000) -> tuple[list[dict], dict, dict]:
    skus = list(server.api.store.skus.values())[:n_sku_updates]
    assert len(skus) == n_sku_updates
    orders = order_records(server, n_orders)
    messages: list[dict] = []
    for i, order in enumerate(orders):
        messages.append(record("orders", order))
        messages.append(record("shipments", {
            "order_number": order["order_number"], "order_date": order["ordered_date"], "tracking_number": f"TRK-{i:06d}",
            "carrier": ["FedEx", "ups", "DHL Express"][i % 3], "shipped_date": "2026-11-20T09:00:00Z",
        }))
        if i % 50 == 49:
            messages.append(state("orders", i))
    want_inventory, want_prices = {}, {}
    for i, sku in enumerate(skus):
        # the first value for each SKU is overwritten later: the final value must win
        messages.append(record("sku_inventory", {"sku_identifier": sku["sku_identifier"], "inventory": 1, "allow_backorders": False}))
        want_inventory[sku["id"]] = 1000 + i
        want_prices[sku["id"]] = round(5 + i / 100, 2)
        if i % 200 == 199:
            messages.append(state("sku_inventory", i))
    for i, sku in enumerate(skus):
        messages.append(record("sku_inventory", {"sku_identifier": sku["sku_identifier"], "inventory": want_inventory[sku["id"]]}))
        messages.append(record("sku_prices", {"sku_identifier": sku["sku_identifier"], "list_price": want_prices[sku["id"]], "sale_price": None}))
    messages.append(state("sku_prices", "done"))
    return messages, want_inventory, want_prices


def test_commit500_every_third_write_creates_each_order_and_shipment_once_and_sets_every_sku():
    with running_sandbox("yodify", scale=15, faults=["commit500:3"]) as server:
        store = server.api.store
        orders_before, shipments_before = len(store.orders), len(store.shipments)
        seeded = set(store.orders)  # the sandbox seeds SHOP- orders of its own (vidaXL drop-ships them)
        messages, want_inventory, want_prices = scenario_messages(server)
        config = make_config(server, confirm_orders=True, max_concurrency=8)
        started = time.monotonic()
        result = run_cli("destination-yodify", "write", config=config, catalog=catalog(["orders", "shipments", "sku_inventory", "sku_prices"]), stdin=jsonl(messages))
        first_run = time.monotonic() - started
        assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
        out = protocol_messages(result.stdout)
        states = [m for m in out if m["type"] == "STATE"]
        assert len(states) == sum(1 for m in messages if m["type"] == "STATE")
        assert server.faults.summary()[0]["fired"] > 1000  # the fault really hit every third write

        # each order and shipment exactly once
        numbers = [o["order_number"] for oid, o in store.orders.items() if oid not in seeded and o["order_number"].startswith("SHOP-")]
        assert len(numbers) == 500 and len(set(numbers)) == 500
        assert len(store.orders) == orders_before + 500
        tracking = [s["tracking_number"] for s in store.shipments.values() if (s["tracking_number"] or "").startswith("TRK-")]
        assert len(tracking) == 500 and len(set(tracking)) == 500
        assert len(store.shipments) == shipments_before + 500
        kinds = write_kinds(server)
        assert kinds["order_create"] == 500 and kinds["shipment_create"] == 500 and kinds["order_confirm"] == 500
        assert kinds["sku_adjust"] == 0  # never the relative endpoint
        # the shipment hangs off the order with that number, and the order was confirmed first
        by_id = store.orders
        for s in store.shipments.values():
            if (s["tracking_number"] or "").startswith("TRK-"):
                i = int(s["tracking_number"][4:])
                assert by_id[s["order_id"]]["order_number"] == f"SHOP-{i:05d}"
                assert s["carrier"] in ("FedEx", "UPS", "DHLExpress")
        # every SKU holds the last value sent
        for sku_id, inventory in want_inventory.items():
            assert store.skus[sku_id]["inventory"] == inventory
            assert store.skus[sku_id]["list_price"] == want_prices[sku_id]
        summary = [m["log"]["message"] for m in out if m["type"] == "LOG" and "write summary" in m["log"]["message"]]
        assert summary and "orders: written 500 (created 500" in summary[-1] and "shipments: written 500 (created 500" in summary[-1]
        assert "sku_inventory: written 2000" in summary[-1] and "sku_prices: written 1000" in summary[-1]

        # the same input again creates nothing new
        writes_before = len(server.api.writes)
        again = run_cli("destination-yodify", "write", config=config, catalog=catalog(["orders", "shipments", "sku_inventory", "sku_prices"]), stdin=jsonl(messages))
        assert again.returncode == 0, again.stderr[-3000:]
        kinds = write_kinds(server)
        assert kinds["order_create"] == 500 and kinds["shipment_create"] == 500 and kinds["order_confirm"] == 500
        new_kinds = {w["kind"] for w in server.api.writes[writes_before:]}
        assert new_kinds <= {"sku_inventory", "sku_price"}
        assert len(store.orders) == orders_before + 500 and len(store.shipments) == shipments_before + 500
        summary = [m["log"]["message"] for m in protocol_messages(again.stdout) if m["type"] == "LOG" and "write summary" in m["log"]["message"]][-1]
        assert "orders: written 0 (created 0, updated 0), already present 500" in summary
        assert "shipments: written 0 (created 0, updated 0), already present 500" in summary
        assert first_run < 60
