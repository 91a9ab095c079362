"""Issue 14 over real HTTP, from the sandbox's request log under 50 ms latency: orders with
different keys are written at once, the records for one order one at a time in input order, and
shipments of different orders at once."""

from __future__ import annotations

from connector_testing import most_in_flight, running_sandbox
from destination_yodify.destination import DestinationYodify

from yodify_dest_helpers import catalog_obj, make_config, order_records, record, state, to_messages


def write(server, raw, streams):
    return list(DestinationYodify().write(make_config(server, max_concurrency=8), catalog_obj(streams), to_messages(raw)))


def test_orders_with_different_keys_are_in_flight_at_once_and_one_orders_records_never_are():
    with running_sandbox("yodify", latency_ms=50) as server:
        existing = order_records(server, 2, prefix="OLD")
        write(server, [record("orders", o) for o in existing] + [state("orders", 0)], ["orders"])
        same = next(o for o in server.api.store.orders.values() if o["order_number"] == "OLD-00000")
        logged_before = len(server.api_requests())

        fresh = order_records(server, 12, prefix="NEW")
        raw = []
        for i, order in enumerate(fresh):
            raw.append(record("orders", order))
            if i % 3 == 0:  # four updates of one order, between the creates
                raw.append(record("orders", {**existing[0], "shipping_instructions": f"update {i // 3}"}))
        raw.append(state("orders", 1))
        out = write(server, raw, ["orders"])
        assert [m for m in out if m.type.value == "STATE"]

        logged = server.api_requests()[logged_before:]
        creates = [r for r in logged if r["method"] == "POST" and r["path"] == "/api/v1/Orders"]
        assert len(creates) == 12
        assert most_in_flight(creates) >= 3, "orders with different keys were written one at a time"
        updates = sorted((r for r in logged if r["method"] == "PUT" and r["path"] == f"/api/v1/Orders/{same['id']}"), key=lambda r: r["started"])
        assert len(updates) == 4
        assert most_in_flight(updates) == 1, "two writes to one order were in flight at once"
        # one after another, and in input order: Yodify holds the last
        assert server.api.store.orders[same["id"]]["shipping_instructions"] == "update 3"
        assert len([o for o in server.api.store.orders.values() if o["order_number"].startswith("NEW-")]) == 12


def test_shipments_of_different_orders_are_written_at_once_each_after_its_order():
    with running_sandbox("yodify", latency_ms=50) as server:
        orders = order_records(server, 8, prefix="SH")
        raw = []
        for i, order in enumerate(orders):
            raw.append(record("orders", order))
            raw.append(record("shipments", {"order_number": order["order_number"], "order_date": order["ordered_date"],
                                            "tracking_number": f"SH-T{i}", "carrier": "ups"}))
        write(server, raw + [state("shipments", 1)], ["orders", "shipments"])
        creates = [r for r in server.api_requests("/shipments") if r["method"] == "POST"]
        assert len(creates) == 8 and all(r["status"] == 200 for r in creates)
        assert most_in_flight(creates) >= 2, "shipments of different orders were written one at a time"
        by_id = server.api.store.orders
        shipped = {by_id[s["order_id"]]["order_number"]: s["tracking_number"] for s in server.api.store.shipments.values()
                   if (s["tracking_number"] or "").startswith("SH-T")}
        assert shipped == {o["order_number"]: f"SH-T{i}" for i, o in enumerate(orders)}


def test_a_shipment_naming_its_order_by_yodify_id_next_to_that_orders_update_writes_each_once():
    with running_sandbox("yodify", latency_ms=20) as server:
        order = order_records(server, 1, prefix="YID")[0]
        write(server, [record("orders", order), state("orders", 0)], ["orders"])
        held = next(o for o in server.api.store.orders.values() if o["order_number"] == "YID-00000")
        raw = [record("shipments", {"yodify_order_id": held["id"], "tracking_number": "YID-T", "carrier": "ups"}),
               record("orders", {**order, "shipping_instructions": "Side door"}), state("orders", 1)]
        for _ in range(2):  # the second run writes nothing
            write(server, raw, ["orders", "shipments"])
        kinds = [w["kind"] for w in server.api.writes]
        assert kinds.count("shipment_create") == 1 and kinds.count("order_update") == 1 and kinds.count("order_confirm") == 1
        assert server.api.store.orders[held["id"]]["shipping_instructions"] == "Side door"
