"""Full and incremental syncs over real HTTP against the Yodify sandbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import assert_complete, catalog_for, patch_retry_waits, read, records_by_stream, running_sandbox, state_messages
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yaml"


@pytest.mark.parametrize(
    "options",
    [{}, {"first_page": 0}, {"first_page": 0, "envelope_everywhere": True}, {"page_below_first": "reject"}],
    ids=["page1-documented-shapes", "page0-documented-shapes", "page0-envelopes-everywhere", "page1-rejecting-page0"],
)
def test_full_refresh_counts_match_sandbox_under_every_reading(options, yod):
    with running_sandbox("yodify", **options) as server:
        config = yod.token_config(server)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config))
        records = assert_complete(output, server, MANIFEST, config)
        # line items are keyed to their order
        orders = {o["id"]: o for o in records["orders"]}
        assert all(i["order_id"] in orders and i["order_number"] == orders[i["order_id"]]["order_number"] for i in records["order_items"])
        # shipments carry their items and tracking history
        assert any(s["items"] and s["trackings"] for s in records["shipments"])


def test_one_status_per_request_and_page_numbers_on_the_wire(yod):
    with running_sandbox("yodify") as server:
        config = yod.token_config(server)
        read(MANIFEST, config, catalog_for(MANIFEST, config, ["orders"]))
        queries = [r["query"] for r in server.api_requests("/api/v1/Orders")]
        open_queries = [q for q in queries if "Statuses" in q]
        assert all(q.count("Statuses=") == 1 and "CreatedOnMin" not in q for q in open_queries)
        assert {q.split("Statuses=")[1].split("&")[0] for q in open_queries} == {
            "New", "Processing", "Shipped", "PartiallyShipped", "Received", "RefundRequested", "StockConfirmed",
            "StockPartiallyConfirmed", "ReadyForPickup", "PartiallyReadyForPickup"}
        created = [q for q in queries if "CreatedOnMin" in q]
        assert created and all("Statuses" not in q for q in created)
        # the first page is asked for without a number, the next ones from Page=1: never Page=0
        assert any("Page" not in q for q in created) and any("Page=1" in q for q in created)
        assert not any("Page=0" in q for q in queries) and all("Limit=100" in q for q in queries)


def test_incremental_state_round_trip_picks_up_changes(yod):
    with running_sandbox("yodify") as server:
        config = yod.token_config(server, lookback_days=7)
        catalog = catalog_for(MANIFEST, config, ["orders", "order_items", "shipments", "skus"], SyncMode.incremental)
        first = read(MANIFEST, config, catalog)
        assert_first = records_by_stream(first)
        assert len(assert_first["orders"]) == server.api.counts()["orders"]
        state = state_messages(first)

        store = server.api.store
        cutoff = datetime.now(timezone.utc) - timedelta(days=10)
        old = lambda o: datetime.fromisoformat(o["ordered_date"].replace("Z", "+00:00")) < cutoff  # noqa: E731
        recent_open = next(o for o in reversed(store.orders.values()) if not old(o) and o["order_status"] in ("New", "Processing"))
        old_open = next(o for o in store.orders.values() if old(o) and o["order_status"] == "Shipped")
        old_final = next(o for o in store.orders.values() if old(o) and o["order_status"] == "Complete")
        server.api.mutate({"stream": "orders", "id": recent_open["id"], "set": {"order_status": "Complete"}})
        server.api.mutate({"stream": "orders", "id": old_open["id"], "set": {"order_status": "RefundRequested"}})
        created = server.api.mutate({"stream": "orders", "create": 1})["created"][0]
        sku = server.api.mutate({"stream": "skus", "id": 5, "set": {"inventory": 1.0}})["changed"]

        second = records_by_stream(read(MANIFEST, config, catalog, state))
        orders = {o["id"]: o for o in second["orders"]}
        assert orders[recent_open["id"]]["order_status"] == "Complete"  # inside the lookback window
        assert orders[old_open["id"]]["order_status"] == "RefundRequested"  # re-read as a non-final order
        assert created["id"] in orders
        assert old_final["id"] not in orders  # old settled orders are not re-read
        assert len(orders) < server.api.counts()["orders"]
        assert len(orders) == len(second["orders"])
        assert {i["order_id"] for i in second["order_items"]} == set(orders)
        # client-side incremental on modified_on: the changed SKU, plus the boundary (inclusive) one
        previous_max = max(s["modified_on"] for s in assert_first["skus"])
        assert sku["id"] in {s["id"] for s in second["skus"]}
        assert all(s["id"] == sku["id"] or s["modified_on"] == previous_max for s in second["skus"])


def test_oauth_token_expiring_mid_sync_is_refreshed_without_losing_records(yod):
    # tokens live 1 s; ~60 requests with 40 ms latency take several tokens
    with running_sandbox("yodify", token_ttl=1, latency_ms=40) as server:
        config = yod.oauth_config(server)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config))
        assert_complete(output, server, MANIFEST, config)
        assert server.api.auth.tokens_issued >= 2


def test_token_dropped_early_by_the_server_is_refreshed_on_its_401(yod, monkeypatch):
    # the server says tokens last an hour but drops them after 2 s: only its 401 (WWW-Authenticate:
    # ... The token expired) tells; 8 pages of orders at 300 ms each outlive a token
    with running_sandbox("yodify", scale=3, token_ttl=2, token_ttl_advertised=3600, latency_ms=300) as server:
        patch_retry_waits(monkeypatch)
        config = yod.oauth_config(server)
        streams = ["orders", "order_items"]
        output = read(MANIFEST, config, catalog_for(MANIFEST, config, streams))
        assert_complete(output, server, MANIFEST, config, streams)
        assert server.api.auth.rejected_expired >= 1 and server.api.auth.tokens_issued >= 2


def test_faults_lose_and_duplicate_nothing(yod, monkeypatch):
    # 429 "API call quota exceeded" (Retry-After 0), 5xx, half bodies, HTML pages, dropped connections
    faults = ["429:5:0", "500:7", "truncate:9", "html:13:503", "drop:11"]
    clock = patch_retry_waits(monkeypatch)
    with running_sandbox("yodify", faults=faults) as server:
        config = yod.token_config(server)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config))
        assert_complete(output, server, MANIFEST, config)
        statuses = {r["status"] for r in server.api_requests("/api/v1/")}
        assert {0, 429, 500} <= statuses  # 0: a dropped connection
        assert min(clock.sleeps) < 1.01  # Retry-After: 0 is honoured (the CDK sleeps one second more than asked)


def test_api_call_quota_429_without_retry_after_loses_nothing(yod, monkeypatch):
    # the documented 429 has no body and no Retry-After: the connector backs off (5 s doubling, here
    # slept at 1/100) and tries again, however often, until the quota lets it through
    clock = patch_retry_waits(monkeypatch, scale=0.01)
    with running_sandbox("yodify", quota=(8, 0.5)) as server:
        config = yod.token_config(server)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config))
        assert_complete(output, server, MANIFEST, config)
        assert server.api.quota_rejections > 0
        assert 6 in clock.sleeps  # the first headerless wait: 5 s (+1 s the CDK adds)


@pytest.mark.parametrize("mode", [SyncMode.full_refresh, SyncMode.incremental], ids=["full-refresh", "first-incremental"])
def test_start_date_does_not_limit_skus(mode, yod):
    # start_date limits orders and shipments only: every SKU is read, however long ago it changed
    with running_sandbox("yodify") as server:
        modified = sorted(s["modified_on"] for s in server.api.store.skus.values())
        start = modified[len(modified) // 2]  # half the SKUs last changed before it
        assert modified[0] < start
        config = yod.token_config(server, start_date=start)
        output = read(MANIFEST, config, catalog_for(MANIFEST, config, ["skus"], mode))
        assert_complete(output, server, MANIFEST, config, ["skus"])


def _cursor_values(state: list[dict], stream: str, field: str) -> list[str]:
    """Every value of `field` in the last state message of `stream` (global, per-partition or plain)."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                found.append(value) if key == field and isinstance(value, str) else walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    mine = [s for s in state if s["stream"]["stream_descriptor"]["name"] == stream]
    walk(mine[-1]["stream"]["stream_state"])
    return found


@pytest.mark.parametrize("timestamps", ["dotnet", "naive", "dotnet-naive"])
def test_cursor_advances_on_dotnet_and_offsetless_timestamps(timestamps, yod):
    # `2024-01-01T00:00:00.1230000Z` (7 fraction digits) and `2024-01-01T00:00:00.123` (no offset)
    # must move the cursor; else every incremental sync silently re-reads everything
    with running_sandbox("yodify", timestamps=timestamps) as server:
        config = yod.token_config(server, lookback_days=7)
        streams = {"orders": "ordered_date", "order_items": "ordered_date", "shipments": "created_on", "skus": "modified_on"}
        catalog = catalog_for(MANIFEST, config, list(streams), SyncMode.incremental)
        first = read(MANIFEST, config, catalog)
        assert not first.errors
        records = records_by_stream(first)
        assert len(records["skus"]) == server.api.counts()["skus"]
        state = state_messages(first)
        for stream, field in streams.items():
            newest = max(r[field] for r in records[stream])
            assert newest.endswith("Z") != timestamps.endswith("naive")
            assert len(newest.split(".")[1].rstrip("Z")) == (6 if timestamps.startswith("dotnet") else 3)  # 7 digits cut to 6
            # the state holds the newest record's instant (6 fraction digits, UTC), not the start date
            values = _cursor_values(state, stream, field)
            assert values and max(values)[:23] == newest[:23], (stream, values, newest)

        second = records_by_stream(read(MANIFEST, config, catalog, state))
        assert len(second["orders"]) < server.api.counts()["orders"]
        assert len(second.get("skus", [])) <= 1  # only the boundary SKU, at-least-once


@pytest.mark.parametrize("array_params", ["repeat", "first", "comma"])
def test_open_reread_finds_every_open_status_under_every_array_encoding(array_params, yod):
    # `Statuses=New&Statuses=Processing` read by a server that takes only the first value (or wants
    # `New,Processing`) would return only New orders: one status per request works under each reading
    with running_sandbox("yodify", array_params=array_params) as server:
        config = yod.token_config(server, lookback_days=7)
        catalog = catalog_for(MANIFEST, config, ["orders", "shipments"], SyncMode.incremental)
        first = read(MANIFEST, config, catalog)
        second = read(MANIFEST, config, catalog, state_messages(first))
        assert not second.errors
        got = records_by_stream(second)
        store = server.api.store
        open_orders = {o["id"] for o in store.orders.values() if o["order_status"] not in ("Complete", "Cancelled", "Refunded", "RefundRejected")}
        open_shipments = {s["id"] for s in store.shipments.values() if s["status"] not in ("Delivered", "PickedUp", "ReturnToSender", "Expired")}
        assert len({o["order_status"] for o in store.orders.values() if o["id"] in open_orders}) > 1
        assert open_orders <= {o["id"] for o in got["orders"]}
        assert open_shipments <= {s["id"] for s in got["shipments"]}
        assert len(got["orders"]) < len(store.orders)
