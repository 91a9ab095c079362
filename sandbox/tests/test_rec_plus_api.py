"""The REC+ sandbox over real HTTP: one order by id (`/orders/{id}`), as the doc's Orders resource lists."""

import pytest
import requests

from connector_testing import running_sandbox


@pytest.fixture(scope="module")
def server():
    with running_sandbox("rec-plus") as s:
        yield s


def get(server, path, **params):
    return requests.get(server.root_url + "/api/v1" + path, auth=("rec_api_user", "rec_api_pass"), params=params, timeout=10)


def test_an_order_by_id_any_age_with_its_current_status(server):
    order = min(server.api.tables["orders"], key=lambda o: o["id"])  # the oldest
    for path in (f"/orders/{order['id']}", f"/orders/{order['id']}.json"):
        body = get(server, path).json()
        assert body["id"] == order["id"] and body["lines"] == order["lines"]
    server.api.mutate({"resource": "orders", "id": order["id"], "set": {"status": "Refunded"}})
    assert get(server, f"/orders/{order['id']}").json()["status"] == "Refunded"
    assert get(server, f"/orders/{order['invoice_id']}", identifier="invoice_id").json()["id"] == order["id"]


def test_an_unknown_order_is_a_404_with_a_message(server):
    response = get(server, "/orders/999999999")
    assert response.status_code == 404 and "not found" in response.text.lower()
