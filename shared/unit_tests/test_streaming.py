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
