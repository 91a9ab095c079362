"""REC+ over real HTTP against its sandbox: counts, paging, incremental, faults."""

import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import assert_complete, catalog_for, patch_retry_waits, read, records_by_stream, running_sandbox, state_messages


def test_full_refresh_emits_every_record_of_every_stream_once(sandbox, manifest, config_for):
    config = config_for(sandbox, page_size=7)
    output = read(manifest, config, catalog_for(manifest, config))
    assert not output.errors
    records = assert_complete(output, sandbox, manifest, config)
    assert set(records) == set(sandbox.api.counts())
    # fields=* gives full product records, prices stay strings as the API sends them
    product = next(p for p in records["products"] if p["variations"])
    assert isinstance(product["price"]["normal"], str) and product["updated_at"] >= product["date_added"]
    assert {line["order_id"] for line in records["order_lines"]} == {o["id"] for o in records["orders"]}


def test_products_are_requested_in_ascending_id_order_with_full_fields(sandbox, manifest, config_for):
    config = config_for(sandbox)
    read(manifest, config, catalog_for(manifest, config, ["products", "categories"]))
    for path in ("/products", "/categories"):
        query = sandbox.api_requests(path)[0]["query"]
        assert "sort=id" in query and "fields=*" in query


def test_server_that_caps_limit_below_the_page_size_loses_nothing(manifest, config_for):
    # another reading of "the max for the limit is generally 1000": a server that silently serves fewer
    with running_sandbox("rec-plus", max_limit=5) as server:
        config = config_for(server, page_size=1000)
        output = read(manifest, config, catalog_for(manifest, config, ["products", "orders", "order_lines", "addresses"]))
        assert_complete(output, server, manifest, config, ["products", "orders", "order_lines", "addresses"])


def test_incremental_state_round_trip_and_lookback(sandbox, manifest, config_for):
    config = config_for(sandbox, page_size=20, lookback_days=30)
    streams = ["products", "orders", "order_lines", "addresses"]
    catalog = catalog_for(manifest, config, streams, SyncMode.incremental)
    first = read(manifest, config, catalog)
    assert_complete(first, sandbox, manifest, config, streams)
    state = state_messages(first)
    assert {s["stream"]["stream_descriptor"]["name"] for s in state} == set(streams)

    second = read(manifest, config, catalog, state)
    again = records_by_stream(second)
    newest = max(o["start_date"] for o in sandbox.api.tables["orders"])
    # only the lookback window of orders is read again, and no product unless it changed
    assert 0 < len(again["orders"]) < len(sandbox.api.tables["orders"])
    assert all(o["start_date"] >= _days_before(newest, 30) for o in again["orders"])
    newest_product = max(p["updated_at"] for p in records_by_stream(first)["products"])
    # only the products inside the two-hour overlap before the cursor
    assert all(p["updated_at"] >= _hours_before(newest_product, 2) for p in again.get("products", []))

    recent = max(sandbox.api.tables["orders"], key=lambda o: o["start_date"])
    sandbox.api.mutate({"resource": "orders", "id": recent["id"], "set": {"status": "Dispatched-TEST"}})
    sandbox.api.mutate({"resource": "products", "id": 58010, "set": {"name": "Renamed product"}})
    third = records_by_stream(read(manifest, config, catalog, state_messages(second)))
    assert [o["status"] for o in third["orders"] if o["id"] == recent["id"]] == ["Dispatched-TEST"]
    assert {line["status"] for line in third["order_lines"] if line["order_id"] == recent["id"]} == {"Dispatched-TEST"}
    assert [p["name"] for p in third["products"] if p["id"] == 58010] == ["Renamed product"]


def _hours_before(stamp: str, hours: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S") - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")


def _query(query: str) -> dict:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query))


def _site_now() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M:%S")


def _days_before(stamp: str, days: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S") - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")


def test_start_date_limits_the_first_sync(sandbox, manifest, config_for):
    config = config_for(sandbox, start_date="2026-01-01")
    cutoff = sorted(o["start_date"] for o in sandbox.api.tables["orders"])[30]
    config["start_date"] = cutoff
    output = read(manifest, config, catalog_for(manifest, config, ["orders"], SyncMode.incremental))
    orders = records_by_stream(output)["orders"]
    assert len(orders) == sum(o["start_date"] >= cutoff for o in sandbox.api.tables["orders"])
    assert "since_timestamp=" + cutoff in sandbox.api_requests("/orders")[0]["query"]


@pytest.mark.parametrize(
    "faults, streams",
    [
        (["429:3:1", "500:7"], ["products", "orders", "order_lines"]),
        (["html:4:200", "503:9"], ["products", "orders", "stock"]),
        # no Retry-After on a broken connection: exponential backoff from 4 s
        (["drop:9", "truncate:10"], ["products", "orders"]),
    ],
    ids=["rate-limit-and-500", "html-and-503", "dropped-and-truncated"],
)
def test_faults_lose_and_duplicate_nothing(faults, streams, manifest, config_for, monkeypatch):
    clock = patch_retry_waits(monkeypatch)  # the waits are asserted, not waited
    with running_sandbox("rec-plus", faults=faults, error_retry_after=1) as server:
        config = config_for(server, page_size=10)
        output = read(manifest, config, catalog_for(manifest, config, streams))
        assert not output.errors
        assert_complete(output, server, manifest, config, streams)
        assert sum(f["fired"] for f in server.faults.summary()) >= 2
        assert clock.sleeps and all(wait <= 61 for wait in clock.sleeps)


@pytest.mark.parametrize("mode", [SyncMode.full_refresh, SyncMode.incremental], ids=["full-refresh", "first-incremental"])
def test_first_sync_without_start_date_sends_no_since_filter(mode, manifest, config_for):
    # a server whose updated column is NULL for never-modified products drops them from any
    # since_timestamp_field=updated filter: without state or start_date, every product is read unfiltered
    with running_sandbox("rec-plus", null_updated=True) as server:
        config = config_for(server, page_size=50)
        output = read(manifest, config, catalog_for(manifest, config, ["products"], mode))
        assert not output.errors
        assert_complete(output, server, manifest, config, ["products"])
        queries = [r["query"] for r in server.api_requests("/products")]
        assert len([q for q in queries if "since_timestamp" not in q]) == 2  # both pages of 50
        if mode == SyncMode.incremental:  # and the `live` request asks for nothing: from the window's end, after now
            (live,) = [q for q in queries if "since_timestamp" in q]
            assert "since_timestamp_field=live" in live and _query(live)["since_timestamp"] > _site_now()


def test_start_date_and_state_send_the_products_since_filter(manifest, config_for):
    with running_sandbox("rec-plus") as server:
        config = config_for(server, page_size=50, start_date="2024-01-01")
        catalog = catalog_for(manifest, config, ["products"], SyncMode.incremental)
        first = read(manifest, config, catalog)
        ids = [p["id"] for p in records_by_stream(first)["products"]]
        assert len(ids) == len(set(ids)) == sum(p["date_modified_admin"] >= "2024-01-01" for p in server.api.tables["products"])
        queries = [_query(r["query"]) for r in server.api_requests("/products")]
        assert {q["since_timestamp_field"] for q in queries} == {"updated", "live"}
        assert all(q["since_timestamp"] == "2024-01-01T00:00:00" for q in queries)
        del config["start_date"]
        read(manifest, config, catalog, state_messages(first))
        later = [_query(r["query"]) for r in server.api_requests("/products")][len(queries):]
        assert {q["since_timestamp_field"] for q in later} == {"updated", "live"} and all(q["since_timestamp"] > "2024-01-02" for q in later)


def test_product_dates_with_an_offset_move_the_cursor(manifest, config_for):
    from datetime import datetime

    # `2024-06-01T10:00:00+01:00`: a cursor that cannot read it stalls, and every sync re-reads everything
    with running_sandbox("rec-plus", date_offsets=True) as server:
        config = config_for(server, page_size=50)
        catalog = catalog_for(manifest, config, ["products"], SyncMode.incremental)
        first = read(manifest, config, catalog)
        products = records_by_stream(first)["products"]
        assert len(products) == server.api.counts()["products"] and products[0]["date_added"][19:] in ("+00:00", "+01:00")
        state = state_messages(first)[0]["stream"]["stream_state"]["state"]
        newest = max((p["updated_at"] for p in products), key=datetime.fromisoformat)
        assert state.get("updated_at") == newest[:19], (state, newest)  # the site wall time of the newest product
        second = records_by_stream(read(manifest, config, catalog, state_messages(first)))
        assert len(second.get("products", [])) < len(products)


def test_product_changed_in_the_repeated_autumn_hour_is_picked_up(sandbox, manifest, config_for):
    # shop-local times without an offset repeat 01:00-02:00 when the clocks go back: a change in the
    # second 01:30 is written with an earlier wall time than a cursor at the first 01:59
    config = config_for(sandbox, page_size=50)
    catalog = catalog_for(manifest, config, ["products"], SyncMode.incremental)
    first = read(manifest, config, catalog)
    cursor = state_messages(first)[0]["stream"]["stream_state"]["state"]["updated_at"]
    product = next(p for p in sandbox.api.tables["products"] if p["date_modified_admin"] < _hours_before(cursor, 3))
    product["name"], product["date_modified_api"] = "Changed in the repeated hour", _hours_before(cursor, 1)[:14] + "30:00"
    second = records_by_stream(read(manifest, config, catalog, state_messages(first)))
    assert [p["name"] for p in second["products"] if p["id"] == product["id"]] == ["Changed in the repeated hour"]


def _add_product(server, never_modified: bool) -> dict:
    """A product added now; under the NULL reading the server keeps its updated date NULL."""
    now = _site_now()
    with server.api.lock:
        template = server.api.tables["products"][1]
        pid = max(p["id"] for p in server.api.tables["products"]) + 1
        product = {**template, "id": pid, "code": f"SKU-{pid}", "href": f"/products/{pid}.json", "name": "Added after the cursor",
                   "date_added": now, "date_modified_admin": None if never_modified else now, "date_modified_api": None}
        server.api.tables["products"].append(product)
    return product


@pytest.mark.parametrize("null_updated", [True, False], ids=["updated-null-until-modified", "updated-set-when-added"])
def test_a_product_added_after_the_cursor_and_never_modified_reaches_the_next_sync(null_updated, manifest, config_for):
    with running_sandbox("rec-plus", null_updated=null_updated) as server:
        config = config_for(server, page_size=50)
        catalog = catalog_for(manifest, config, ["products"], SyncMode.incremental)
        first = read(manifest, config, catalog)
        product = _add_product(server, never_modified=null_updated)
        second = read(manifest, config, catalog, state_messages(first))
        assert not second.errors
        assert [p["name"] for p in records_by_stream(second)["products"] if p["id"] == product["id"]] == ["Added after the cursor"]
        assert state_messages(second)[0]["stream"]["stream_state"]["state"]["updated_at"] == product["date_added"]


def test_products_state_from_before_the_live_request_keeps_working(sandbox, manifest, config_for):
    # the state one cursor request wrote: {"updated_at": ...}; upgrading must not mean a full re-sync
    config = config_for(sandbox, page_size=50)
    catalog = catalog_for(manifest, config, ["products"], SyncMode.incremental)
    cursor = max(p["date_modified_admin"] for p in sandbox.api.tables["products"])
    old = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "products"}, "stream_state": {"updated_at": cursor}}}]
    product = _add_product(sandbox, never_modified=True)
    output = read(manifest, config, catalog, old)
    rows = records_by_stream(output)["products"]
    assert product["id"] in {p["id"] for p in rows} and len(rows) < 10
    queries = [_query(r["query"]) for r in sandbox.api_requests("/products")]
    assert {q["since_timestamp_field"] for q in queries} == {"updated", "live"}
    assert all(_hours_before(cursor, 3) <= q["since_timestamp"] <= _hours_before(cursor, 2) for q in queries)


@pytest.mark.parametrize("category_dates", ["date_modified", "admin_api"])
def test_categories_are_incremental_on_since_timestamp(category_dates, manifest, config_for):
    # the doc shows no category record: a modified date named like the products' or not, the cursor moves
    with running_sandbox("rec-plus", category_dates=category_dates) as server:
        config = config_for(server, start_date="2026-11-01")  # a first sync reads every category anyway
        catalog = catalog_for(manifest, config, ["categories"], SyncMode.incremental)
        first = read(manifest, config, catalog)
        assert len(records_by_stream(first)["categories"]) == server.api.counts()["categories"]
        assert "since_timestamp" not in server.api_requests("/categories")[0]["query"]
        cursor = state_messages(first)[0]["stream"]["stream_state"]["updated_at"]
        assert cursor == max(server.api._category_modified(c) for c in server.api.tables["categories"])

        changed = server.api.mutate({"resource": "categories", "id": 24003, "set": {"name": "Renamed range"}})
        second = read(manifest, config, catalog, state_messages(first))
        rows = records_by_stream(second)["categories"]
        assert [c["name"] for c in rows if c["id"] == 24003] == ["Renamed range"]
        assert len(rows) < server.api.counts()["categories"]
        assert _query(server.api_requests("/categories")[-1]["query"])["since_timestamp"] == _hours_before(cursor, 2)
        assert state_messages(second)[0]["stream"]["stream_state"]["updated_at"] == server.api._category_modified(changed) > cursor


def test_categories_without_any_modified_date_are_read_in_full_every_sync(sandbox, manifest, config_for):
    # a third reading of the undocumented category record: no date at all; the cursor cannot move, nothing is lost
    for category in sandbox.api.tables["categories"]:
        del category["date_modified"]
    config = config_for(sandbox)
    catalog = catalog_for(manifest, config, ["categories"], SyncMode.incremental)
    first = read(manifest, config, catalog)
    second = read(manifest, config, catalog, state_messages(first))
    assert not first.errors and not second.errors
    assert len(records_by_stream(second)["categories"]) == sandbox.api.counts()["categories"]
    assert not any("since_timestamp" in r["query"] for r in sandbox.api_requests("/categories"))
