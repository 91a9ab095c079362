"""Orders and shipments the last sync saw open are re-read by `Ids` until final, at any age (real HTTP)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import catalog_for, read, records_by_stream, running_sandbox, state_messages
from supplier_sandbox.apis.yodify.store import iso

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yaml"
STREAMS = ["orders", "shipments"]


def _ago(days: float) -> str:
    return iso(datetime.now(timezone.utc) - timedelta(days=days))


def _sync(config, state=None):
    output = read(MANIFEST, config, catalog_for(MANIFEST, config, STREAMS, SyncMode.incremental), state)
    assert not output.errors, [e.trace.error.message for e in output.errors]
    return records_by_stream(output), state_messages(output)


def _last_state(state: list[dict], stream: str) -> dict:
    return [s for s in state if s["stream"]["stream_descriptor"]["name"] == stream][-1]["stream"]["stream_state"]


def _open_ids(state, stream):
    return _last_state(state, stream)["parent_state"]["open_records"]["ids"]


@pytest.mark.parametrize("array_params", ["repeat", "first", "comma"])
def test_orders_moving_to_final_at_1_40_and_400_days_reach_the_next_sync(array_params, yod):
    with running_sandbox("yodify", array_params=array_params) as server:
        api, store = server.api, server.api.store
        shipped = [o for o in store.orders.values() if o["order_status"] == "Shipped"][:3]
        for order, days in zip(shipped, (1, 40, 400)):
            api.mutate({"stream": "orders", "id": order["id"], "set": {"ordered_date": _ago(days)}})
        config = yod.token_config(server, lookback_days=30)
        first, state = _sync(config)

        for order in shipped:  # Shipped -> Complete: no longer in any Statuses re-read
            api.mutate({"stream": "orders", "id": order["id"], "set": {"order_status": "Complete"}})
        shipment = next(s for s in store.shipments.values() if s["status"] == "InTransit"
                        and s["created_on"] < _ago(60))
        api.mutate({"stream": "shipments", "id": shipment["id"], "set": {"status": "Delivered"}})

        second, state2 = _sync(config, state)
        orders = {o["id"]: o for o in second["orders"]}
        assert all(orders[o["id"]]["order_status"] == "Complete" for o in shipped)
        assert {s["id"]: s for s in second["shipments"]}[shipment["id"]]["status"] == "Delivered"
        assert len(second["orders"]) < len(store.orders)  # incremental, not a full re-read
        assert {o["id"] for o in shipped} <= set(_open_ids(state, "orders"))
        # final now: dropped from the set, and not asked for again
        assert not {o["id"] for o in shipped} & set(_open_ids(state2, "orders"))
        assert shipment["id"] not in _open_ids(state2, "shipments")
        third, _ = _sync(config, state2)
        assert not {o["id"] for o in shipped if o["ordered_date"] < _ago(35)} & {o["id"] for o in third["orders"]}


def test_state_holds_exactly_the_open_records_and_batches_ids_once_proven(yod):
    with running_sandbox("yodify") as server:
        store = server.api.store
        config = yod.token_config(server, lookback_days=30)
        _, state = _sync(config)
        final = {"Complete", "Cancelled", "Refunded", "RefundRejected"}
        open_ids = _open_ids(state, "orders")
        assert set(open_ids) == {o["id"] for o in store.orders.values() if o["order_status"] not in final}
        assert len(open_ids) < len(store.orders)  # bounded by the open orders, not the history

        def id_requests(since: int) -> list[list[str]]:
            return [parse_qs(r["query"])["Ids"] for r in server.api_requests("/api/v1/Orders")[since:] if "Ids=" in r["query"]]

        _, state2 = _sync(config, state)
        # unproven: one batch, and each id alone; the batch came back whole, so next time batches only
        assert len(id_requests(0)) == len(open_ids) + 1
        assert _last_state(state2, "orders")["parent_state"]["open_records"].get("batches_read_in_full") is True
        before = len(server.api_requests("/api/v1/Orders"))
        _sync(config, state2)
        batches = id_requests(before)
        assert sorted(int(i) for b in batches for i in b) == sorted(_open_ids(state2, "orders"))
        assert all(len(b) <= 99 for b in batches) and len(batches) == -(-len(open_ids) // 99)


def test_state_from_before_this_change_still_works(yod):
    with running_sandbox("yodify") as server:
        api, store = server.api, server.api.store
        config = yod.token_config(server, lookback_days=30)
        _, state = _sync(config)
        for message in state:  # as the previous version wrote it: the cursor only
            message["stream"]["stream_state"].pop("parent_state", None)
        newest = max(o["ordered_date"] for o in store.orders.values())
        upgraded, state2 = _sync(config, state)
        assert len(upgraded["orders"]) < len(store.orders)  # the cursor was read: no full re-sync
        assert _last_state(state2, "orders")["state"]["ordered_date"][:19] == newest[:19]

        old = next(o for o in store.orders.values() if o["order_status"] == "Shipped" and o["ordered_date"] < _ago(60))
        api.mutate({"stream": "orders", "id": old["id"], "set": {"order_status": "Complete"}})
        after, _ = _sync(config, state2)
        assert {o["id"]: o for o in after["orders"]}[old["id"]]["order_status"] == "Complete"
