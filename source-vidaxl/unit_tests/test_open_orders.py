"""Open orders re-read until final, at any age, over real HTTP: status changes at 1, 40 and 400 days,
open -> final, the state written before the re-reads, and a request count linear in days."""

from datetime import timedelta

import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import assert_complete, catalog_for, read, records_by_stream, running_sandbox, state_messages

STREAMS = ["orders", "order_products", "shipments", "addresses"]


def sync(manifest, config, state=None, mode=SyncMode.incremental):
    output = read(manifest, config, catalog_for(manifest, config, STREAMS, mode), state)
    assert not output.errors, [e.trace.error.message for e in output.errors]
    return output


def aged(server, days):
    """The submitted order closest to `days` of age."""
    target = server.api.now - timedelta(days=days)
    return min((o for o in server.api.orders if o["_submitted"] is not None), key=lambda o: abs(o["_submitted"] - target))


def by_id(query):
    return query.startswith("id_eq=") or "&id_eq=" in query


def open_ids(output, stream="orders"):
    final = {s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"] for s in state_messages(output)}
    return set(final[stream]["parent_state"]["open_records"]["ids"])


@pytest.mark.parametrize("status_keeps_default", [False, True])
def test_changes_at_1_40_and_400_days_reach_the_next_sync_from_a_state_of_the_previous_version(
        manifest, config_for, status_keeps_default):
    # status_keeps_default: a server that applies its 24-hour default to `status_order_id_eq` alone
    with running_sandbox("vidaxl", history_days=420, status_keeps_default=status_keeps_default) as server:
        young, middle, old, refunded = aged(server, 1), aged(server, 40), aged(server, 400), aged(server, 45)
        assert len({young["id"], middle["id"], old["id"], refunded["id"]}) == 4
        for order in (young, middle, old):
            server.api.mutate({"id": order["id"], "status_order_id": 4})  # being prepared
        server.api.mutate({"id": refunded["id"], "status_order_id": 5})  # sent
        config = config_for(server)
        # the state the previous version (date windows, no open set) wrote: {"submitted_at": day}
        yesterday = (server.api.now - timedelta(days=1)).strftime("%Y-%m-%d")
        before = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": s}, "stream_state": {"submitted_at": yesterday}}}
                  for s in STREAMS]
        first = sync(manifest, config, before)
        days = [r for r in server.api_requests("/orders") if "submitted_at_casted_eq=" in r["query"]]
        assert len(days) <= 30 + 4, "a state of the previous version must not restart from start_date"
        watched = {young["id"], middle["id"], old["id"], refunded["id"]}
        assert watched <= open_ids(first)
        assert watched <= {o["id"] for o in records_by_stream(first)["orders"]}

        changed = {i: server.api.mutate({"id": i, "status_order_id": 5}) for i in (young["id"], middle["id"], old["id"])}
        server.api.mutate({"id": refunded["id"], "status_order_id": 8})
        asked_before = len(server.api_requests("/orders"))
        second = sync(manifest, config, state_messages(first))
        records = records_by_stream(second)
        orders = {o["id"]: o for o in records["orders"]}
        for i, now in changed.items():
            assert orders[i]["status_order_id"] == 5
            shipment = next(s for s in records["shipments"] if s["order_id"] == i)
            assert shipment["tracking_number"] == now["shipping_tracking"]
        assert orders[refunded["id"]]["status_order_id"] == 8
        for stream in ("order_products", "addresses"):
            got = {r["order_id"]: r for r in records[stream]}
            assert {old["id"], refunded["id"]} <= set(got)
            assert got[refunded["id"]]["order_status_order_id"] == 8
        asked_by_id = [r["query"] for r in list(server.api_requests("/orders"))[asked_before:] if by_id(r["query"])]
        if not status_keeps_default:
            # the status reads returned every open order: only those that left them are asked by id,
            # the refunded one, and the 400-day one now Sent (Sent orders are read back 180 days only)
            # (once: the four streams share each answer, connector_common shared_reads)
            assert sorted(asked_by_id) == sorted([f"id_eq={refunded['id']}", f"id_eq={old['id']}"])
        left = open_ids(second)
        assert refunded["id"] not in left  # final: no longer re-read
        assert old["id"] not in left  # Sent 400 days after submission: past sent_watch_days (180)
        assert {young["id"], middle["id"]} <= left


def test_a_60_day_history_costs_one_request_per_day_and_a_few_per_stream(manifest, config_for):
    with running_sandbox("vidaxl", history_days=60) as server:
        config = config_for(server)  # from the day before the oldest order
        assert_complete(sync(manifest, config, mode=SyncMode.full_refresh), server, manifest, config)
        requests = server.api_requests("/orders")
        # 61 days, the day before and the day after today, 4 open statuses, each sent once for the four
        # streams (shared_reads); no id_eq without a saved set
        assert len(requests) == 61 + 3 + 4, len(requests)
        assert not any(by_id(r["query"]) for r in requests)


def test_a_failing_sync_with_a_saved_set_fails_at_once(manifest, config_for):
    # the re-reads by id wait for the status reads; a status read that fails must not keep them waiting
    import time

    with running_sandbox("vidaxl", history_days=10) as server:
        config = {**config_for(server), "api_token": "wrong"}
        yesterday = (server.api.now - timedelta(days=1)).strftime("%Y-%m-%d")
        state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"}, "stream_state": {
            "use_global_cursor": True, "state": {"submitted_at": yesterday},
            "parent_state": {"open_records": {"ids": [1, 2, 3]}}}}}]
        began = time.monotonic()
        output = read(manifest, config, catalog_for(manifest, config, ["orders"], SyncMode.incremental), state, expecting_exception=True)
        assert output.errors and "HTTP 401" in output.errors[0].trace.error.message
        assert time.monotonic() - began < 30
