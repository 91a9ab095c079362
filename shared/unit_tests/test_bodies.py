"""`bodies`: a response's JSON parsed once, giving what `response.json()` and the CDK's
`JsonDecoder` give, to the extractor, the paginator and the error handler's filters alike."""

from __future__ import annotations

import json

import pytest
import requests
from airbyte_cdk.sources.declarative.decoders import JsonDecoder
from airbyte_cdk.sources.declarative.requesters.error_handlers import HttpResponseFilter
from connector_common.components import bodies
from connector_common.components.bodies import ParsedOnceJsonDecoder, json_body
from connector_common.components.retries import SharedRetryErrorHandler


def response(content: bytes, content_type: str = "application/json", status: int = 200) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer._content = content
    answer.headers["Content-Type"] = content_type
    answer.encoding = requests.utils.get_encoding_from_headers(answer.headers)
    return answer


NAN = float("nan")
BODIES = [  # body, Content-Type, what json_body gives
    (b'[{"id": 1}, {"id": 2}]', "application/json", [{"id": 1}, {"id": 2}]),
    (b"[]", "application/json", []),
    (b'{"data": [{"id": 1}], "count": 1}', "application/json", {"data": [{"id": 1}], "count": 1}),
    (b"{}", "application/json", {}),
    (b"null", "application/json", None),
    (b"0", "application/json", 0),
    (b'"text"', "application/json", "text"),
    (b"", "application/json", None),
    (b"<html><body>maintenance</body></html>", "text/html", None),
    # as the CDK's decoder (orjson) reads it: an integer beyond 64 bits becomes a float
    (b'{"big": 123456789012345678901234567890}', "application/json", {"big": 1.2345678901234568e+29}),
    ('{"name": "Bücher"}'.encode("latin-1"), "application/json; charset=ISO-8859-1", {"name": "Bücher"}),
    ('{"name": "Bücher"}'.encode("utf-8"), "text/plain", {"name": "Bücher"}),
    ('{"name": "Bücher"}'.encode("utf-16"), "application/json", {"name": "Bücher"}),
    (b'\xef\xbb\xbf{"bom": true}', "application/json", {"bom": True}),
    (b'\xef\xbb\xbf{"bom": true}', "application/json; charset=utf-8", {"bom": True}),
    (b'{"bad": "\xff"}', "application/json", {"bad": "\ufffd"}),
    (b'{"x": 1}', "application/json; charset=no-such-charset", None),
]


@pytest.mark.parametrize("content,content_type,expected", BODIES)
def test_body_and_decoder(content, content_type, expected):
    assert json_body(response(content, content_type)) == expected
    ours = list(ParsedOnceJsonDecoder(parameters={}).decode(response(content, content_type)))
    assert ours == (expected or [{}] if isinstance(expected, list) or expected is None else [expected])
    if content.startswith((b"[", b"{")) and b"\xff" not in content and "charset" not in content_type and content_type != "text/plain":
        # UTF-8 JSON the CDK's decoder parses: the same items
        assert ours == list(JsonDecoder(parameters={}).decode(response(content, content_type)))


def test_nan_as_the_standard_library_reads_it():
    body = json_body(response(b'{"n": NaN}'))
    assert body["n"] != body["n"]


def test_parsed_once_for_decoder_paginator_and_filters(monkeypatch):
    parses = []
    real = bodies._parse
    monkeypatch.setattr(bodies, "_parse", lambda answer: parses.append(1) or real(answer))
    handler = SharedRetryErrorHandler(config={}, parameters={}, response_filters=[
        HttpResponseFilter(config={}, parameters={}, action="IGNORE", predicate="{{ response.get('gone') }}")])
    answer = response(b'{"data": [{"id": 1}], "count": 1}')
    assert handler.interpret_response(answer).response_action.name == "SUCCESS"
    decoder = ParsedOnceJsonDecoder(parameters={})
    assert list(decoder.decode(answer)) == list(decoder.decode(answer)) == [{"data": [{"id": 1}], "count": 1}]
    assert parses == [1]
    gone = response(b'{"gone": true}', status=404)
    assert handler.interpret_response(gone).response_action.name == "IGNORE"


def streamed(content: bytes, content_type: str = "application/json") -> requests.Response:
    """A response whose body is read as it arrives (a shared answer from the spool, `stream=True`)."""
    import io

    answer = response(content, content_type)
    answer._content, answer._content_consumed = False, False
    answer.raw = io.BufferedReader(io.BytesIO(content))
    answer.request = requests.Request("GET", "http://api.test/orders?token=secret").prepare()
    answer.url = answer.request.url
    return answer


@pytest.mark.parametrize("content,content_type,expected", BODIES)
def test_stream_arrays_gives_what_the_whole_body_gives(content, content_type, expected):
    whole = list(ParsedOnceJsonDecoder(parameters={}).decode(response(content, content_type)))
    items = ParsedOnceJsonDecoder(parameters={}, stream_arrays=True)
    assert list(items.decode(response(content, content_type))) == whole
    assert list(items.decode(streamed(content, content_type))) == whole


def test_stream_arrays_reads_one_item_at_a_time_and_the_paginator_reads_the_first_again():
    import tracemalloc

    content = b"[" + b",".join(b'{"id": %d, "lines": [{"sku": "A%d", "qty": "1.0"}]}' % (i, i) for i in range(20_000)) + b"]"
    decoder = ParsedOnceJsonDecoder(parameters={}, stream_arrays=True)

    def peak(answer):
        tracemalloc.start()
        count = sum(1 for _ in decoder.decode(answer))
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return count, top

    count, streamed_peak = peak(streamed(content))
    whole_count, whole_peak = peak(response(content))  # a consumed body: bytes held, items one at a time
    _, parsed_peak = peak(response(content, "application/json; charset=latin-1"))  # read whole
    assert count == whole_count == 20_000
    assert streamed_peak < parsed_peak / 10 and whole_peak < parsed_peak / 10
    answer = streamed(content)
    assert next(iter(decoder.decode(answer))) == {"id": 0, "lines": [{"sku": "A0", "qty": "1.0"}]}
    # what the CDK's paginators read after the extractor: `next(decoder.decode(response))`
    assert list(decoder.decode(answer)) == [{"id": 0, "lines": [{"sku": "A0", "qty": "1.0"}]}]


def test_stream_arrays_broken_json_is_an_error_naming_the_path_only():
    decoder = ParsedOnceJsonDecoder(parameters={}, stream_arrays=True)
    with pytest.raises(ValueError, match=r"GET /orders is not valid JSON") as error:
        list(decoder.decode(streamed(b'[{"id": 1}, {"id": ')))
    assert "secret" not in str(error.value)
