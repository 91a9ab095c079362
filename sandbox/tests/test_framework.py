"""The sandbox framework itself: routing, auth hook, faults, admin endpoints, over real HTTP."""

import http.client
import json

import pytest
import requests

from supplier_sandbox import Response, SandboxServer, SupplierApi
from supplier_sandbox.faults import Fault, FaultPlan


class EchoApi(SupplierApi):
    name = "echo"
    base_path = "/api"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.items = [{"id": i} for i in range(10)]
        self.router.add("GET", "/api/items", lambda r: Response.json(self.items))
        self.router.add("GET", "/api/items/{id}", lambda r: Response.json(self.items[int(r.path_params["id"])]))
        self.router.add("POST", "/api/items", self._create)

    def _create(self, request):
        item = {"id": len(self.items)}
        self.items.append(item)
        self.record_write("create", id=item["id"])
        return Response.json(item, status=201)

    def authenticate(self, request):
        if request.headers.get("x-key") != "k":
            return Response.json({"error": "bad key"}, status=401)
        return None

    def counts(self):
        return {"items": len(self.items)}


@pytest.fixture
def server():
    with SandboxServer(EchoApi()) as s:
        yield s


def get(server, path, **kw):
    return requests.get(server.root_url + path, headers={"x-key": "k"}, timeout=5, **kw)


def test_serves_routes_on_loopback_with_auth(server):
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/api")
    assert get(server, "/api/items").json()[3] == {"id": 3}
    assert get(server, "/api/items/4").json() == {"id": 4}
    assert requests.get(server.root_url + "/api/items", timeout=5).status_code == 401
    assert get(server, "/api/nothing").status_code == 404
    assert requests.delete(server.root_url + "/api/items", headers={"x-key": "k"}, timeout=5).status_code == 405


def test_429_every_third_request_with_retry_after(server):
    server.set_faults(["429:3:7"])
    statuses = [get(server, "/api/items") for _ in range(6)]
    assert [r.status_code for r in statuses] == [200, 200, 429, 200, 200, 429]
    assert statuses[2].headers["Retry-After"] == "7"


def test_5xx_html_and_path_filter(server):
    server.set_faults(["503:2@/items/", "html:1@/items$"])
    assert get(server, "/api/items/1").status_code == 200
    assert get(server, "/api/items/1").status_code == 503
    html = get(server, "/api/items")
    assert html.status_code == 503 and html.headers["Content-Type"].startswith("text/html")


def test_a_fault_limited_to_times_stops_firing(server):
    server.set_faults(["503:1*2@/items$"])
    assert [get(server, "/api/items").status_code for _ in range(4)] == [503, 503, 200, 200]


def test_client_error_fault_on_one_record_without_retry_after():
    with SandboxServer(EchoApi(), faults=["422:1@/items/3$", "500:1@/items/4$"], error_retry_after=2) as server:
        assert get(server, "/api/items/2").status_code == 200
        refused = get(server, "/api/items/3")
        assert refused.status_code == 422 and refused.json()["message"].startswith("Unprocessable")
        assert "Retry-After" not in refused.headers  # a 4xx is not worth retrying: no hint to
        assert get(server, "/api/items/4").headers["Retry-After"] == "2"


def test_truncated_body_is_not_valid_json(server):
    server.set_faults(["truncate:1"])
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError, json.JSONDecodeError, requests.exceptions.JSONDecodeError)):
        get(server, "/api/items").json()


def test_dropped_connection(server):
    server.set_faults(["drop:1"])
    with pytest.raises(requests.exceptions.ConnectionError):
        get(server, "/api/items")


def test_commit_then_500_commits_the_write(server):
    server.set_faults(["commit500:1"])
    assert get(server, "/api/items").status_code == 200  # reads are never hit
    answer = requests.post(server.root_url + "/api/items", headers={"x-key": "k"}, timeout=5)
    assert answer.status_code == 500
    assert server.api.counts() == {"items": 11}
    assert server.api.writes == [{"kind": "create", "id": 10}]


def test_admin_endpoints_are_never_faulted(server):
    server.set_faults(["500:1"])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/_sandbox/counts")
    assert json.loads(conn.getresponse().read()) == {"items": 10}
    get(server, "/api/items")
    assert server.faults.summary() == [{"kind": "500", "every": 1, "seen": 1, "fired": 1}]
    assert server.api_requests("/items")[-1]["status"] == 500


def test_fault_specs_are_validated():
    assert Fault.parse("429:3:2@/orders").path.pattern == "/orders"
    assert Fault.parse("truncate:1*2@/product").times == 2
    for bad in ["429", "teapot:1", "500:0", "399:1", "600:1", "500:1*0"]:
        with pytest.raises(ValueError):
            Fault.parse(bad)
    assert Fault.parse("422:1@/products/1$").kind == "422"  # a client error on one record's request
    assert FaultPlan.parse(None).faults == []


def test_serve_as_context_manager_starts_once_and_stops_promptly():
    import time

    from supplier_sandbox import serve

    started = time.monotonic()
    with serve("rec-plus") as server:
        assert requests.get(server.url + "/regions", auth=("rec_api_user", "rec_api_pass"), timeout=5).status_code == 200
    server.stop()  # a second stop is harmless
    assert time.monotonic() - started < 3
