"""transport: a whole answer within ANSWER_READ_TIMEOUTS read timeouts, over real HTTP."""

import time

import pytest
import requests

from connector_common import transport
from connector_testing.misbehaving import WRONG_ANSWERS, trickling_server, wrong_answer_server


@pytest.fixture
def short_timeouts():
    with transport.installed({"connect_timeout_seconds": 1, "read_timeout_seconds": 0.5}) as policy:
        yield policy


def test_a_server_that_trickles_for_ever_is_a_read_timeout_after_the_answer_deadline(short_timeouts):
    with trickling_server(interval=0.1) as url:
        began = time.monotonic()
        with pytest.raises(requests.exceptions.ReadTimeout, match=r"did not finish its answer within 2\.5 s \(5 x read_timeout_seconds\)"):
            requests.get(url + "/orders")
        assert time.monotonic() - began < 2.5 + 1.5


@pytest.mark.parametrize("kind", sorted(WRONG_ANSWERS))
def test_an_answer_in_time_reads_as_requests_reads_it(short_timeouts, kind):
    status, content_type, body = WRONG_ANSWERS[kind]
    with wrong_answer_server(kind) as url, requests.Session() as session:
        for _ in range(3):
            answer = session.get(url + "/orders")
            assert (answer.status_code, answer.headers["Content-Type"], answer.content) == (status, content_type, body)
        with session.get(url + "/orders", stream=True) as streamed:  # the caller reads the body: left to it
            assert not streamed._content_consumed and streamed.raw.read() == body
