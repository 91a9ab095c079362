"""The Yodify sandbox's write routes over real HTTP: shapes, validation, non-idempotency, faults, records."""

from __future__ import annotations

import time

import pytest
import requests

from connector_testing import running_sandbox

TOKEN = {"Authorization": "Bearer yodify-sandbox-token"}
READ_ONLY = {"Authorization": "Bearer yodify-sandbox-readonly-token"}


def order_body(server, number="W-1", **extra):
    sku = next(iter(server.api.store.skus.values()))
    return {"order_number": number, "client_identifier": f"ci-{number}", "ordered_date": "2026-01-05T10:00:00.000Z",
            "items": [{"sku_id": sku["id"], "quantity": 2, "price_per_unit": 3.5}], **extra}


def test_post_order_creates_and_a_second_post_with_the_same_number_creates_another():
    with running_sandbox("yodify") as server:
        url = server.url + "/api/v1/Orders"
        first = requests.post(url, json=order_body(server), headers=TOKEN)
        second = requests.post(url, json=order_body(server), headers=TOKEN)
        assert first.status_code == second.status_code == 200
        a, b = first.json(), second.json()
        assert a["id"] != b["id"] and a["order_number"] == b["order_number"] == "W-1"
        assert a["order_status"] == "New" and a["ordered_date"] == "2026-01-05T10:00:00.000Z"
        assert a["items"][0]["order_id"] == a["id"] and a["subtotal"] == 7.0
        assert [w["kind"] for w in server.api.writes] == ["order_create", "order_create"]
        listed = requests.get(url, params={"CreatedOnMin": "2026-01-05T00:00:00Z", "CreatedOnMax": "2026-01-06T00:00:00Z"}, headers=TOKEN).json()
        assert [o["id"] for o in listed if o["order_number"] == "W-1"] == [a["id"], b["id"]]


def test_server_dated_option_stamps_creation_time():
    with running_sandbox("yodify") as server:
        server.api.orders_server_dated = True
        made = requests.post(server.url + "/api/v1/Orders", json=order_body(server), headers=TOKEN).json()
        assert made["ordered_date"] > "2026-01-06"


def test_order_validation_answers_validation_problem_details():
    with running_sandbox("yodify") as server:
        url = server.url + "/api/v1/Orders"
        bad_sku = requests.post(url, json={"order_number": "X", "items": [{"sku_id": 999999, "quantity": 1}]}, headers=TOKEN)
        assert bad_sku.status_code == 400
        body = bad_sku.json()
        assert body["status"] == 400 and "items[0].sku_id" in body["errors"] and body["title"] == "Order could not be created."
        assert requests.post(url, json={"order_number": "X", "items": []}, headers=TOKEN).status_code == 400
        assert requests.post(url, data=b"{not json", headers={**TOKEN, "Content-Type": "application/json"}).status_code == 400
        assert server.api.writes == []


def test_confirm_then_shipment_with_carrier_check():
    with running_sandbox("yodify") as server:
        order = requests.post(server.url + "/api/v1/Orders", json=order_body(server), headers=TOKEN).json()
        ship_url = f"{server.url}/api/v1/orders/{order['id']}/shipments"
        early = requests.post(ship_url, json={"tracking_number": "T", "carrier": "UPS"}, headers=TOKEN)
        assert early.status_code == 400 and "confirmed" in early.text
        confirmed = requests.put(f"{server.url}/api/v1/Orders/confirm/{order['id']}", json={}, headers=TOKEN)
        assert confirmed.status_code == 200 and confirmed.json()["order_status"] == "Processing"
        assert requests.put(f"{server.url}/api/v1/Orders/confirm/{order['id']}", json={}, headers=TOKEN).status_code == 400
        assert requests.post(ship_url, json={"tracking_number": "T", "carrier": "Pigeon"}, headers=TOKEN).status_code == 400
        made = requests.post(ship_url, json={"tracking_number": "T", "carrier": "dhl express"}, headers=TOKEN)
        assert made.status_code == 200
        shipment = made.json()
        assert shipment["order_id"] == order["id"] and shipment["items"][0]["quantity"] == 2  # empty items: all remaining
        listed = requests.get(ship_url, headers=TOKEN).json()
        assert [s["tracking_number"] for s in listed["data"]] == ["T"]
        assert requests.post(ship_url, json={"tracking_number": "T", "carrier": "UPS"}, headers=TOKEN).status_code == 200  # not idempotent
        assert [w["kind"] for w in server.api.writes] == ["order_create", "order_confirm", "shipment_create", "shipment_create"]


def test_inventory_is_absolute_adjust_is_relative_and_prices_update():
    with running_sandbox("yodify") as server:
        sku = next(iter(server.api.store.skus.values()))
        base = f"{server.url}/api/v1/SKUs"
        for _ in range(2):
            assert requests.put(f"{base}/UpdateInventory/{sku['id']}", json={"inventory": 45, "lead_time_from": 7}, headers=TOKEN).json()["inventory"] == 45
        assert requests.put(f"{base}/AdjustInventory/{sku['id']}", json={"inventory_adjustment": 5}, headers=TOKEN).json()["inventory"] == 50
        priced = requests.put(f"{base}/UpdatePrice/{sku['id']}", json={"list_price": 75.99, "sale_price": None}, headers=TOKEN).json()
        assert priced["list_price"] == 75.99 and priced["modified_on"] >= sku["created_on"]
        assert requests.put(f"{base}/UpdateInventory/0", json={}, headers=TOKEN).status_code == 400
        assert requests.put(f"{base}/UpdatePrice/{sku['id']}", json={"list_price": "cheap"}, headers=TOKEN).status_code == 400
        assert [w["kind"] for w in server.api.writes] == ["sku_inventory", "sku_inventory", "sku_adjust", "sku_price"]


def test_addresses_post_201_and_put():
    with running_sandbox("yodify") as server:
        made = requests.post(server.url + "/api/v1/Addresses", json={"client_identifier": "wh", "city": "Utrecht", "country_code": "NL", "is_primary": True}, headers=TOKEN)
        assert made.status_code == 201 and made.json()["client_identifier"] == "wh"
        updated = requests.put(f"{server.url}/api/v1/Addresses/{made.json()['id']}", json={"city": "Breda", "is_primary": False}, headers=TOKEN).json()
        assert updated["city"] == "Breda" and updated["is_primary"] is True  # "Not updateable"
        assert requests.post(server.url + "/api/v1/Addresses", json={"country_code": "NLD"}, headers=TOKEN).status_code == 400


def test_read_only_token_reads_but_gets_403_on_writes():
    with running_sandbox("yodify") as server:
        assert requests.get(server.url + "/api/v1/Carriers", headers=READ_ONLY).status_code == 200
        denied = requests.put(server.url + "/api/v1/SKUs/UpdateInventory/1", json={"inventory": 1}, headers=READ_ONLY)
        assert denied.status_code == 403 and denied.content == b""
        assert requests.post(server.url + "/api/v1/Orders", json={}, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert server.api.writes == []


def test_commit500_commits_then_answers_500():
    with running_sandbox("yodify", faults=["commit500:1@Orders$"]) as server:
        answer = requests.post(server.url + "/api/v1/Orders", json=order_body(server, "C-1"), headers=TOKEN)
        assert answer.status_code == 500
        assert [o for o in server.api.store.orders.values() if o["order_number"] == "C-1"]
        assert server.api.writes[-1]["kind"] == "order_create"
        assert requests.get(server.url + "/api/v1/Orders", params={"Limit": 1}, headers=TOKEN).status_code == 200  # GETs are never commit500


def test_put_order_changes_fields_under_either_put_reading_and_items_only_before_a_shipment():
    for semantics in ("partial", "replace"):
        with running_sandbox("yodify") as server:
            server.api.put_semantics = semantics
            made = requests.post(server.url + "/api/v1/Orders", json=order_body(server, shipping_method="Express"), headers=TOKEN).json()
            url = f"{server.url}/api/v1/Orders/{made['id']}"
            changed = requests.put(url, json={"shipping_instructions": "Back door"}, headers=TOKEN).json()
            assert changed["shipping_instructions"] == "Back door"
            assert changed["shipping_method"] == ("Express" if semantics == "partial" else None)  # replace: absent becomes null
            sku = list(server.api.store.skus.values())[3]
            relined = requests.put(url, json={"items": [{"sku_id": sku["id"], "quantity": 4}]}, headers=TOKEN).json()
            assert [(i["sku_id"], i["quantity"]) for i in relined["items"]] == [(sku["id"], 4)]
            requests.put(f"{server.url}/api/v1/Orders/confirm/{made['id']}", json={}, headers=TOKEN)
            requests.post(f"{url.replace('/Orders/', '/orders/')}/shipments", json={"tracking_number": "T", "carrier": "UPS"}, headers=TOKEN)
            refused = requests.put(url, json={"items": [{"sku_id": sku["id"], "quantity": 1}]}, headers=TOKEN)
            assert refused.status_code == 400 and "shipment" in refused.text
            assert [w["kind"] for w in server.api.writes].count("order_update") == 2


def test_cancel_only_without_shipments_and_shipment_put_updates_in_place():
    with running_sandbox("yodify") as server:
        a = requests.post(server.url + "/api/v1/Orders", json=order_body(server, "C-1"), headers=TOKEN).json()
        b = requests.post(server.url + "/api/v1/Orders", json=order_body(server, "C-2"), headers=TOKEN).json()
        cancelled = requests.put(f"{server.url}/api/v1/Orders/cancel/{a['id']}", json={"message": "sorry"}, headers=TOKEN)
        assert cancelled.status_code == 200 and cancelled.json()["order_status"] == "Cancelled"
        assert requests.put(f"{server.url}/api/v1/Orders/cancel/{a['id']}", json={}, headers=TOKEN).status_code == 400
        requests.put(f"{server.url}/api/v1/Orders/confirm/{b['id']}", json={}, headers=TOKEN)
        ship_url = f"{server.url}/api/v1/orders/{b['id']}/shipments"
        shipment = requests.post(ship_url, json={"tracking_number": "OLD", "carrier": "UPS"}, headers=TOKEN).json()
        refused = requests.put(f"{server.url}/api/v1/Orders/cancel/{b['id']}", json={}, headers=TOKEN)
        assert refused.status_code == 400 and "refunded" in refused.text
        fixed = requests.put(f"{ship_url}/{shipment['id']}", json={"tracking_number": "NEW", "tracking_url": "https://t/NEW"}, headers=TOKEN)
        assert fixed.status_code == 200 and fixed.json()["tracking_number"] == "NEW" and fixed.json()["carrier"] == "UPS"
        assert [s["tracking_number"] for s in requests.get(ship_url, headers=TOKEN).json()["data"]] == ["NEW"]
        assert requests.put(f"{ship_url}/{shipment['id']}", json={"carrier": "Pigeon"}, headers=TOKEN).status_code == 400


def test_commit_delay_and_create_outage_options():
    with running_sandbox("yodify") as server:
        server.api.commit_delay_seconds = 0.5
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.post(server.url + "/api/v1/Orders", json=order_body(server, "D-1"), headers=TOKEN, timeout=0.2)
        assert server.api.store.order_by_number("D-1") is None  # not yet
        time.sleep(0.6)
        assert server.api.store.order_by_number("D-1") is not None  # committed after the client gave up
        server.api.commit_delay_seconds = 0
        server.api.create_outage_seconds = 0.5
        assert requests.post(server.url + "/api/v1/Orders", json=order_body(server, "D-2"), headers=TOKEN).status_code == 503
        time.sleep(0.6)
        assert requests.post(server.url + "/api/v1/Orders", json=order_body(server, "D-2"), headers=TOKEN).status_code == 200
        assert [w["kind"] for w in server.api.writes] == ["order_create", "order_create"]
