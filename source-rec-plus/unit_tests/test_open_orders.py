"""Orders the last sync saw open are re-read as /orders/{id} until final, at any age (real HTTP).

`since_timestamp` filters on when an order was placed and orders have no modified date, so without
the re-reads a change to an order placed before the 30-day lookback never reaches the warehouse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import catalog_for, read, records_by_stream, running_sandbox, state_messages
from supplier_sandbox.apis.rec_plus import FMT

STREAMS = ["orders", "order_lines", "addresses"]


def _sync(manifest, config, state=None):
    output = read(manifest, config, catalog_for(manifest, config, STREAMS, SyncMode.incremental), state)
    assert not output.errors, [e.trace.error.message for e in output.errors]
    return records_by_stream(output), state_messages(output)


def _open_ids(state: list[dict], stream: str) -> list:
    last = [s for s in state if s["stream"]["stream_descriptor"]["name"] == stream][-1]["stream"]["stream_state"]
    return last["parent_state"]["open_records"]["ids"]


def _set(server, order: dict, **values) -> None:
    server.api.mutate({"resource": "orders", "id": order["id"], "set": values})


def _aged(server, days_list, status="Processing") -> list[dict]:
    """Orders placed `days` ago, one per entry, in `status`."""
    orders = [o for o in server.api.tables["orders"] if o["status"] == status][: len(days_list)]
    for order, days in zip(orders, days_list):
        _set(server, order, start_date=(server.api.site_now - timedelta(days=days)).strftime(FMT))
    return orders


def _status_of(records: dict, order_id: int) -> tuple:
    """The order's status as orders, order_lines and addresses emitted it (None where not emitted)."""
    order = [o["status"] for o in records.get("orders", []) if o["id"] == order_id]
    lines = {r.get("order_status") for r in records.get("order_lines", []) if r["order_id"] == order_id}
    addresses = {r.get("order_status") for r in records.get("addresses", []) if r["order_id"] == order_id}
    return (order[0] if len(order) == 1 else order or None, lines or None, addresses or None)


def test_orders_changing_at_1_40_and_400_days_reach_the_next_sync_until_final(manifest, config_for):
    with running_sandbox("rec-plus") as server:
        aged = _aged(server, (1, 40, 400))
        config = config_for(server, lookback_days=30)
        _, state1 = _sync(manifest, config)

        for order in aged:  # open -> open (returns and refunds can follow dispatch)
            _set(server, order, status="Dispatched")
        second, state2 = _sync(manifest, config, state1)
        assert len(second["orders"]) < len(server.api.tables["orders"])  # incremental, not a full re-read
        for order in aged:
            assert _status_of(second, order["id"]) == ("Dispatched", {"Dispatched"}, {"Dispatched"}), order["start_date"]
        assert {o["id"] for o in aged} <= set(_open_ids(state1, "orders"))

        for order in aged:  # open -> final
            _set(server, order, status="Refunded")
        third, state3 = _sync(manifest, config, state2)
        for order in aged:
            assert _status_of(third, order["id"]) == ("Refunded", {"Refunded"}, {"Refunded"}), order["start_date"]
        for stream in STREAMS:  # final now: out of every stream's set, and not asked for again
            assert not {o["id"] for o in aged} & set(_open_ids(state3, stream)), stream
        before = len(server.api_requests("/api/v1/orders/"))
        fourth, _ = _sync(manifest, config, state3)
        asked = {r["path"] for r in server.api_requests("/api/v1/orders/")[before:]}
        assert not {f"/api/v1/orders/{o['id']}" for o in aged} & asked
        assert aged[2]["id"] not in {o["id"] for o in fourth.get("orders", [])}


@pytest.mark.parametrize("final, settings", [
    ("Completed", {}),
    ("cancelled", {}),  # any case
    ("Closed", {"final_order_statuses": ["Closed"]}),  # a shop's own final status
])
def test_an_old_order_moving_from_open_to_final_between_two_syncs(final, settings, manifest, config_for):
    with running_sandbox("rec-plus") as server:
        (order,) = _aged(server, (90,), status="Payment Received")
        config = config_for(server, lookback_days=30, **settings)
        _, state1 = _sync(manifest, config)
        _set(server, order, status=final)
        second, state2 = _sync(manifest, config, state1)
        assert _status_of(second, order["id"]) == (final, {final}, {final})
        assert order["id"] in _open_ids(state1, "orders") and order["id"] not in _open_ids(state2, "orders")
        open_now = {o["id"] for o in server.api.tables["orders"]
                    if o["status"].lower() not in {s.lower() for s in settings.get("final_order_statuses", ["Completed", "Cancelled", "Canceled", "Refunded"])}}
        assert set(_open_ids(state2, "orders")) == open_now  # bounded by the open orders


def test_a_deleted_open_order_does_not_fail_the_sync(manifest, config_for):
    with running_sandbox("rec-plus") as server:
        (order,) = _aged(server, (60,))
        config = config_for(server, lookback_days=30)
        _, state1 = _sync(manifest, config)
        with server.api.lock:
            server.api.tables["orders"].remove(order)
        second, state2 = _sync(manifest, config, state1)
        assert [r["status"] for r in server.api_requests(f"/api/v1/orders/{order['id']}")] == [404] * 3
        assert order["id"] not in {o["id"] for o in second.get("orders", [])}
        assert order["id"] in _open_ids(state2, "orders")  # asked for again next time; harmless


def test_state_from_before_the_re_reads_still_works(manifest, config_for):
    with running_sandbox("rec-plus") as server:
        (old,) = _aged(server, (400,))
        config = config_for(server, lookback_days=30)
        _, state = _sync(manifest, config)
        newest = max(o["start_date"] for o in server.api.tables["orders"])
        for message in state:  # as the previous version wrote it: the cursor alone
            message["stream"]["stream_state"] = {"start_date": newest}
        upgraded, state2 = _sync(manifest, config, state)
        _set(server, old, status="Refunded")
        after, _ = _sync(manifest, config, state2)
        assert _status_of(after, old["id"]) == ("Refunded", {"Refunded"}, {"Refunded"})
        assert len(after["orders"]) < len(server.api.tables["orders"])  # incremental again
        # no set of open orders in the old state: the upgraded sync read the orders list again to collect them
        assert len(upgraded["orders"]) == len(server.api.tables["orders"])
        assert old["id"] in _open_ids(state2, "orders") and old["id"] in _open_ids(state2, "order_lines")
