"""connector_common.components.shared_reads: one fetch per request among the members of a share key."""

import os
import threading
import time

import pytest
import requests

from connector_common.components import shared_reads
from connector_common.components.shared_reads import SharedReads


def prepared(url="http://api.test/orders?day=1", body=None):
    return requests.Request("GET", url, headers={"Authorization": "Basic c2VjcmV0"}, data=body).prepare()


def answer(body=b'[{"id": 1}]', status=200):
    response = requests.Response()
    response.status_code, response._content, response.url = status, body, "http://api.test/orders"
    response.headers["Content-Type"] = "application/json"
    return response


def registry(members, selected=None):
    reads = SharedReads(set(selected if selected is not None else members))
    for member in members:
        reads.join("orders", member)
    return reads


class Fetches:
    """Counts calls; the first waits until `release` so that the others ask while it is in flight."""

    def __init__(self, body=b'[{"id": 1}]', status=200, delay=0.0):
        self.calls, self.body, self.status, self.delay = 0, body, status, delay

    def __call__(self):
        self.calls += 1
        time.sleep(self.delay)
        return answer(self.body, self.status)


def test_members_asking_at_once_send_one_request_and_each_reads_the_whole_answer():
    reads, fetch = registry(["orders", "lines", "shipments", "addresses"]), Fetches(body=b"[" + b'{"id": 1},' * 50_000 + b'{"id": 2}]', delay=0.2)
    bodies = {}

    def read(stream):
        bodies[stream] = reads.get("orders", stream, prepared(), fetch).content

    threads = [threading.Thread(target=read, args=(s,)) for s in ["orders", "lines", "shipments", "addresses"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fetch.calls == 1 and reads.sent == 1
    assert set(bodies.values()) == {fetch.body} and len(bodies) == 4
    assert reads.held() == 0  # every selected member read it: dropped


def test_members_reading_one_after_another_get_the_answer_from_the_spool_and_it_is_freed():
    reads, fetch = registry(["orders", "lines"]), Fetches()
    first = reads.get("orders", "orders", prepared(), fetch)
    assert reads.held() == 1
    spool = reads._entries[next(iter(reads._entries))].spool
    second = reads.get("orders", "lines", prepared(), fetch)
    assert fetch.calls == 1 and reads.held() == 0
    # a streaming decoder reads `raw` one chunk at a time, each response from its own position
    assert second.raw.read(3) == b'[{"' and first.raw.read(3) == b'[{"'
    assert first.raw.read() == second.raw.read() == b'id": 1}]'  # both read to the end: the file is closed
    with pytest.raises(OSError):
        os.fstat(spool.fd)


def test_a_member_not_in_the_catalog_is_not_waited_for():
    reads, fetch = registry(["orders", "lines", "shipments"], selected=["orders", "lines"]), Fetches()
    reads.get("orders", "orders", prepared(), fetch)
    reads.get("orders", "lines", prepared(), fetch)
    assert fetch.calls == 1 and reads.held() == 0


def test_a_member_that_finished_reads_nothing_more_and_its_unread_answers_are_dropped():
    # another state, other windows: `lines` never asks for this one
    reads, fetch = registry(["orders", "lines"]), Fetches()
    reads.get("orders", "orders", prepared("http://api.test/orders?day=2"), fetch)
    assert reads.held() == 1
    reads.stream_done("lines")
    assert reads.held() == 0
    # a request first made after a member finished does not wait for it either
    reads.get("orders", "orders", prepared("http://api.test/orders?day=3"), fetch)
    assert reads.held() == 0


def test_different_requests_are_not_shared():
    reads, fetch = registry(["orders", "lines"]), Fetches()
    for url in ["http://api.test/orders?day=1", "http://api.test/orders?day=2", "http://api.test/other?day=1"]:
        reads.get("orders", "orders", prepared(url), fetch)
    reads.get("orders", "orders", prepared(body="a=1"), fetch)
    reads.get("orders", "orders", prepared(body="a=2"), fetch)
    assert fetch.calls == 5
    other = requests.Request("GET", "http://api.test/orders?day=1", headers={"Authorization": "Basic b3RoZXI="}).prepare()
    reads.get("orders", "orders", other, fetch)
    assert fetch.calls == 6


def test_a_failed_fetch_is_not_shared_a_waiting_member_sends_its_own():
    reads = registry(["orders", "lines"])
    started, results = threading.Event(), {}

    def failing():
        started.set()
        time.sleep(0.2)
        raise requests.ConnectionError("gone")

    def first():
        try:
            reads.get("orders", "orders", prepared(), failing)
        except requests.ConnectionError as error:
            results["orders"] = error

    thread = threading.Thread(target=first)
    thread.start()
    started.wait()
    fetch = Fetches()
    results["lines"] = reads.get("orders", "lines", prepared(), fetch).json()
    thread.join()
    assert isinstance(results["orders"], requests.ConnectionError)
    assert results["lines"] == [{"id": 1}] and fetch.calls == 1


def test_an_answer_that_is_not_2xx_goes_to_its_stream_only():
    reads, fetch = registry(["orders", "lines"]), Fetches(body=b'{"error": "gone"}', status=404)
    assert reads.get("orders", "orders", prepared(), fetch).status_code == 404
    assert reads.get("orders", "lines", prepared(), fetch).status_code == 404
    assert fetch.calls == 2 and reads.held() == 0


def test_sync_scopes_the_registry_to_one_read_and_frees_what_is_left():
    assert shared_reads.current() is None
    with shared_reads.sync({"orders", "lines"}) as reads:
        assert shared_reads.current() is reads
        reads.join("orders", "orders")
        reads.join("orders", "lines")
        reads.get("orders", "orders", prepared(), Fetches())
        assert reads.held() == 1
    assert shared_reads.current() is None and reads.held() == 0


def test_an_answer_waiting_for_a_member_keeps_its_bytes_in_the_spool_only():
    """Members can read an answer long after the first (vidaXL's shipments behind its orders): what
    the registry keeps meanwhile is the file, not the body (it was the body of every day at 20x)."""
    body = b"[" + b'{"id": 1},' * 10_000 + b'{"id": 2}]'
    reads = registry(["orders", "lines"])
    # as the requester's own fetch answers: a response over the bytes, read from the start
    first = reads.get("orders", "orders", prepared(), lambda: shared_reads._response(answer(body), shared_reads._BytesRaw(body)))
    entry = next(iter(reads._entries.values()))
    assert entry.template.raw is None and not entry.template._content
    assert first.content == body
    assert reads.get("orders", "lines", prepared(), Fetches()).content == body and reads.held() == 0
