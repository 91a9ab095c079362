"""RetryWaitStrategy: Retry-After honoured, headerless 429 capped at 5 minutes, no early give-up,
5xx bounded; SharedRetryErrorHandler leaves the limits to the strategy. No sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from airbyte_cdk.sources.declarative.requesters.error_handlers import HttpResponseFilter
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction
import requests
from airbyte_cdk.utils import AirbyteTracedException
from connector_common.components.retries import (
    UNBOUNDED_RETRIES,
    SharedRetryErrorHandler,
    RetryWaitStrategy,
    retry_after_seconds,
)


def response(status: int, headers: dict | None = None, request: requests.PreparedRequest | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.headers.update(headers or {})
    r.url = "http://api.test/product?secret=1"
    r.request = request or requests.Request("GET", r.url).prepare()
    return r


def strategy(**kwargs) -> RetryWaitStrategy:
    return RetryWaitStrategy(parameters={}, **kwargs)


def test_retry_after_seconds_and_http_date():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert retry_after_seconds(response(429, {"Retry-After": "7"})) == 7
    assert retry_after_seconds(response(429, {"Retry-After": format_datetime(now + timedelta(seconds=90), usegmt=True)}), now=now) == 90
    assert retry_after_seconds(response(429, {"Retry-After": "soon"})) is None
    assert retry_after_seconds(response(429)) is None


def test_retry_after_is_honoured_even_above_the_cap(caplog):
    s = strategy(max_backoff_seconds=300)
    assert s.backoff_time(response(429, {"Retry-After": "2"}), 1) == 2
    assert s.backoff_time(response(429, {"Retry-After": "900"}), 1) == 900
    assert s.backoff_time(response(429, {"Retry-After": "0"}), 1) > 0  # never "no answer"
    assert "Retry-After header asks for 900 s" in caplog.text
    assert "secret" not in caplog.text  # no query string in the log


def test_headerless_429_doubles_up_to_the_cap_and_keeps_going(caplog):
    s = strategy(rate_limit_initial_backoff_seconds=10, max_backoff_seconds=300, rate_limit_reason="docs say wait 5 minutes",
                 rate_limit_give_up_after_seconds=None)
    request = requests.Request("GET", "http://api.test/product").prepare()
    waits = [s.backoff_time(response(429, request=request), n) for n in range(1, 41)]
    assert waits[:7] == [10, 20, 40, 80, 160, 300, 300]
    assert set(waits[6:]) == {300}  # 40 rate limits in a row: still waiting, never raising
    assert "docs say wait 5 minutes" in caplog.text and "Rate limited: GET /product answered HTTP 429" in caplog.text


def test_each_request_has_its_own_backoff():
    s = strategy(rate_limit_initial_backoff_seconds=10)
    first, second = (requests.Request("GET", f"http://api.test/{p}").prepare() for p in ("a", "b"))
    assert s.backoff_time(response(429, request=first), 1) == 10
    assert s.backoff_time(response(429, request=first), 2) == 20
    assert s.backoff_time(response(429, request=second), 1) == 10


def test_rate_limit_gives_up_only_past_the_total_budget():
    s = strategy(rate_limit_initial_backoff_seconds=100, max_backoff_seconds=300, rate_limit_give_up_after_seconds=1000)
    request = requests.Request("GET", "http://api.test/product").prepare()
    assert [s.backoff_time(response(429, request=request), n) for n in (1, 2, 3)] == [100, 200, 300]  # 600 waited
    assert s.backoff_time(response(429, request=request), 4) == 300  # 900 waited
    with pytest.raises(AirbyteTracedException) as error:
        s.backoff_time(response(429, request=request), 5)
    assert "429 Too Many Requests" in error.value.message and "1000 s" in error.value.message


def test_server_errors_back_off_and_are_bounded():
    s = strategy(server_error_initial_backoff_seconds=2, server_error_max_backoff_seconds=10, max_server_error_retries=4)
    request = requests.Request("GET", "http://api.test/product").prepare()
    assert [s.backoff_time(response(503, request=request), n) for n in range(1, 5)] == [2, 4, 8, 10]
    with pytest.raises(AirbyteTracedException) as error:
        s.backoff_time(response(503, request=request), 5)
    assert "kept failing" in error.value.message and "503" in error.value.message
    exc = requests.ConnectionError("boom", request=requests.Request("GET", "http://user:pw@api.test:8080/x?key=secret").prepare())
    assert s.backoff_time(exc, 1) == 2
    with pytest.raises(AirbyteTracedException) as error:
        for attempt in range(2, 6):
            s.backoff_time(exc, attempt)
    # where the request went, for a wrong base_url; never the credentials or the query string
    assert "GET http://api.test:8080/x failed (ConnectionError)" in error.value.message
    assert "secret" not in error.value.message and "pw" not in error.value.message


def test_an_html_page_that_never_turns_into_json_hints_at_base_url():
    s = strategy(server_error_initial_backoff_seconds=1, max_server_error_retries=1)
    request = requests.Request("GET", "http://api.test/product").prepare()
    page = response(200, {"Content-Type": "text/html; charset=utf-8"}, request=request)
    assert s.backoff_time(page, 1) == 1
    with pytest.raises(AirbyteTracedException) as error:
        s.backoff_time(page, 2)
    assert "HTTP 200 with text/html instead of JSON" in error.value.message
    assert "check base_url" in error.value.message
    with pytest.raises(AirbyteTracedException) as error:  # a plain 503 names no base_url
        s.backoff_time(response(503, request=request), 3)
    assert "base_url" not in error.value.message


def test_a_server_error_with_retry_after_waits_what_it_asks_and_still_counts():
    s = strategy(server_error_initial_backoff_seconds=2, max_server_error_retries=2)
    request = requests.Request("GET", "http://api.test/product").prepare()
    assert s.backoff_time(response(503, {"Retry-After": "7"}, request=request), 1) == 7
    assert s.backoff_time(response(503, request=request), 2) == 4
    with pytest.raises(AirbyteTracedException):
        s.backoff_time(response(503, {"Retry-After": "1"}, request=request), 3)


def test_shared_error_handler_never_cuts_retries_short():
    handler = SharedRetryErrorHandler(config={}, parameters={}, max_retries=5, max_time=600)
    assert handler.max_retries == UNBOUNDED_RETRIES
    assert handler.max_time > 365 * 24 * 3600


def page(status: int, body: bytes, content_type: str | None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body
    if content_type:
        r.headers["Content-Type"] = content_type
    r.url = "http://api.test/products?key=secret"
    r.request = requests.Request("GET", r.url).prepare()
    return r


def test_shared_error_handler_retries_a_page_that_is_not_json():
    handler = SharedRetryErrorHandler(config={}, parameters={})
    html = handler.interpret_response(page(200, b"<html>maintenance</html>", "text/html"))
    assert html.response_action == ResponseAction.RETRY
    assert "GET /products answered HTTP 200 with text/html instead of JSON" in html.error_message
    assert "secret" not in html.error_message
    ok = (page(200, b'{"a": 1}', "application/json"), page(200, b'{"a": 1}', "text/plain"), page(200, b"[1]", None))
    assert [handler.interpret_response(r).response_action for r in ok] == [ResponseAction.SUCCESS] * 3
    assert handler.interpret_response(page(503, b"", None)).response_action == ResponseAction.RETRY
    assert handler.interpret_response(page(429, b"", None)).response_action == ResponseAction.RATE_LIMITED
    streamed = SharedRetryErrorHandler(config={}, parameters={}, retry_non_json_pages=False)
    assert streamed.interpret_response(page(200, b"<html/>", "text/html")).response_action == ResponseAction.SUCCESS


def test_shared_error_handler_puts_the_manifests_filters_first_and_takes_its_waits():
    own = HttpResponseFilter(config={}, parameters={}, http_codes={503}, action="FAIL", error_message="down for good")
    handler = SharedRetryErrorHandler(config={}, parameters={}, response_filters=[own], server_error_initial_backoff_seconds=7,
                                      max_server_error_retries=1)
    assert handler.interpret_response(page(503, b"", None)).response_action == ResponseAction.FAIL
    (waits,) = handler.backoff_strategies
    request = requests.Request("GET", "http://api.test/p").prepare()
    assert waits.backoff_time(response(500, request=request), 1) == 7
    with pytest.raises(AirbyteTracedException):
        waits.backoff_time(response(500, request=request), 2)


def test_a_refused_connection_gets_few_retries_and_a_config_error():
    try:
        requests.get("http://127.0.0.1:1/x", timeout=2)
    except requests.ConnectionError as refused:
        error = refused
    s = strategy(max_connect_error_retries=2, server_error_initial_backoff_seconds=1)
    assert [s.backoff_time(error, n) for n in (1, 2)] == [1, 2]
    with pytest.raises(AirbyteTracedException) as raised:
        s.backoff_time(error, 3)
    assert "Could not connect" in raised.value.message and raised.value.failure_type.value == "config_error"
    # a connection dropped after it was opened is an outage, not a wrong host: the full budget
    dropped = requests.ConnectionError(ConnectionResetError("reset"), request=requests.Request("GET", "http://api.test/y").prepare())
    assert s.backoff_time(dropped, 1) == 1


def test_a_response_a_filter_ignores_on_purpose_is_a_warning(caplog):
    skip = HttpResponseFilter(config={}, parameters={}, http_codes={404}, action="IGNORE", error_message="no blog module; skipped")
    handler = SharedRetryErrorHandler(config={}, parameters={}, response_filters=[skip])
    with caplog.at_level("INFO", logger="airbyte"):
        resolution = handler.interpret_response(page(404, b'{"errors": []}', "application/json"))
    assert resolution.response_action == ResponseAction.IGNORE
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", "no blog module; skipped")]
