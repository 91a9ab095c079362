"""source-m3-wholesale over real HTTP against its sandbox."""

from collections import Counter
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest
from airbyte_cdk.models import SyncMode

from connector_testing import assert_complete, catalog_for, cli_connection_status, declarative_source, patch_retry_waits, read, records_by_stream, run_cli, running_sandbox, state_messages

# `manifest`, `config_for` (the registry's sandbox config) and `sandbox` are the shared fixtures of
# connector_testing.fixtures


@pytest.mark.parametrize("options", [
    {},
    {"categories_shape": "prefixed", "per_page_max": 7},  # companies in 9 pages of 7
    {"categories_shape": "list"},
    {"categories_shape": "data"},  # the list in Laravel's {"data": [...]} envelope
    {"companies_paging": "links", "per_page_max": 7},  # meta {}: the page number comes from links.next
    {"companies_paging": "unpaged"},  # links {} and meta {}, as the doc's example: one page
    # string order ids, as the create-order response shows; one SKU on two lines of an order
    {"order_ids": "string", "repeated_sku_lines": True},
])
def test_full_refresh_counts_equal_the_sandbox_and_no_duplicate_keys(options, manifest, config_for):
    with running_sandbox("m3-wholesale", **options) as server:
        cfg = config_for(server)
        out = read(manifest, cfg, catalog_for(manifest, cfg))
        assert not out.errors
        records = assert_complete(out, server, manifest, cfg)
        assert len(server.api_requests("/api/v1/products/")) == server.api.counts()["products"]  # one per SKU
        pages = len(server.api_requests("/api/v1/companies"))
        assert pages == (1 if options.get("companies_paging") == "unpaged" or "per_page_max" not in options else 9)  # companies and addresses read each page once
        trees = {c["tree"] for c in records["categories"]}
        assert trees == ({"all"} if options.get("categories_shape") in ("list", "data") else {"b2b", "b2c"})


def test_a_full_sync_sends_each_request_once(manifest, config_for, sandbox):
    # orders, order_products, shipments and addresses read one order list; companies and
    # addresses one list of companies (shared_reads)
    cfg = config_for(sandbox)
    assert_complete(read(manifest, cfg, catalog_for(manifest, cfg)), sandbox, manifest, cfg)
    sent = Counter((r["method"], r["path"], r["query"]) for r in sandbox.api_requests())
    assert set(sent.values()) == {1}, [k for k, n in sent.items() if n > 1]
    assert sum(1 for method, path, _ in sent if path == "/api/v1/orders") == 1


@pytest.mark.parametrize("stream", ["orders", "order_products", "shipments", "addresses", "companies"])
def test_a_stream_selected_alone_is_complete(manifest, config_for, sandbox, stream):
    cfg = config_for(sandbox)
    assert_complete(read(manifest, cfg, catalog_for(manifest, cfg, [stream])), sandbox, manifest, cfg, streams=[stream])


def test_php_dates_are_iso_with_the_zone_offset_across_dst(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        out = read(manifest, config_for(server), catalog_for(manifest, config_for(server), ["orders", "shipments"]))
        orders = {o["id"]: o for o in records_by_stream(out)["orders"]}
        assert orders[12001]["updated_at"] == "2024-03-31T01:59:59+01:00"
        assert orders[12002]["updated_at"] == "2024-03-31T03:30:00+02:00"
        assert orders[12003]["updated_at"] == "2024-10-27T02:30:00+02:00"
        assert orders[12004]["updated_at"] == "2024-10-27T03:30:00+01:00"
        assert all(isinstance(s["created_at"], str) for s in records_by_stream(out)["shipments"])


@pytest.mark.parametrize("order_ids", ["integer", "string"])
def test_an_order_with_one_sku_on_two_lines_keeps_both_lines_by_their_place(order_ids, manifest, config_for):
    with running_sandbox("m3-wholesale", repeated_sku_lines=True, order_ids=order_ids) as server:
        cfg = config_for(server)
        catalog = catalog_for(manifest, cfg, ["order_products"], SyncMode.incremental)
        records = assert_complete(read(manifest, cfg, catalog), server, manifest, cfg, ["order_products"])
        got = {(r["order_id"], r["line_number"]): (r["product_sku"], r["quantity"]) for r in records["order_products"]}
        sent = {(o["id"], n): (line["product_sku"], line["quantity"]) for o in server.api.orders for n, line in enumerate(o["products"], start=1)}
        assert got == sent
        assert any(len({line["product_sku"] for line in o["products"]}) < len(o["products"]) for o in server.api.orders)


@pytest.mark.parametrize("order_ids", ["integer", "string"])
def test_order_ids_are_kept_as_sent_and_match_the_declared_schema(order_ids, manifest, config_for):
    # the order list shows `"id": 12345`, the create-order response `"id": "ORD123456"`
    streams = ["orders", "order_products", "shipments", "addresses"]
    with running_sandbox("m3-wholesale", order_ids=order_ids) as server:
        cfg = config_for(server)
        catalog = catalog_for(manifest, cfg, streams)
        records = records_by_stream(read(manifest, cfg, catalog))
        assert {o["id"] for o in records["orders"]} == {o["id"] for o in server.api.orders}
        assert {r["order_id"] for r in records["order_products"]} <= {o["id"] for o in server.api.orders}
        assert all(isinstance(o["id"], int if order_ids == "integer" else str) for o in records["orders"])
        for configured in catalog.streams:
            validator = jsonschema.Draft7Validator(configured.stream.json_schema)
            errors = [e.message for r in records[configured.stream.name] for e in validator.iter_errors(r)]
            assert not errors, f"{configured.stream.name}: {errors[:3]}"


def test_status_filter_is_sent_as_php_array_and_applied(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server, order_statuses=["shipped", "complete"])
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["orders", "order_products"]))
        orders = records_by_stream(out)["orders"]
        expected = [o for o in server.api.orders if o["status"] in ("shipped", "complete")]
        assert len(orders) == len(expected) > 0
        assert {o["status"] for o in orders} == {"shipped", "complete"}
        assert "status[]=shipped" in server.api_requests("/api/v1/orders")[0]["query"]


@pytest.mark.parametrize("statuses, sent", [
    (["shipped", "complete"], True),
    # `pending` is in the examples but not the filter's enum: sent, a validating server would refuse
    # the request; so nothing is sent and the records are filtered here
    (["pending", "shipped"], False),
])
def test_status_filter_matches_any_case_and_never_sends_an_undocumented_status(statuses, sent, manifest, config_for):
    with running_sandbox("m3-wholesale", strict_status=True, capitalized_statuses=True) as server:
        cfg = config_for(server, order_statuses=statuses)
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["orders", "order_products", "shipments", "addresses"]))
        assert not out.errors
        records = records_by_stream(out)
        expected = {o["id"] for o in server.api.orders if o["status"] in statuses}
        assert {o["id"] for o in records["orders"]} == expected and expected
        assert {o["status"] for o in records["orders"]} == {s.capitalize() for s in statuses}
        assert {r["order_id"] for r in records["order_products"]} <= expected
        assert {r["owner_id"] for r in records["addresses"] if r["owner_type"] == "order"} <= {str(i) for i in expected}
        assert any(r["owner_type"] == "company" for r in records["addresses"])
        queries = [r["query"] for r in server.api_requests("/api/v1/orders")]
        assert all(("status" in q) == sent for q in queries)


def test_a_first_sync_sends_no_modified_since_a_start_date_does(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        for cfg, expect in ((config_for(server), False), (config_for(server, start_date="2024-01-01T00:00:00Z"), True)):
            server.requests.clear()
            read(manifest, cfg, catalog_for(manifest, cfg, ["products", "stock"], SyncMode.incremental))
            lists = server.api_requests("/api/v1/products?") + server.api_requests("/api/v1/stock/")
            queries = [r["query"] for r in lists]
            assert queries and all(("modified_since" in q) == expect for q in queries), queries


def test_an_order_or_stock_change_stamped_up_to_an_hour_behind_the_state_still_arrives(manifest, config_for):
    # an update stamped in the repeated autumn hour reads up to an hour early; an ERP may post late
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server)
        catalog = catalog_for(manifest, cfg, ["orders", "stock"], SyncMode.incremental)
        first = read(manifest, cfg, catalog)
        newest = max(datetime.fromisoformat(o["updated_at"]) for o in records_by_stream(first)["orders"])
        stock_state = datetime.now(timezone.utc)
        server.api.mutate({"orders": [12010], "status": "complete", "at": (newest - timedelta(minutes=40)).isoformat()})
        server.api.mutate({"stock": ["0000005"], "at": (stock_state - timedelta(minutes=40)).isoformat()})
        second = records_by_stream(read(manifest, cfg, catalog, state_messages(first)))
        assert 12010 in {o["id"] for o in second["orders"]}
        assert "0000005" in {s["sku"] for s in second["stock"]}


@pytest.mark.parametrize("options", [
    {},
    # each endpoint's documented modified_since form, else 422; a naive time read as UTC
    {"strict_since": True, "naive_tz": "UTC"},
])
def test_incremental_emits_only_changed_orders_products_and_stock(options, manifest, config_for):
    with running_sandbox("m3-wholesale", **options) as server:
        cfg = config_for(server)
        catalog = catalog_for(manifest, cfg, ["orders", "order_products", "products", "stock"], SyncMode.incremental)
        first = read(manifest, cfg, catalog)
        assert len(records_by_stream(first)["orders"]) == server.api.counts()["orders"]
        state = state_messages(first)
        second = read(manifest, cfg, catalog, state)
        # nothing changed: only orders updated in the hour's lookback before the cursor come back
        newest = max(records_by_stream(first)["orders"], key=lambda o: o["updated_at"])
        assert [o["id"] for o in records_by_stream(second).get("orders", [])] in ([], [newest["id"]])
        server.api.mutate({"orders": [12010], "status": "shipped", "products": ["0000003"], "stock": ["0000005"]})
        third = read(manifest, cfg, catalog, state_messages(second))
        got = records_by_stream(third)
        changed = {o["id"]: o for o in got["orders"]}
        assert set(changed) - {newest["id"]} == {12010} and changed[12010]["status"] == "shipped"
        assert {r["order_id"] for r in got["order_products"]} - {newest["id"]} == {12010}
        assert "0000003" in [p["sku"] for p in got["products"]]
        assert "0000005" in {s["sku"] for s in got["stock"]}
        assert len(server.api_requests("/api/v1/products/")) <= 200 + 2 * len(got["products"])  # only changed SKUs re-read
        assert not third.errors
        # state advances to the emitted order, not further
        orders_state = [s for s in state_messages(third) if s["stream"]["stream_descriptor"]["name"] == "orders"][0]
        assert orders_state["stream"]["stream_state"]["updated_at"] == changed[12010]["updated_at"].replace("+00:00", "+0000").replace("+01:00", "+0100")


def test_faults_lose_and_duplicate_nothing(monkeypatch, manifest, config_for):
    clock = patch_retry_waits(monkeypatch)
    with running_sandbox("m3-wholesale", per_page_max=7, faults=["429:3:0", "500:4@/api/v1/(companies|orders)"]) as server:
        cfg = config_for(server)
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["companies", "orders", "addresses"]))
        assert_complete(out, server, manifest, cfg, ["companies", "orders", "addresses"])
        assert any(f["fired"] for f in server.faults.summary())
        assert min(clock.sleeps) < 1.01  # Retry-After: 0 honoured (plus the CDK's own second)


def test_wrong_token_check_fails_readably_without_leaking(config_for):
    with running_sandbox("m3-wholesale") as server:
        result = run_cli("source-m3-wholesale", "check", config=config_for(server, api_token="wrong-secret-123"))
        status = cli_connection_status(result)
        assert status["status"] == "FAILED" and "rejected the API token" in status["message"]
        assert "Traceback" not in status["message"]
        assert "wrong-secret-123" not in result.stdout + result.stderr


def test_token_without_product_list_check_explains_and_other_streams_read(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server, api_token="m3-no-product-list")
        result = run_cli("source-m3-wholesale", "check", config=cfg)
        status = cli_connection_status(result)
        assert status["status"] == "FAILED" and "lacks the PRODUCT_LIST feature" in status["message"]
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["companies", "orders", "products", "stock"]), expecting_exception=True)
        records = records_by_stream(out)
        assert len(records["companies"]) == server.api.counts()["companies"]
        assert len(records["orders"]) == server.api.counts()["orders"]
        assert len(records["stock"]) == server.api.counts()["stock"]
        assert "products" not in records
        assert any("PRODUCT_LIST" in (e.trace.error.message or "") for e in out.errors)


def test_read_via_cli_never_prints_the_token(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server)
        result = run_cli("source-m3-wholesale", "read", config=cfg, catalog=catalog_for(manifest, cfg, ["companies", "stock"]))
        assert result.returncode == 0, result.stderr[-2000:]
        assert '"RECORD"' in result.stdout
        assert cfg["api_token"] not in result.stdout + result.stderr


def test_stock_colour_option_and_flat_list(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server, stock_kind="color")
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["stock"]))
        stock = records_by_stream(out)["stock"]
        assert len(stock) == server.api.counts()["stock"] and {s["stock"] for s in stock} <= {"red", "green"}
        assert server.api_requests("/api/v1/stock/")[0]["path"] == "/api/v1/stock/color"


def test_one_failing_sku_is_named_the_others_are_read_and_the_next_sync_resumes_it(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server)
        catalog = catalog_for(manifest, cfg, ["products", "companies"], SyncMode.incremental)
        first = read(manifest, cfg, catalog)
        assert not first.errors
        # the SKU that will fail changed three hours before the others: a state moved to the newest
        # emitted SKU would be past it (even with modified_since read in Amsterdam time, 1-2 h earlier)
        three_hours_ago = (datetime.now(timezone.utc) - timedelta(hours=3)).isoformat()
        server.api.mutate({"products": ["0000010"], "at": three_hours_ago})
        server.api.mutate({"products": ["0000003", "0000020"]})
        # the detail of one changed SKU is refused; the list and the other details answer
        server.set_faults(["422:1@^/api/v1/products/0000010$"])
        second = read(manifest, cfg, catalog, state_messages(first))
        got = records_by_stream(second)
        assert {"0000003", "0000020"} <= {p["sku"] for p in got["products"]}
        assert "0000010" not in {p["sku"] for p in got["products"]}
        assert len(got["companies"]) == server.api.counts()["companies"]  # other streams unaffected
        first_error = second.errors[0].trace.error
        assert "/api/v1/products/0000010" in first_error.message and "next sync requests it again" in first_error.message
        assert first_error.failure_type.value == "system_error"
        # the saved state did not move past the failed SKU: the next sync reads it
        server.set_faults([])
        third = read(manifest, cfg, catalog, state_messages(second))
        assert not third.errors
        assert "0000010" in {p["sku"] for p in records_by_stream(third)["products"]}
        # after that the state is past every SKU: only those inside the cursor's minute (modified_since
        # is sent to the minute, inclusive) are asked for again, here the two changed together
        requests_before = len(server.api_requests("/api/v1/products/"))
        fourth = read(manifest, cfg, catalog, state_messages(third))
        assert {p["sku"] for p in records_by_stream(fourth).get("products", [])} <= {"0000003", "0000020"}
        assert len(server.api_requests("/api/v1/products/")) - requests_before <= 2


def test_addresses_send_the_status_filter_to_orders_only(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server, order_statuses=["shipped"])
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["addresses"]))
        order_owned = [a for a in records_by_stream(out)["addresses"] if a["owner_type"] == "order"]
        shipped = {str(o["id"]) for o in server.api.orders if o["status"] == "shipped"}
        assert order_owned and {a["owner_id"] for a in order_owned} == shipped
        assert all("status" not in r["query"] for r in server.api_requests("/api/v1/companies"))
        assert all("status[]=shipped" in r["query"] for r in server.api_requests("/api/v1/orders"))


def test_an_html_page_for_the_sku_list_is_asked_for_again_not_replayed_from_the_cache(monkeypatch, manifest, config_for):
    # the CDK caches parent streams' responses: the SKU list opts out, or a cached maintenance page
    # would be "retried" from the cache until the retries ran out
    patch_retry_waits(monkeypatch)
    with running_sandbox("m3-wholesale", faults=["html:1*1:200@^/api/v1/products$"]) as server:
        cfg = config_for(server)
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["products"]))
        assert not out.errors
        assert len(records_by_stream(out)["products"]) == server.api.counts()["products"]
        assert [r["status"] for r in server.api_requests("/api/v1/products") if r["path"] == "/api/v1/products"] == [200, 200]


def test_a_base_url_that_already_ends_in_api_v1_works_too(manifest, config_for):
    with running_sandbox("m3-wholesale") as server:
        cfg = config_for(server, base_url=server.url.rstrip("/") + "/api/v1/")
        out = read(manifest, cfg, catalog_for(manifest, cfg, ["companies"]))
        assert not out.errors and len(records_by_stream(out)["companies"]) == server.api.counts()["companies"]


@pytest.mark.parametrize("settings, workers", [
    ({}, 10),
    ({"num_workers": 3}, 3),
    ({"detail_concurrency": 5}, 5),  # the setting's old name: existing configs keep their value
    ({"num_workers": 3, "detail_concurrency": 5}, 3),
])
def test_num_workers_sets_the_concurrency_and_the_old_detail_concurrency_still_does(settings, workers, manifest, source):
    built = declarative_source(manifest, {**source.config("http://127.0.0.1:9"), **settings})
    assert built._concurrent_source._threadpool._threadpool._max_workers == workers
