"""Syncs over real HTTP against the vidaXL sandbox: counts, days, both paths, time zones, incremental."""

import json
from collections import Counter
from datetime import timedelta, timezone

import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import assert_complete, catalog_for, patch_retry_waits, read, records_by_stream, running_sandbox, state_messages
from supplier_sandbox.apis.vidaxl import CARRIERS, ORDERS_PATHS, UNKNOWN_SHIPPING_OPTION

STREAMS = ["orders", "order_products", "shipments", "addresses"]
FILTERS = ("id_eq=", "status_order_id_eq=", "submitted_at_casted_eq=")


def sync(manifest, config, mode=SyncMode.full_refresh, state=None, streams=STREAMS):
    output = read(manifest, config, catalog_for(manifest, config, streams, mode), state)
    assert not output.errors, [e.trace.error.message for e in output.errors]
    return output


def test_full_refresh_counts_equal_the_sandbox_and_keys_are_unique(manifest, config_for, sandbox):
    config = config_for(sandbox)
    assert_complete(sync(manifest, config), sandbox, manifest, config)
    # every list request carries a filter: without one the API answers with 24 hours only
    requests = sandbox.api_requests("/orders")
    assert requests and all(any(f in r["query"] for f in FILTERS) for r in requests)


def test_children_are_keyed_to_their_order_and_shipments_map_carriers(manifest, config_for, sandbox):
    records = records_by_stream(sync(manifest, config_for(sandbox)))
    orders = {o["id"]: o for o in records["orders"]}
    assert all("order_products" not in o for o in orders.values())
    for line in records["order_products"]:
        assert line["order_id"] in orders and line.get("submitted_at") == orders[line["order_id"]].get("submitted_at")
        assert line["order_status_order_id"] == orders[line["order_id"]]["status_order_id"]
    assert {a["order_id"] for a in records["addresses"]} == set(orders)
    address = records["addresses"][0]
    assert address["city"] == orders[address["order_id"]]["city"] and "gross_total" not in address

    shipped = {i for i, o in orders.items() if o["status_order_id"] == 5}
    assert {s["order_id"] for s in records["shipments"]} == shipped
    seen_unknown = False
    for shipment in records["shipments"]:
        order = orders[shipment["order_id"]]
        assert shipment["tracking_number"] == order["shipping_tracking"]
        assert shipment["shipping_option_id"] == order["shipping_option_id"]
        assert shipment.get("carrier") == CARRIERS.get(order["shipping_option_id"])
        if order["shipping_option_id"] == UNKNOWN_SHIPPING_OPTION:
            seen_unknown = True
            assert shipment.get("carrier") is None
        url = order.get("comments_customer") or ""
        assert shipment.get("tracking_url") == (url if url.startswith("http") else None)
    assert seen_unknown, "the sandbox should ship at least one order with an id the carrier table lacks"


def test_the_four_streams_send_each_request_once(manifest, config_for, sandbox):
    # order lines, shipments and addresses are carved out of the orders' answers (shared_reads)
    config = config_for(sandbox)
    assert_complete(sync(manifest, config), sandbox, manifest, config)
    sent = Counter((r["method"], r["path"], r["query"]) for r in sandbox.api_requests("/orders"))
    assert sent and set(sent.values()) == {1}, [k for k, n in sent.items() if n > 1]


@pytest.mark.parametrize("stream", STREAMS)
def test_a_stream_selected_alone_is_complete(manifest, config_for, sandbox, stream):
    config = config_for(sandbox)
    assert_complete(sync(manifest, config, streams=[stream]), sandbox, manifest, config, streams=[stream])


def test_streams_with_different_states_are_each_complete(manifest, config_for, sandbox):
    # orders synced before, the others new: orders re-reads its lookback windows, the others
    # everything; nothing waits for a window a sibling never asks for
    config = config_for(sandbox)
    first = sync(manifest, config, SyncMode.incremental, streams=["orders"])
    second = sync(manifest, config, SyncMode.incremental, state=state_messages(first))
    records = records_by_stream(second)
    counts = sandbox.api.counts()
    assert {s: len(records.get(s, [])) for s in STREAMS[1:]} == {s: counts[s] for s in STREAMS[1:]}
    assert 0 < len(records["orders"]) < counts["orders"]


@pytest.mark.parametrize("path", ORDERS_PATHS)
def test_both_documented_paths(manifest, config_for, path):
    # the sandbox serves only this path: the connector works with either form the doc shows
    with running_sandbox("vidaxl", paths=(path,)) as server:
        config = config_for(server, orders_path=path)
        assert_complete(sync(manifest, config), server, manifest, config)
        assert {r["path"] for r in server.api_requests()} == {path}


@pytest.mark.parametrize("casted_in", ["server", "utc"])
@pytest.mark.parametrize("server_tz", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_one_request_per_day_keeps_exactly_the_orders_from_start_date_in_any_server_time_zone(manifest, config_for, server_tz, casted_in):
    # the doc does not say in which zone submitted_at_casted_eq takes its day: the server's or UTC
    with running_sandbox("vidaxl", server_tz=server_tz, casted_in=casted_in) as server:
        start = (server.api.now - timedelta(days=20)).date()
        config = config_for(server, start_date=start.isoformat())
        records = records_by_stream(sync(manifest, config, streams=["orders"]))
        expected = {o["id"] for o in server.api.orders
                    if o["_submitted"] is None or o["_submitted"].astimezone(timezone.utc).date() >= start}
        got = [o["id"] for o in records["orders"]]
        assert len(got) == len(set(got)), "an order was emitted twice"
        assert set(got) == expected, f"missing {sorted(expected - set(got))}, extra {sorted(set(got) - expected)}"
        days = [r for r in server.api_requests("/orders") if "submitted_at_casted_eq=" in r["query"]]
        assert len(days) == 20 + 3  # the interval's days, the day before it and the day after today


def test_incremental_rereads_the_lookback_window_and_picks_up_status_changes(manifest, config_for, sandbox):
    config = config_for(sandbox, lookback_days=15)
    first = sync(manifest, config, SyncMode.incremental)
    assert_complete(first, sandbox, manifest, config)
    state = state_messages(first)
    assert {s["stream"]["stream_descriptor"]["name"] for s in state} == set(STREAMS)

    # an order submitted 10 days ago, paid but not yet shipped, ships after the first sync
    target = next(o for o in reversed(sandbox.api.orders)
                  if o["status_order_id"] in (2, 4) and sandbox.api.now - o["_submitted"] > timedelta(days=10))
    assert all(o["status_order_id"] != 5 for o in records_by_stream(first)["orders"] if o["id"] == target["id"])
    assert sandbox.api.now - target["_submitted"] < timedelta(days=14)
    changed = sandbox.api.mutate({"id": target["id"], "status_order_id": 5})

    second = records_by_stream(sync(manifest, config, SyncMode.incremental, state=state))
    again = {o["id"]: o for o in second["orders"]}
    assert again[target["id"]]["status_order_id"] == 5
    shipment = next(s for s in second["shipments"] if s["order_id"] == target["id"])
    assert shipment["tracking_number"] == changed["shipping_tracking"]
    # the lookback window is re-read, and older orders only while they are open
    cutoff = (sandbox.api.now - timedelta(days=16)).strftime("%Y-%m-%d")
    assert again and all(o["status_order_id"] not in (7, 8) for o in again.values()
                         if (o.get("submitted_at") or "9")[:10] < cutoff)
    assert len(again) < sandbox.api.counts()["orders"]


def test_an_unpaid_order_is_synced_and_arrives_paid_after_it_is_paid(manifest, config_for, sandbox):
    config = config_for(sandbox)
    first = sync(manifest, config, SyncMode.incremental, streams=["orders", "order_products"])
    temporary = next(o for o in sandbox.api.orders if o["_submitted"] is None)
    seen = {o["id"]: o for o in records_by_stream(first)["orders"]}
    assert seen[temporary["id"]]["status_order_id"] == 1 and seen[temporary["id"]].get("submitted_at") is None
    assert temporary["id"] in {line["order_id"] for line in records_by_stream(first)["order_products"]}
    sandbox.api.mutate({"id": temporary["id"], "status_order_id": 2})  # paid: now it has submitted_at
    second = records_by_stream(sync(manifest, config, SyncMode.incremental, state=state_messages(first), streams=["orders"]))
    paid = next(o for o in second["orders"] if o["id"] == temporary["id"])
    assert paid["status_order_id"] == 2 and paid["submitted_at"]


@pytest.mark.parametrize("faults", [["429:3:1"], ["500:7"], ["html:11", "truncate:13*4", "429:7:1"]])
def test_faults_lose_and_duplicate_nothing(manifest, config_for, faults, monkeypatch):
    # truncated bodies at most 4 times: the shared retry counter cannot tell apart the requests of a
    # body cut short (requests' ChunkedEncodingError names none), so it counts them all as one
    patch_retry_waits(monkeypatch)
    with running_sandbox("vidaxl", faults=faults) as server:
        config = config_for(server)
        records = assert_complete(sync(manifest, config), server, manifest, config)
        statuses = Counter(r["status"] for r in server.api_requests("/orders"))
        assert set(statuses) - {200} , "the faults never fired"


def test_bare_order_objects_still_give_orders_shipments_and_addresses(manifest, config_for):
    # another reading: `[{...order...}]` without the {"order": ...} root (as the create response)
    with running_sandbox("vidaxl", wrapped=False) as server:
        streams = ["orders", "shipments", "addresses"]
        config = config_for(server)
        assert_complete(sync(manifest, config, streams=streams), server, manifest, config, streams)


@pytest.mark.parametrize("params_from", ["query", "body", "both"])
def test_the_date_filter_works_whether_the_server_reads_the_query_or_a_json_body(manifest, config_for, params_from):
    # the doc shows GET parameters as a JSON object: the filter is sent both ways, so a server that
    # reads only the body does not fall back to its 24-hour default
    with running_sandbox("vidaxl", params_from=params_from) as server:
        config = config_for(server)
        records = assert_complete(sync(manifest, config), server, manifest, config)
        requests = server.api_requests("/orders")
        assert requests and all(any(f in r["query"] for f in FILTERS) for r in requests)


@pytest.mark.parametrize("server_tz", ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Honolulu"])
def test_an_exclusive_later_than_in_a_server_zone_west_of_utc_loses_no_order(manifest, config_for, server_tz):
    # "Submitted at later than" (the bound of the status re-reads) read strictly (orders after day D,
    # not on it) by a server whose days start hours after UTC's: no open order is lost
    with running_sandbox("vidaxl", since_exclusive=True, server_tz=server_tz) as server:
        records = records_by_stream(sync(manifest, config_for(server), streams=["orders"]))
        got = [o["id"] for o in records["orders"]]
        expected = {o["id"] for o in server.api.orders}
        assert len(got) == len(set(got)), "an order was emitted by two windows"
        assert set(got) == expected, f"missing {sorted(expected - set(got))}"


def test_state_advances_when_submitted_at_comes_without_a_zone(manifest, config_for):
    # "2026-11-27T12:19:27.000": read as UTC by the cursor, as the window filter reads it
    with running_sandbox("vidaxl", zoneless=True) as server:
        config = config_for(server)
        first = sync(manifest, config, SyncMode.incremental)
        records = assert_complete(first, server, manifest, config)
        assert all("+" not in o["submitted_at"] and not o["submitted_at"].endswith("Z") for o in records["orders"] if o.get("submitted_at"))
        final = {s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"] for s in state_messages(first)}
        assert set(final) == set(STREAMS)
        for stream, state in final.items():
            newest = max(r["submitted_at"][:10] for r in records[stream] if r.get("submitted_at"))
            assert newest in json.dumps(state), f"{stream}: state did not advance to {newest}: {state}"


def test_the_schemas_declare_every_field_of_the_docs_order_object(manifest, config_for):
    # the doc's order object (create-order sample) has fields the list sample lacks: created_at,
    # is_paid, ... Served by the sandbox's full_order reading; each must be declared, typed as sent.
    import jsonschema

    with running_sandbox("vidaxl", full_order=True) as server:
        config = config_for(server)
        catalog = catalog_for(manifest, config, ["orders", "order_products"])
        schemas = {s.stream.name: s.stream.json_schema for s in catalog.streams}
        records = records_by_stream(sync(manifest, config, streams=["orders", "order_products"]))
        for stream in ("orders", "order_products"):
            assert records[stream]
            declared = set(schemas[stream]["properties"])
            for record in records[stream]:
                assert set(record) <= declared, f"{stream}: undeclared {sorted(set(record) - declared)}"
                jsonschema.validate(record, schemas[stream])
        assert {"created_at", "is_paid", "addressbook_id", "total_after_vat"} <= set(records["orders"][0])
        assert {"created_at", "updated_at", "addressbook_id"} <= set(records["order_products"][0])
    # fields the doc only ever shows as null are declared too
    assert {"created_at", "updated_at", "invoice_no", "is_paid", "paid_amount", "payment_date", "date_estimated",
            "shipping_way", "comments_wholesaler", "addressbook_id", "total_after_vat"} <= set(schemas["orders"]["properties"])
    assert {"addressbook_id", "created_at", "updated_at"} <= set(schemas["order_products"]["properties"])


@pytest.mark.parametrize("workers,days_back", [(1, 20), (4, 20), (7, 20), (7, 1)])
def test_the_day_walks_ask_for_every_day_once_and_at_once(manifest, config_for, workers, days_back):
    """The days are walked by as many partitions as workers; each day is asked for once (a walk
    that starts past the last day, when the interval is shorter than the walks, asks for the last
    day again), the walks overlap in time, and every order is emitted once."""
    from connector_testing import most_in_flight

    with running_sandbox("vidaxl", latency_ms=30) as server:
        start = (server.api.now - timedelta(days=days_back)).date()
        config = config_for(server, start_date=start.isoformat(), num_workers=workers)
        records = records_by_stream(sync(manifest, config, streams=["orders"]))
        got = [o["id"] for o in records["orders"]]
        assert len(got) == len(set(got)), "an order was emitted twice"
        assert set(got) == {o["id"] for o in server.api.orders
                            if o["_submitted"] is None or o["_submitted"].astimezone(timezone.utc).date() >= start}
        days = [r for r in server.api_requests("/orders") if "submitted_at_casted_eq=" in r["query"]]
        asked = Counter(r["query"].split("submitted_at_casted_eq=")[1].split("&")[0] for r in days)
        expected = {(start + timedelta(days=d)).isoformat() for d in range(-1, (server.api.now.date() - start).days + 2)}
        assert set(asked) == expected
        walks = max(workers, 2)
        extra = max(0, walks - len(expected))  # the walks past the last day ask for it again
        assert sum(asked.values()) == len(expected) + extra and asked[max(expected)] == 1 + extra
        if workers >= 4:  # the walks overlap (one walk, as before, never has two days in flight)
            assert most_in_flight(days) >= 2
