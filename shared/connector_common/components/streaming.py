"""Stream the records of a JSON list response one at a time, whatever its (documented or not) envelope.

The CDK's `JsonItemsDecoder` streams the items of an array *inside* an object (`items_path` must
be non-empty), so it cannot read a body that *is* an array, and it needs the envelope key pinned
down. Supplier docs often show neither (NetXL documents no response envelope for `/product`,
which has no pagination and can hold a whole catalogue). `JsonListStreamDecoder` reads the body
with `ijson` straight from the socket and yields each record of:

- a top-level array: `[{...}, {...}]`, or
- the first array found under one of `field_names` in a top-level object:
  `{"products": [{...}]}` / `{"data": [{...}]}`.

Memory stays bounded by one record plus ijson's buffers. A body that is a JSON object with no
array under any of `field_names` is an error (not zero records): a changed envelope must not
turn into a silently empty sync. A body cut short raises too (ijson's IncompleteJSONError).
"""

from __future__ import annotations

import io
from dataclasses import InitVar, dataclass, field
from typing import Any, Iterable, Iterator, List, Mapping

import ijson
import requests
import urllib3
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.decoders.decoder import DECODER_OUTPUT_TYPE, Decoder
from airbyte_cdk.sources.declarative.interpolation import InterpolatedString
from airbyte_cdk.utils import AirbyteTracedException

_CONTAINER_START = ("start_map", "start_array")
_CONTAINER_END = ("end_map", "end_array")


def list_items(events: Iterable[tuple[str, str, Any]], field_names: List[str]) -> Iterator[Any]:
    """Each item of the top-level array, or of the first `field_names` array of a top-level object.

    `events` is the output of `ijson.parse`. Raises ValueError when the body has no such list.
    """
    wanted = set(field_names)
    target: str | None = None
    top: str | None = None
    builder: ijson.ObjectBuilder | None = None
    depth = 0
    for prefix, event, value in events:
        if top is None:
            top = event
            if event == "start_array":
                target = "item"
            elif event != "start_map":
                raise ValueError(f"expected a JSON array or object, got a {event}")
            continue
        if builder is not None:
            builder.event(event, value)
            if event in _CONTAINER_START:
                depth += 1
            elif event in _CONTAINER_END:
                depth -= 1
            if depth == 0:
                yield builder.value
                builder = None
            continue
        if target is None and prefix in wanted and event == "start_array":
            target = f"{prefix}.item"
            continue
        if target is not None and prefix == target:
            if event in _CONTAINER_START:
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
                depth = 1
            elif event not in _CONTAINER_END:
                yield value  # a scalar item
        elif target is not None and prefix == target.rsplit(".", 1)[0] and event == "end_array":
            target = "__done__"  # only the first matching list is read
    if top == "start_map" and target is None:
        raise ValueError(f"the response object has no list under any of {field_names}")


def stream_list(body: io.BufferedReader, field_names: List[str]) -> Iterator[Any]:
    """`list_items` over a byte stream; a bare array takes ijson's C fast path (`ijson.items`)."""
    head = body.peek(64).lstrip()
    while not head:
        chunk = body.peek(1)
        if not chunk:
            raise ValueError("the response body is empty")
        if chunk.strip():
            head = chunk.lstrip()
            break
        body.read(len(chunk))
        head = body.peek(64).lstrip()
    if head[:1] == b"[":
        return ijson.items(body, "item", use_float=True)
    return list_items(ijson.parse(body, use_float=True), field_names)


@dataclass
class JsonListStreamDecoder(Decoder):
    """Streams list records from `response.raw` (the requester sends `stream=True`)."""

    parameters: InitVar[Mapping[str, Any]]
    field_names: List[str] = field(default_factory=lambda: ["data"])

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        # names may interpolate the stream's `$parameters`, e.g. "{{ parameters['list_field'] }}"
        names = (InterpolatedString.create(str(name), parameters=parameters or {}).eval({}) for name in self.field_names)
        self._field_names = [str(name) for name in names if name]

    def is_stream_response(self) -> bool:
        return True

    def decode(self, response: requests.Response) -> DECODER_OUTPUT_TYPE:
        raw = response.raw
        raw.decode_content = True  # let urllib3 undo a Content-Encoding (gzip) while we read
        raw.auto_close = False  # as the CDK does: an io wrapper must not read a file urllib3 closed itself
        try:
            yield from stream_list(io.BufferedReader(raw, buffer_size=64 * 1024), self._field_names)
        except (ValueError, ijson.JSONError, urllib3.exceptions.HTTPError) as error:
            # no list where one was expected, a body cut short or broken JSON, a connection lost mid-body
            raise AirbyteTracedException(
                message=f"The API's response to {response.request.method} {_path(response)} could not be read as a list of records: {error}",
                internal_message=f"{type(error).__name__}: {error}",
                failure_type=FailureType.system_error,
            ) from error
        finally:
            response.close()


def _path(response: requests.Response) -> str:
    return requests.utils.urlparse(response.url).path if response.url else "?"
