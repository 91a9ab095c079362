"""The Yodify sandbox's read side over real HTTP: shapes, paging under both page bases, filters, auth."""

from __future__ import annotations

import time

import pytest
import requests

from connector_testing import running_sandbox as serve
from supplier_sandbox.apis.yodify.auth import CLIENT_ID, CLIENT_SECRET, NO_SCOPE_TOKEN, STATIC_TOKEN

H = {"Authorization": f"Bearer {STATIC_TOKEN}", "Accept": "application/json"}


@pytest.fixture(scope="module")
def server():
    with serve("yodify") as s:
        yield s


def get(server, path, **params):
    return requests.get(server.url + "/api/v1" + path, headers=H, params=params, timeout=10)


def test_bare_array_and_envelope_shapes(server):
    assert isinstance(get(server, "/Orders").json(), list)
    for path in ("/Shipments", "/Products", "/Brands", "/Carriers"):
        assert isinstance(get(server, path).json(), list), path
    body = get(server, "/SKUs", Limit=10).json()
    assert body["object"] == "list" and body["has_more"] is True and body["count"] == 10
    assert body["total_items"] == server.api.counts()["skus"]
    assert "data" in get(server, "/orders/1/shipments").json()


@pytest.mark.parametrize("first_page", [0, 1])
def test_pages_cover_everything_once_under_both_page_bases(first_page):
    with serve("yodify", first_page=first_page) as s:
        seen, page = [], first_page
        while True:
            chunk = get(s, "/Orders", Page=page, Limit=100).json()
            seen += [o["id"] for o in chunk]
            if len(chunk) < 100:
                break
            page += 1
        assert sorted(seen) == seen and len(set(seen)) == len(seen) == s.api.counts()["orders"]
        # a page number below the first is read as the first page (a clamping server)
        assert get(s, "/Orders", Page=first_page - 1).json()[0]["id"] == 1


def test_limit_bounds_and_repeated_key_arrays(server):
    assert get(server, "/Orders", Limit=101).status_code == 400
    assert get(server, "/Orders", Limit=0).json()["errors"]["Limit"]
    both = requests.get(server.url + "/api/v1/Orders", headers=H, params=[("Statuses", "New"), ("Statuses", "Processing"), ("Limit", 100)]).json()
    assert both and {o["order_status"] for o in both} <= {"New", "Processing"}
    assert get(server, "/Orders", Statuses="New,Processing").status_code == 400


def test_created_and_since_id_filters(server):
    orders = server.api.store.orders
    mid = list(orders.values())[100]["ordered_date"]
    got = get(server, "/Orders", CreatedOnMin=mid, Limit=100).json()
    assert got[0]["ordered_date"] == mid and all(o["ordered_date"] >= mid for o in got)
    assert all(o["id"] > 200 for o in get(server, "/Orders", SinceId=200).json())
    assert get(server, "/Orders", CreatedOnMin="2030-01-01T00:00:00Z", CreatedOnMax="2020-01-01T00:00:00Z").status_code == 400


def test_auth_static_oauth_and_expiry():
    with serve("yodify", token_ttl=1) as s:
        assert requests.get(s.url + "/api/v1/Accounts").status_code == 401
        forbidden = requests.get(s.url + "/api/v1/Accounts", headers={"Authorization": f"Bearer {NO_SCOPE_TOKEN}"})
        assert forbidden.status_code == 403 and forbidden.content == b""
        bad = requests.post(s.url + "/connect/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "nope"})
        assert bad.status_code == 401
        token = requests.post(s.url + "/connect/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                              "client_secret": CLIENT_SECRET, "scope": "yodify"}).json()
        assert token["expires_in"] == 1
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert requests.get(s.url + "/api/v1/Accounts", headers=auth).status_code == 200
        time.sleep(1.1)
        expired = requests.get(s.url + "/api/v1/Accounts", headers=auth)
        assert expired.status_code == 401 and expired.json()["detail"] == "Request is unauthorized."


def test_mutate_changes_orders_and_skus(server):
    before = server.api.store.skus[5]["modified_on"]
    server.api.mutate({"stream": "skus", "id": 5, "set": {"inventory": 3.0}})
    assert get(server, "/SKUs/5").json()["modified_on"] > before
    server.api.mutate({"stream": "orders", "id": 7, "set": {"order_status": "Shipped"}})
    assert get(server, "/Orders/7").json()["order_status"] == "Shipped"
    assert get(server, "/Orders/99999").status_code == 400


def test_quota_answers_a_bare_429():
    with serve("yodify", quota=(2, 60)) as s:
        statuses = [get(s, "/Carriers").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        last = get(s, "/Carriers")
        assert last.content == b"" and "Retry-After" not in last.headers


@pytest.mark.parametrize("array_params", ["repeat", "first", "comma"])
def test_ids_filter_under_each_array_reading(array_params):
    with serve("yodify", array_params=array_params) as server:
        wanted = sorted(server.api.store.orders)[:3]
        repeated = [o["id"] for o in requests.get(server.url + "/api/v1/Orders", headers=H, timeout=10,
                                                   params=[("Ids", i) for i in wanted]).json()]
        comma = requests.get(server.url + "/api/v1/Orders", headers=H, timeout=10, params={"Ids": ",".join(map(str, wanted))})
        single = [o["id"] for o in get(server, "/Orders", Ids=wanted[1]).json()]
        assert single == [wanted[1]]  # one id reads the same everywhere
        if array_params == "repeat":
            assert repeated == wanted and comma.status_code == 400
        elif array_params == "first":
            assert repeated == wanted[:1] and comma.status_code == 400
        else:
            assert repeated == wanted[:1] and [o["id"] for o in comma.json()] == wanted
        shipments = sorted(server.api.store.shipments)[:2]
        assert [s["id"] for s in get(server, "/Shipments", Ids=shipments[0]).json()] == shipments[:1]
