"""The NetXL sandbox over real HTTP: auth, documented commands, filters, streaming, readings, throttling."""

from __future__ import annotations

import json

import pytest
import requests
from connector_testing import running_sandbox as serve  # not supplier_sandbox.serve + `with`: that starts two accept loops
from supplier_sandbox.apis.netxl import API_KEY

HEADERS = {"X-Api-Key": API_KEY, "Accept": "application/json"}


@pytest.fixture
def server():
    with serve("netxl") as s:
        yield s


def test_key_in_header_or_query_and_401_otherwise(server):
    assert requests.get(server.url + "/customer", headers=HEADERS).status_code == 200
    assert requests.get(server.url + "/customer", params={"api_key": API_KEY}).status_code == 200
    bad = requests.get(server.url + "/customer", headers={"X-Api-Key": "nope"})
    assert bad.status_code == 401 and "API key" in bad.json()["message"]


def test_documented_read_commands_match_counts(server):
    counts = server.api.counts()
    assert len(requests.get(server.url + "/product", headers=HEADERS).json()) == counts["products"]
    assert len(requests.get(server.url + "/attribute", headers=HEADERS).json()) == counts["attributes"]
    assert len(requests.get(server.url + "/manufacturer", headers=HEADERS).json()) == counts["manufacturers"]
    assert len(requests.get(server.url + "/customer/address", headers=HEADERS).json()) == counts["addresses"]
    credit = requests.get(server.url + "/customer/credit", headers=HEADERS).json()
    assert len(credit["outstanding_orders"]) == counts["outstanding_orders"]
    assert credit["available_credit"] == pytest.approx(credit["credit_limit"] - credit["total_outstanding"])

    def walk(nodes):
        return sum(1 + walk(n["children"]) for n in nodes)

    assert walk(requests.get(server.url + "/category", headers=HEADERS).json()) == counts["categories"]
    assert requests.get(server.url + "/order", headers=HEADERS).status_code == 404  # no order history documented


def test_products_are_chunked_and_extra_fields_are_opt_in(server):
    response = requests.get(server.url + "/product", headers=HEADERS, stream=True)
    assert response.headers.get("Transfer-Encoding") == "chunked"
    plain = response.json()
    assert "description" not in plain[0] and "related_products" not in plain[0]
    extra = requests.get(server.url + "/product", headers=HEADERS, params={"extra": "description,related"}).json()
    assert "description" in extra[0] and "related_products" in extra[0] and "similar_products" not in extra[0]
    assert requests.get(server.url + "/product", headers=HEADERS, params={"extra": "bogus"}).status_code == 400


def test_product_filters(server):
    everything = requests.get(server.url + "/product", headers=HEADERS).json()
    only = requests.get(server.url + "/product", headers=HEADERS, params={"manufacturer": "Ubiquiti,2N", "inStock": "true"}).json()
    assert only and all(p["manufacturer"] in {"Ubiquiti", "2N"} and p["availability"]["in_stock"] for p in only)
    assert len(only) == sum(1 for p in everything if p["manufacturer"] in {"Ubiquiti", "2N"} and p["availability"]["in_stock"])
    networking = requests.get(server.url + "/product", headers=HEADERS, params={"category": "Networking"}).json()
    sub = {"networking", "switches", "poe-switches", "managed-poe", "wireless"}
    assert networking and all(sub & set(p["categories"]) for p in networking)
    by_price = requests.get(server.url + "/product", headers=HEADERS, params={"sort": "price"}).json()
    prices = [p["single_unit_cost"] for p in by_price]
    assert prices == sorted(prices)


@pytest.mark.parametrize(("envelope", "key"), [("resource", "products"), ("data", "data")])
def test_envelope_readings(envelope, key):
    with serve("netxl", list_envelope=envelope) as s:
        body = requests.get(s.url + "/product", headers=HEADERS).json()
        assert isinstance(body, dict) and len(body[key]) == s.api.counts()["products"]


def test_csv_when_asked_or_by_default_reading():
    with serve("netxl", default_format="csv") as s:
        assert requests.get(s.url + "/product", headers={"X-Api-Key": API_KEY}).headers["Content-Type"].startswith("text/csv")
        assert requests.get(s.url + "/product", headers=HEADERS).headers["Content-Type"].startswith("application/json")


def test_throttle_answers_429_without_retry_after(server):
    server.api.throttle_next = 2
    first = requests.get(server.url + "/customer", headers=HEADERS)
    assert first.status_code == 429 and "Retry-After" not in first.headers and "5 minutes" in first.json()["message"]
    assert requests.get(server.url + "/customer", headers=HEADERS).status_code == 429
    assert requests.get(server.url + "/customer", headers=HEADERS).status_code == 200


def test_large_catalogue_is_deterministic_and_mutable():
    with serve("netxl", catalogue_size=2000, seed=7) as s:
        a = requests.get(s.url + "/product", headers=HEADERS).content
        assert len(json.loads(a)) == 2000
        before = s.api.product(0)["single_unit_cost"]
        s.api.mutate({"products": 1})
        assert s.api.product(0)["single_unit_cost"] == pytest.approx(before + 1.0)
