"""Reading a response body and finding things in it: the one way every shared extractor does it.

Why not the CDK's `JsonDecoder`: it unwraps a top-level array into its items, so an extractor
that receives them cannot tell a bare list of records from an envelope (a one-item list of an
object with a `data` list would be read as that envelope). Extractors here read the whole body,
unless the retriever was given a custom decoder (a streaming one): then its items are the bodies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder

MISSING: Any = object()
Path = Union[str, Sequence[str]]


def json_body(response: requests.Response) -> Any:
    """The decoded JSON body as sent (a top-level array stays one list); None if it is not JSON."""
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None


def decoded_bodies(response: requests.Response, decoder: Optional[Decoder] = None) -> Iterator[Any]:
    """The JSON body as sent, once; or, when `decoder` is not the CDK's default JSON decoder (the
    factory passes custom extractors the retriever's decoder), each item that decoder yields."""
    if decoder is None or type(decoder) is JsonDecoder:
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
