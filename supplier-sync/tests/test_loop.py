"""The merchant's loop end to end on the sandboxes (scale 1): raw streams, unified models, the second
run incremental, the push exactly once. All tests share one pair of runs (conftest.py)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import duckdb
import pytest

from connector_testing import SOURCES

# one loop of two runs (conftest.py) takes minutes on a loaded two-core machine: above the suite default
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800), pytest.mark.xdist_group("supplier_sync_loop")]
COMMON_STATUSES = {"unpaid", "open", "shipped", "completed", "cancelled", "refunded"}


def query(loop, sql: str, *params):
    with duckdb.connect(loop["warehouse"], read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def by_source(loop, table: str) -> dict[str, int]:
    return dict(query(loop, f"select source, count(*) from unified.{table} group by source"))


def test_both_runs_succeed_with_a_table_and_no_noise(loop):
    for run in ("first", "second"):
        out = loop[run]
        assert out["returncode"] == 0, out["stdout"][-3000:] + out["stderr"][-3000:]
        text = out["stdout"] + out["stderr"]
        for supplier in SOURCES:
            assert supplier in out["stdout"]
        assert "new/changed" in out["stdout"] and "all streams" in out["stdout"]
        assert "Could not determine airbyte type" not in text
        assert "WARN" not in text and "Traceback" not in text
        assert len(text.splitlines()) < 200  # a table, not a wall of logs
        for connector in SOURCES.values():
            for secret in connector.secrets:
                assert secret not in text
        assert "yodify-sandbox-token" not in text


def test_first_run_holds_every_record_of_every_stream(loop):
    report = loop["first"]["report"]["suppliers"]
    for supplier, expected in loop["counts"].items():
        streams = report[supplier]["streams"]
        for stream, count in expected.items():
            if stream in streams:
                assert streams[stream]["rows"] == count, (supplier, stream)
                assert streams[stream]["changed"] == count, (supplier, stream)  # a fresh warehouse: all new


def test_raw_tables_have_one_row_per_primary_key(loop):
    assert query(loop, "select count(*), count(distinct id) from vidaxl.orders")[0] == (loop["counts"]["vidaxl"]["orders"],) * 2
    assert query(loop, "select count(*), count(distinct id) from rec_plus.orders")[0] == (loop["counts"]["rec_plus"]["orders"],) * 2


def test_unified_models_have_every_suppliers_rows(loop):
    counts = loop["counts"]
    assert by_source(loop, "orders") == {"rec_plus": counts["rec_plus"]["orders"], "vidaxl": counts["vidaxl"]["orders"],
                                         "yodify": counts["yodify"]["orders"], "m3_wholesale": counts["m3_wholesale"]["orders"]}
    assert by_source(loop, "products") == {"netxl": counts["netxl"]["products"], "rec_plus": counts["rec_plus"]["products"],
                                           "yodify": counts["yodify"]["skus"], "m3_wholesale": counts["m3_wholesale"]["products"]}
    assert by_source(loop, "stock") == {"netxl": counts["netxl"]["products"], "rec_plus": counts["rec_plus"]["stock"],
                                        "yodify": counts["yodify"]["skus"], "m3_wholesale": counts["m3_wholesale"]["stock"]}
    # the warehouse as the second run left it: vidaXL shipped one more order, and the store holds the
    # shipments the first run pushed
    assert by_source(loop, "shipments") == {"vidaxl": counts["vidaxl"]["shipments"] + 1, "yodify": len(loop["after_first"]["shipments"]),
                                            "m3_wholesale": counts["m3_wholesale"]["shipments"]}
    assert by_source(loop, "order_lines")["vidaxl"] == counts["vidaxl"]["order_products"]
    assert by_source(loop, "addresses")["rec_plus"] == counts["rec_plus"]["addresses"]


def test_unified_statuses_map_each_suppliers_doc(loop):
    statuses = query(loop, "select source, supplier_status, status from unified.orders group by all")
    assert {s for _, _, s in statuses} <= COMMON_STATUSES
    mapping = {(source, raw): status for source, raw, status in statuses}
    expected = {("vidaxl", "5"): "shipped", ("vidaxl", "2"): "open", ("vidaxl", "7"): "cancelled", ("vidaxl", "8"): "refunded",
                ("rec_plus", "Dispatched"): "shipped", ("rec_plus", "Awaiting Payment"): "unpaid", ("rec_plus", "Completed"): "completed",
                ("yodify", "Complete"): "completed", ("yodify", "Processing"): "open", ("m3_wholesale", "canceled"): "cancelled",
                ("m3_wholesale", "pending"): "open"}
    assert {k: mapping.get(k) for k in expected} == expected


def test_unified_times_are_utc(loop):
    # REC+ writes the site's London wall-clock time without an offset
    rows = query(loop, "select u.ordered_at, o.start_date from unified.orders u join rec_plus.orders o "
                       "on cast(o.id as varchar) = u.order_id where u.source = 'rec_plus'")
    assert rows
    for ordered_at, start_date in rows:
        local = datetime.strptime(start_date, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=ZoneInfo("Europe/London"))
        assert ordered_at == local.astimezone(timezone.utc).replace(tzinfo=None)


def test_second_run_reads_only_what_changed(loop):
    first = loop["first"]["report"]["suppliers"]
    second = loop["second"]["report"]["suppliers"]
    for supplier in ("rec_plus", "vidaxl", "m3_wholesale"):
        for stream, result in second[supplier]["streams"].items():
            if result["incremental"]:
                # at most what the first run read, plus what changed since (vidaXL re-reads every open
                # order, so its newly shipped order is one more shipment)
                assert result["read"] <= first[supplier]["streams"][stream]["read"] + result["changed"], (supplier, stream)
    # incremental streams re-read a lookback window, not everything
    assert second["vidaxl"]["streams"]["orders"]["read"] < first["vidaxl"]["streams"]["orders"]["read"]
    assert second["rec_plus"]["streams"]["products"]["read"] < first["rec_plus"]["streams"]["products"]["read"]
    # what changed is exactly what the sandboxes were told to change
    assert second["vidaxl"]["streams"]["shipments"]["changed"] == 1
    assert second["vidaxl"]["streams"]["orders"]["changed"] == 1
    assert second["rec_plus"]["streams"]["products"]["changed"] == 1
    assert second["m3_wholesale"]["streams"]["stock"]["changed"] == 2
    assert second["netxl"]["streams"]["products"]["changed"] == 0
    for supplier in ("rec_plus", "vidaxl", "m3_wholesale", "netxl"):
        for stream, result in second[supplier]["streams"].items():
            assert result["rows"] == first[supplier]["streams"][stream]["rows"] + (stream == "shipments" and supplier == "vidaxl"), (supplier, stream)
    shipped = loop["mutated"]["vidaxl"]["id"]
    assert query(loop, "select status from unified.orders where source = 'vidaxl' and order_id = ?", str(shipped)) == [("shipped",)]


def test_push_writes_matched_stock_and_shipments_once(loop):
    before, first, second = loop["before"], loop["after_first"], loop["after_second"]
    created_first = [s for s in first["shipments"] if s["id"] not in {b["id"] for b in before["shipments"]}]
    assert created_first, "the shared catalogue gives vidaXL shipments for the store's drop-ship orders"
    assert all(s["client_identifier"].startswith("vidaxl-") for s in created_first)
    assert len(created_first) == loop["first"]["report"]["push"]["sent"]["shipments"]
    assert f"shipments: written {len(created_first)} (created {len(created_first)}," in loop["first"]["report"]["push"]["summary"]
    # the second run pushes every matched shipment again and creates only the newly shipped order's
    shipped = loop["mutated"]["vidaxl"]["id"]
    assert f"SHOP-{10000 + shipped}" in first["orders"]  # the newest paid vidaXL order is a store drop-ship order
    created_second = [s for s in second["shipments"] if s["id"] not in {f["id"] for f in first["shipments"]}]
    assert [s["client_identifier"] for s in created_second] == [f"vidaxl-{shipped}"]
    assert created_second[0]["order_id"] == first["orders"][f"SHOP-{10000 + shipped}"]
    assert loop["second"]["report"]["push"]["sent"]["shipments"] == len(created_first) + 1
    assert "already present " + str(len(created_first)) in loop["second"]["report"]["push"]["summary"]
    assert max(Counter(s["client_identifier"] for s in second["shipments"] if s["client_identifier"]).values()) == 1
    # stock: the SKUs that carry a supplier code or EAN, summed over suppliers; prices: supplier price x 1.3
    inventory = dict(query(loop, "select sku_identifier, inventory from yodify_push.sku_inventory"))
    assert {"SKU-58001", "SKU-58002", "SKU-58003", "NXL-100003", "NXL-100004", "YOD-EAN-5", "0000001", "0000002", "YOD-EAN-M3-3"} == set(inventory)
    for sku, units in inventory.items():
        assert second["skus"][sku]["inventory"] == units
    rec_plus_stock = dict(query(loop, "select code, stock from rec_plus.stock where code in ('SKU-58002')"))
    netxl_stock = query(loop, "select cast(availability ->> 'stock' as int) from netxl.products where ean = '5000000000002'")[0][0]
    assert inventory["SKU-58002"] == rec_plus_stock["SKU-58002"] + netxl_stock  # REC+ by code and NetXL by EAN
    prices = dict(query(loop, "select sku_identifier, list_price from yodify_push.sku_prices"))
    m3_price = query(loop, "select price from unified.products where source = 'm3_wholesale' and sku = '0000001'")[0][0]
    assert prices["0000001"] == round(float(m3_price) * 1.3, 2) == second["skus"]["0000001"]["list_price"]
    assert ("sku", "YOD-OWN-1") in set(query(loop, "select kind, item from yodify_push.unmatched"))
    reasons = {r for (r,) in query(loop, "select reason from yodify_push.unmatched where kind = 'shipment' and item like 'vidaxl-%'")}
    assert reasons and all(r.startswith("no store order is numbered SHOP-") for r in reasons)
    assert "Not matched:" in loop["second"]["stdout"] and "store sku" in loop["second"]["stdout"]
