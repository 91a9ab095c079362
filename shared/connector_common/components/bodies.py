"""Reading a response body and finding things in it: the one way every shared extractor does it.

Why not the CDK's `JsonDecoder`: it unwraps a top-level array into its items, so an extractor
that receives them cannot tell a bare list of records from an envelope (a one-item list of an
object with a `data` list would be read as that envelope). Extractors here read the whole body,
unless the retriever was given a custom decoder (a streaming one): then its items are the bodies.

A body is parsed once per response (`json_body` keeps it on the response): the CDK would parse a
page up to three times (a response filter's predicate with the standard library, the extractor,
the paginator), which was a third of a paged read's CPU. `ParsedOnceJsonDecoder` gives the CDK's
extractors and paginators that one parse; `SharedRetryErrorHandler` gives it to its filters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import orjson
import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder

MISSING: Any = object()
Path = Union[str, Sequence[str]]
_PARSED = "_connector_common_json"  # where json_body keeps a response's parsed body
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

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__init__(parameters)

    def decode(self, response: requests.Response) -> Iterator[Any]:
        body = json_body(response)
        if isinstance(body, list):
            yield from body or [{}]
        else:
            yield {} if body is None else body


def decoded_bodies(response: requests.Response, decoder: Optional[Decoder] = None) -> Iterator[Any]:
    """The JSON body as sent, once; or, when `decoder` is not a plain JSON decoder (the factory
    passes custom extractors the retriever's decoder), each item that decoder yields."""
    if decoder is None or type(decoder) in (JsonDecoder, ParsedOnceJsonDecoder):
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
