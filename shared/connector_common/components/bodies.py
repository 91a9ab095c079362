"""Reading a response body and finding things in it: the one way every shared extractor does it.

Why not the CDK's `JsonDecoder`: it unwraps a top-level array into its items, so an extractor
that receives them cannot tell a bare list of records from an envelope (a one-item list of an
object with a `data` list would be read as that envelope). Extractors here read the whole body,
unless the retriever was given a custom decoder (a streaming one): then its items are the bodies.

A body is parsed once per response (`json_body` keeps it on the response): the CDK would parse a
page up to three times (a response filter's predicate with the standard library, the extractor,
the paginator), which was a third of a paged read's CPU. `ParsedOnceJsonDecoder` gives the CDK's
extractors and paginators that one parse; `SharedRetryErrorHandler` gives it to its filters.

With `stream_arrays: true` it reads a top-level array one item at a time instead (ijson), so that a
large unpaged answer read by several streams at once is never held parsed (vidaXL's open-status
reads, M3's order list read for addresses: each whole parse was most of the memory at 20x data).
Its items are then the bodies extractors read. What reads the body after the extractor (the CDK's
paginators read the first item a decoder yields) gets the first item again; a response filter with
a predicate, which reads the body before, must not be used with it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any, Iterable, Iterator, Optional, Sequence, Union
from urllib.parse import urlsplit

import ijson
import orjson
import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder

MISSING: Any = object()
Path = Union[str, Sequence[str]]
_PARSED = "_connector_common_json"  # where json_body keeps a response's parsed body
_FIRST = "_connector_common_first_item"  # where a streamed array's first item is kept
_UTF8 = {"utf-8", "utf8"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def json_body(response: requests.Response) -> Any:
    """The decoded JSON body as sent (a top-level array stays one list); None if it is not JSON.

    Parsed once per response and kept on it. JSON is UTF-8 (RFC 8259) unless the Content-Type
    declares another charset or the body starts with a BOM or UTF-16/32 bytes. orjson reads it, as
    the CDK's `JsonDecoder` does (an integer beyond 64 bits becomes a float there too); a body
    orjson refuses (NaN, invalid UTF-8) is read by the standard library, bad bytes replaced, as
    `response.json()` reads it.
    """
    body = response.__dict__.get(_PARSED, MISSING)
    if body is MISSING:
        body = _parse(response)
        response.__dict__[_PARSED] = body
    return body


def _parse(response: requests.Response) -> Any:
    content = response.content
    if not content:
        return None
    declared = _CHARSET.search(response.headers.get("Content-Type") or "")
    encoding = declared.group(1).lower() if declared else (requests.utils.guess_json_utf(content) or "utf-8")
    if encoding in _UTF8:
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(content.decode("utf-8-sig" if encoding in _UTF8 else encoding, errors="replace"))
    except (LookupError, ValueError):
        return None


def json_or_empty(response: requests.Response) -> Any:
    """What the CDK's response filters give their templates as `response`: the body, or {}."""
    body = json_body(response)
    return {} if body is None else body


@dataclass
class ParsedOnceJsonDecoder(JsonDecoder):
    """The CDK's `JsonDecoder` (a list's items, else the body; `{}` for an empty list or a body
    that is not JSON, once, where the CDK's yields it twice), reading the body `json_body` parsed
    once for the whole response."""

    parameters: InitVar[Mapping[str, Any]]
    stream_arrays: bool = False

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__init__(parameters)

    def decode(self, response: requests.Response) -> Iterator[Any]:
        if _FIRST in response.__dict__:  # streamed already: what a paginator reads after the extractor
            yield response.__dict__[_FIRST]
            return
        items = _array_items(response) if self.stream_arrays else None
        if items is not None:
            yield from _or_empty(items, response)
            return
        body = json_body(response)
        if isinstance(body, list):
            yield from body or [{}]
        else:
            yield {} if body is None else body


_ARRAY_CHUNK = 64 * 1024


def _array_items(response: requests.Response) -> Optional[Iterator[Any]]:
    """The items of a UTF-8 top-level JSON array, parsed one at a time from the body as it is read;
    None (read whole) for anything else or a body already parsed."""
    if _PARSED in response.__dict__:
        return None
    declared = _CHARSET.search(response.headers.get("Content-Type") or "")
    if declared and declared.group(1).lower() not in _UTF8:
        return None
    if response._content_consumed or response.raw is None:
        if not isinstance(response.content, bytes):
            return None
        source: io.BufferedReader = io.BufferedReader(io.BytesIO(response.content), buffer_size=_ARRAY_CHUNK)
    else:
        raw = response.raw
        raw.decode_content = True
        source = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw, buffer_size=_ARRAY_CHUNK)
    head = source.peek(_ARRAY_CHUNK)[:_ARRAY_CHUNK].lstrip()
    if head[:1] != b"[":
        # not an array (an envelope, an error object, a BOM): read whole, as without the option
        response._content = source.read()
        response._content_consumed = True
        return None
    return ijson.items(source, "item", use_float=True)


def _or_empty(items: Iterator[Any], response: requests.Response) -> Iterator[Any]:
    """The items; `{}` for an empty array, as `JsonDecoder`; a clear error for broken JSON."""
    try:
        for item in items:
            response.__dict__.setdefault(_FIRST, item)
            yield item
    except ijson.JSONError as error:
        where = f"{response.request.method} {urlsplit(response.url or '').path}" if response.request is not None else "a request"
        raise ValueError(f"The API's answer to {where} is not valid JSON: {error}") from error
    if _FIRST not in response.__dict__:
        response.__dict__[_FIRST] = {}
        yield {}


def decoded_bodies(response: requests.Response, decoder: Optional[Decoder] = None) -> Iterator[Any]:
    """The JSON body as sent, once; or, when `decoder` is not a plain JSON decoder (the factory
    passes custom extractors the retriever's decoder), each item that decoder yields."""
    if decoder is None or type(decoder) is JsonDecoder or (type(decoder) is ParsedOnceJsonDecoder and not decoder.stream_arrays):
        yield json_body(response)
    else:
        yield from decoder.decode(response)


def get_path(value: Any, path: Path) -> Any:
    """The value at `path` (a list of keys, or one dotted string), or MISSING."""
    segments = path.split(".") if isinstance(path, str) else list(path)
    for segment in segments:
        if isinstance(value, Mapping) and segment in value:
            value = value[segment]
        else:
            return MISSING
    return value


def as_list(value: Any) -> list[Any]:
    """A list as is, nothing (MISSING or None) as [], anything else as a one-item list."""
    if value is MISSING or value is None:
        return []
    return value if isinstance(value, list) else [value]


def envelope_records(body: Any, names: Iterable[str] = (), record_key: Optional[str] = None) -> list[Any]:
    """The records of a list response whose envelope key the doc does not pin down.

    A bare list is the records; in an object, the first of `names` that holds a list, else (with
    `record_key`) the object itself when it has that field (a detail endpoint's bare record, whose
    own lists are not records), else the object's only list. No list means no records; several
    unnamed lists is an error, not a guess.
    """
    if isinstance(body, list):
        return body
    if not isinstance(body, Mapping):
        return []
    for name in names:
        if isinstance(body.get(name), list):
            return body[name]
    if record_key and record_key in body:
        return [body]
    lists = [key for key, value in body.items() if isinstance(value, list)]
    if len(lists) > 1:
        raise ValueError(f"response has several lists ({', '.join(lists)}); name the records key in field_names")
    return body[lists[0]] if lists else []
