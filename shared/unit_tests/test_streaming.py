"""JsonListStreamDecoder / list_items: records of a bare array or an envelope, streamed, loud on surprises."""

from __future__ import annotations

import io
import json

import ijson
import pytest
import requests
from airbyte_cdk.utils import AirbyteTracedException
from connector_common.components.streaming import JsonListStreamDecoder, list_items
from urllib3.response import HTTPResponse


def items(body: str, names=("products", "data")) -> list:
    return list(list_items(ijson.parse(io.BytesIO(body.encode())), list(names)))


@pytest.mark.parametrize(
    "body",
    [
        '[{"a": 1}, {"a": 2, "n": {"x": [1, {"y": 2}]}}]',
        '{"products": [{"a": 1}, {"a": 2, "n": {"x": [1, {"y": 2}]}}]}',
        '{"count": 2, "meta": {"products": [9]}, "data": [{"a": 1}, {"a": 2, "n": {"x": [1, {"y": 2}]}}], "products": [{"z": 0}]}',
    ],
)
def test_records_of_array_or_first_named_list(body):
    assert items(body) == [{"a": 1}, {"a": 2, "n": {"x": [1, {"y": 2}]}}]


def test_empty_lists_are_zero_records():
    assert items("[]") == []
    assert items('{"products": []}') == []


@pytest.mark.parametrize("body", ['{"message": "nope"}', '{"other": [1]}', '"text"'])
def test_no_list_is_an_error_not_an_empty_sync(body):
    with pytest.raises(ValueError):
        items(body)


def test_a_cut_body_raises():
    with pytest.raises(ijson.IncompleteJSONError):
        items('[{"a": 1}, {"a": 2')


def _response(body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.raw = HTTPResponse(body=io.BytesIO(body), preload_content=False)
    response.url = "http://api.test/product?x=1"
    response.request = requests.Request("GET", response.url).prepare()
    return response


def test_decoder_streams_from_raw_and_interpolates_names():
    decoder = JsonListStreamDecoder(parameters={"list_field": "products"}, field_names=["{{ parameters['list_field'] }}"])
    assert decoder.is_stream_response()
    body = json.dumps({"products": [{"sku": str(i)} for i in range(1000)]}).encode()
    assert [r["sku"] for r in decoder.decode(_response(body))] == [str(i) for i in range(1000)]


def test_decoder_reports_a_broken_body_as_a_traced_error():
    decoder = JsonListStreamDecoder(parameters={}, field_names=["data"])
    with pytest.raises(AirbyteTracedException) as error:
        list(decoder.decode(_response(b'[{"sku": "1"}, {"sku": ')))
    assert "GET /product could not be read" in error.value.message


@pytest.mark.parametrize("body", [b'  \n[{"sku": "1"}, {"sku": "2"}]', b'{"data": [{"sku": "1"}, {"sku": "2"}]}', b"[]"])
def test_decoder_reads_bare_arrays_and_envelopes(body):
    decoder = JsonListStreamDecoder(parameters={}, field_names=["data"])
    expected = [] if body == b"[]" else ["1", "2"]
    assert [r["sku"] for r in decoder.decode(_response(body))] == expected


def test_an_empty_body_is_an_error_not_zero_records():
    decoder = JsonListStreamDecoder(parameters={}, field_names=["data"])
    with pytest.raises(AirbyteTracedException, match="empty"):
        list(decoder.decode(_response(b"  ")))


def test_a_gzip_encoded_body_is_decoded_while_streaming():
    # requests asks for gzip by default and large catalogues usually come compressed
    import gzip

    body = gzip.compress(json.dumps([{"sku": str(i)} for i in range(5000)]).encode())
    response = _response(b"")
    response.raw = HTTPResponse(body=io.BytesIO(body), headers={"Content-Encoding": "gzip"}, preload_content=False, decode_content=False)  # as requests builds it
    decoder = JsonListStreamDecoder(parameters={}, field_names=["data"])
    assert [r["sku"] for r in decoder.decode(response)] == [str(i) for i in range(5000)]


class _Adapter:
    """Stands in for the requests adapter a response came through: answers re-sent requests in turn."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = 0

    def send(self, request, stream, timeout):
        self.sent += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        response = _response(body)
        response.status_code = status
        return response


def _through(adapter, body: bytes) -> requests.Response:
    response = _response(body)
    response.connection = adapter
    return response


CATALOGUE = [{"sku": str(i), "name": f"p{i}"} for i in range(50)]
FULL = json.dumps(CATALOGUE).encode()
CUT = FULL[: len(FULL) // 2]


@pytest.mark.parametrize("unique_key", ["sku", ""])
def test_a_body_cut_short_is_read_again_and_each_record_emitted_once(unique_key):
    adapter = _Adapter((200, FULL))
    decoder = JsonListStreamDecoder(parameters={}, unique_key=unique_key, resume_wait_seconds=0)
    assert list(decoder.decode(_through(adapter, CUT))) == CATALOGUE
    assert adapter.sent == 1


def test_resuming_by_key_survives_a_catalogue_that_changed_in_between():
    # a product added at the front between the two reads: by position it would be skipped (and one
    # record emitted twice); by key it is emitted, and nothing twice
    changed = json.dumps([{"sku": "new"}] + CATALOGUE).encode()
    decoder = JsonListStreamDecoder(parameters={}, unique_key="sku", resume_wait_seconds=0)
    records = list(decoder.decode(_through(_Adapter((200, changed)), CUT)))
    assert sorted(r["sku"] for r in records) == sorted(["new"] + [p["sku"] for p in CATALOGUE])


def test_failed_re_reads_count_against_the_limit_then_the_error_is_clear():
    adapter = _Adapter((503, b"{}"), requests.ConnectionError("reset"), (200, CUT))
    decoder = JsonListStreamDecoder(parameters={}, unique_key="sku", resume_wait_seconds=0, max_resumes=3)
    with pytest.raises(AirbyteTracedException) as error:
        list(decoder.decode(_through(adapter, CUT)))
    assert adapter.sent == 3
    assert "GET /product could not be read" in error.value.message and "premature EOF" in error.value.message


def test_broken_json_is_not_read_again():
    adapter = _Adapter((200, FULL))
    decoder = JsonListStreamDecoder(parameters={}, resume_wait_seconds=0)
    with pytest.raises(AirbyteTracedException):
        list(decoder.decode(_through(adapter, b'[{"sku": "1"}, {sku}]')))
    assert adapter.sent == 0


def test_an_html_page_is_read_again_and_another_format_is_an_error_at_once():
    html = _through(_Adapter((200, FULL)), b"<!DOCTYPE html><html>maintenance</html>")
    html.headers["Content-Type"] = "text/html; charset=utf-8"
    decoder = JsonListStreamDecoder(parameters={}, unique_key="sku", resume_wait_seconds=0)
    assert list(decoder.decode(html)) == CATALOGUE

    adapter = _Adapter((200, FULL))
    csv = _through(adapter, b"sku,name\n1,p1\n")
    csv.headers["Content-Type"] = "text/csv"
    with pytest.raises(AirbyteTracedException) as error:
        list(decoder.decode(csv))
    assert "text/csv instead of JSON" in error.value.message and adapter.sent == 0
