"""The vidaXL sandbox over real HTTP: auth, the 24-hour default, filters, both paths, body params, 422."""

import json
from datetime import timedelta, timezone

import pytest
import requests

from connector_testing import running_sandbox
from supplier_sandbox.apis.vidaxl import API_TOKEN, CARRIERS, EMAIL, ORDERS_PATHS

AUTH = (EMAIL, API_TOKEN)


@pytest.fixture
def server():
    with running_sandbox("vidaxl") as s:
        yield s


def get(server, path="/api_customer/orders", auth=AUTH, **kw):
    return requests.get(server.root_url + path, auth=auth, timeout=10, **kw)


def ids(response):
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list)
    return [item["order"]["id"] for item in body]


def test_basic_auth_with_email_and_token(server):
    assert get(server, auth=(EMAIL, "nope")).status_code == 401
    assert get(server, auth=None).status_code == 401
    assert get(server).status_code == 200


def test_without_parameters_only_the_last_24_hours(server):
    recent = {o["id"] for o in server.api.orders
              if (o["_submitted"] or o["_created"]) >= server.api.now - timedelta(hours=24)}
    assert set(ids(get(server))) == recent
    assert len(recent) < len(server.api.orders)


@pytest.mark.parametrize("path", ORDERS_PATHS)
def test_both_documented_paths_serve_the_same_documented_shape(server, path):
    day = (server.api.now - timedelta(days=200)).strftime("%Y-%m-%d")
    body = get(server, path, params={"submitted_at_gt_eq": day}).json()
    assert len(body) == len(server.api.submitted())  # unpaid orders have no submitted_at
    order = body[0]["order"]
    assert isinstance(order["id"], int) and isinstance(order["gross_total"], str)
    assert set(order["order_products"][0]) == {"order_product"}
    assert order["submitted_at"].endswith("Z")
    shipped = [item["order"] for item in body if item["order"]["status_order_id"] == 5]
    assert shipped and all(o["shipping_tracking"] for o in shipped)
    assert {o["shipping_option_id"] for o in shipped} & set(CARRIERS)


def test_filters_gt_eq_casted_eq_id_and_status(server):
    day = (server.api.now - timedelta(days=30)).date()
    after = ids(get(server, params={"submitted_at_gt_eq": day.isoformat()}))
    assert set(after) == {o["id"] for o in server.api.submitted() if o["_submitted"].date() >= day}
    on = ids(get(server, params={"submitted_at_casted_eq": day.isoformat()}))
    assert set(on) == {o["id"] for o in server.api.submitted() if o["_submitted"].date() == day}
    assert ids(get(server, params={"id_eq": 3})) == [3]
    temporary = ids(get(server, params={"status_order_id_eq": 1}))
    assert temporary and all(o["_submitted"] is None for o in server.api.orders if o["id"] in temporary)


def test_bad_date_is_a_422_with_a_message(server):
    response = get(server, params={"submitted_at_gt_eq": "yesterday"})
    assert response.status_code == 422
    assert "submitted_at_gt_eq" in response.json()["error"]


def test_parameters_as_a_json_body_when_configured():
    with running_sandbox("vidaxl", params_from="body") as server:
        day = (server.api.now - timedelta(days=10)).date()
        body = json.dumps({"submitted_at_gt_eq": day.isoformat()})
        filtered = ids(get(server, data=body, headers={"Content-Type": "application/json"}))
        assert set(filtered) == {o["id"] for o in server.api.submitted() if o["_submitted"].date() >= day}
        # in this reading the query string is ignored: the 24-hour default applies
        assert len(ids(get(server, params={"submitted_at_gt_eq": "2000-01-01"}))) < server.api.counts()["orders"]


def test_server_time_zone_renders_offsets_and_filters_by_local_day():
    with running_sandbox("vidaxl", server_tz="America/New_York") as server:
        day = (server.api.now - timedelta(days=10)).date()
        body = get(server, params={"submitted_at_casted_eq": day.isoformat()}).json()
        for item in body:
            assert item["order"]["submitted_at"][-6:] in ("-04:00", "-05:00")
            assert item["order"]["submitted_at"][:10] == day.isoformat()


def test_mutate_ships_an_order_and_counts_follow(server):
    before = server.api.counts()
    changed = server.api.mutate({})
    assert changed["status_order_id"] == 5 and changed["shipping_tracking"]
    assert server.api.counts()["shipments"] == before["shipments"] + 1
    paid = server.api.mutate({"id": next(o["id"] for o in server.api.orders if o["_submitted"] is None), "status_order_id": 2})
    assert paid["submitted_at"] and server.api.counts()["orders"] == before["orders"]  # unpaid ones count too


def test_unpaid_orders_option_and_reads_by_id_and_status():
    # re-reading open orders: `id_eq` and `status_order_id_eq` reach any age and orders with no submitted_at
    with running_sandbox("vidaxl", unpaid=5) as server:
        unpaid = [o for o in server.api.orders if o["status_order_id"] == 1]
        assert len(unpaid) == 5 and all(o["_submitted"] is None for o in unpaid)
        oldest = min(unpaid, key=lambda o: o["_created"])
        assert oldest["_created"] < server.api.now - timedelta(days=40)
        assert set(ids(get(server, params={"status_order_id_eq": 1}))) == {o["id"] for o in unpaid}
        body = get(server, params={"id_eq": oldest["id"]}).json()
        assert [b["order"]["submitted_at"] for b in body] == [None]
        everything = ids(get(server, params={"submitted_at_gt_eq": "2000-01-01"}))
        assert not {o["id"] for o in unpaid} & set(everything)  # no date filter ever shows them
        server.api.mutate({"id": oldest["id"], "status_order_id": 2})  # paid: submitted now
        today = server.api.now.astimezone(timezone.utc).date().isoformat()
        assert oldest["id"] in ids(get(server, params={"submitted_at_casted_eq": today}))
        assert get(server, params={"id_eq": oldest["id"]}).json()[0]["order"]["status_order_id"] == 2
    with running_sandbox("vidaxl", unpaid=0) as server:
        assert not ids(get(server, params={"status_order_id_eq": 1}))


def test_an_old_orders_status_change_is_read_by_id(server):
    old = next(o for o in server.api.orders if o["status_order_id"] == 4
               and o["_submitted"] < server.api.now - timedelta(days=40))
    server.api.mutate({"id": old["id"], "status_order_id": 5})
    order = get(server, params={"id_eq": old["id"]}).json()[0]["order"]
    assert order["status_order_id"] == 5 and order["shipping_tracking"]
    assert old["id"] in ids(get(server, params={"status_order_id_eq": 5}))


def test_readings_of_the_status_filter_and_of_the_exact_date():
    # status_keeps_default: the 24-hour default also applies to status_order_id_eq without a date
    with running_sandbox("vidaxl", status_keeps_default=True) as server:
        fours = {o["id"] for o in server.api.orders if o["status_order_id"] == 4}
        recent = {o["id"] for o in server.api.orders if o["status_order_id"] == 4
                  and (o["_submitted"] or o["_created"]) >= server.api.now - timedelta(hours=24)}
        assert set(ids(get(server, params={"status_order_id_eq": 4}))) == recent != fours
        assert set(ids(get(server, params={"status_order_id_eq": 4, "submitted_at_gt_eq": "2000-01-01"}))) == fours
    # casted_in: the exact date taken in the server's zone (default) or in UTC
    for casted_in, zone in (("server", "Asia/Tokyo"), ("utc", "UTC")):
        with running_sandbox("vidaxl", server_tz="Asia/Tokyo", casted_in=casted_in) as server:
            from zoneinfo import ZoneInfo

            day = (server.api.now - timedelta(days=10)).date()
            expected = {o["id"] for o in server.api.submitted() if o["_submitted"].astimezone(ZoneInfo(zone)).date() == day}
            assert set(ids(get(server, params={"submitted_at_casted_eq": day.isoformat()}))) == expected
    with running_sandbox("vidaxl", history_days=400) as server:
        assert min(o["_submitted"] for o in server.api.submitted()) < server.api.now - timedelta(days=300)
