"""Stream the records of a JSON list response one at a time, whatever its (documented or not) envelope.

The CDK's `JsonItemsDecoder` streams the items of an array *inside* an object (`items_path` must
be non-empty), so it cannot read a body that *is* an array, and it needs the envelope key pinned
down. Supplier docs often show neither (NetXL documents no response envelope for `/product`,
which has no pagination and can hold a whole catalogue). `JsonListStreamDecoder` reads the body
with `ijson` straight from the socket and yields each record of:

- a top-level array: `[{...}, {...}]`, or
- the first array found under one of `field_names` in a top-level object:
  `{"products": [{...}]}` / `{"data": [{...}]}`.

Memory stays bounded by one record plus ijson's buffers (and, with `unique_key`, the keys of the
records emitted). A body that is a JSON object with no array under any of `field_names` is an
error (not zero records): a changed envelope must not turn into a silently empty sync. A body cut
short, or an HTML page where JSON was expected, is read again, skipping what was already emitted,
and is an error only when it keeps happening; broken JSON or another format (CSV) is an error at once.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import InitVar, dataclass, field
from collections.abc import Mapping
from typing import Any, Iterable, Iterator, List

import ijson
import requests
import urllib3
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.decoders.decoder import DECODER_OUTPUT_TYPE, Decoder
from airbyte_cdk.sources.declarative.interpolation import InterpolatedString
from airbyte_cdk.utils import AirbyteTracedException

from .. import transport

logger = logging.getLogger("airbyte")

# A body that ends early (ijson: premature EOF) or a connection lost while reading it.
_CUT_SHORT = (ijson.IncompleteJSONError, urllib3.exceptions.HTTPError, requests.exceptions.ConnectionError)
_RESUME_TIMEOUT = (30, 600)  # connect, read (seconds)

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
    """Streams list records from `response.raw` (the requester sends `stream=True`).

    A body cut short (the connection lost mid-body, or closed before the end) is read again: the
    same prepared request is sent once more, up to `max_resumes` times with a doubling wait, and
    the records already emitted are skipped, by `unique_key` when the records carry it, else by
    position. The CDK retries a request only until its response arrives; a streamed body fails
    after that, and without this the whole sync would fail on one dropped connection.
    """

    parameters: InitVar[Mapping[str, Any]]
    field_names: List[str] = field(default_factory=lambda: ["data"])
    unique_key: str = ""
    max_resumes: int = 3
    resume_wait_seconds: float = 2.0

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        # names may interpolate the stream's `$parameters`, e.g. "{{ parameters['list_field'] }}"
        def render(value: Any) -> str:
            return str(InterpolatedString.create(str(value), parameters=parameters or {}).eval({}) or "")

        self._field_names = [name for name in (render(n) for n in self.field_names) if name]
        self._unique_key = render(self.unique_key) if self.unique_key else ""
        self.max_resumes = int(self.max_resumes)
        self.resume_wait_seconds = float(self.resume_wait_seconds)

    def is_stream_response(self) -> bool:
        return True

    def decode(self, response: requests.Response) -> DECODER_OUTPUT_TYPE:
        emitted_keys: set[Any] = set()
        emitted = 0
        resumes = 0
        try:
            while True:
                try:
                    for position, item in enumerate(self._stream(response), start=1):
                        key = item.get(self._unique_key) if self._unique_key and isinstance(item, Mapping) else None
                        if resumes and (key in emitted_keys if key is not None else position <= emitted):
                            continue  # emitted before the body was cut short
                        if key is not None:
                            emitted_keys.add(key)
                        emitted += 1
                        yield item
                    return
                except (*_CUT_SHORT, HtmlInsteadOfJson) as error:
                    if not _is_cut_short(error) or getattr(response, "connection", None) is None:
                        raise self._unreadable(response, str(error), error) from error
                    response.close()
                    response, resumes = self._send_again(response, resumes, error)
                except (ValueError, ijson.JSONError) as error:
                    # no list where one was expected, or broken JSON
                    raise self._unreadable(response, str(error), error) from error
        finally:
            response.close()

    def _stream(self, response: requests.Response) -> Iterator[Any]:
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type and "json" not in content_type:
            # a maintenance or proxy page is worth reading again; CSV or XML is the wrong format
            kind = HtmlInsteadOfJson if "html" in content_type else ValueError
            raise kind(f"the API answered with {content_type} instead of JSON")
        raw = response.raw
        raw.decode_content = True  # let urllib3 undo a Content-Encoding (gzip) while we read
        raw.auto_close = False  # as the CDK does: an io wrapper must not read a file urllib3 closed itself
        # read as it arrives, within the transport's answer deadline (a server that trickles for ever)
        return stream_list(io.BufferedReader(transport.AnswerWithin(response), buffer_size=64 * 1024), self._field_names)

    def _send_again(self, response: requests.Response, resumes: int, error: Exception) -> tuple[requests.Response, int]:
        """The same prepared request (headers, auth and all) through the same connection pool, after
        a doubling wait; gives up with a traced error once `max_resumes` attempts are spent."""
        while resumes < self.max_resumes:
            resumes += 1
            wait = self.resume_wait_seconds * 2 ** (resumes - 1)
            logger.warning(
                f"The API's response to {response.request.method} {_path(response)} was cut short ({error}); reading it "
                f"again in {wait:g}s and skipping the records already emitted (attempt {resumes} of {self.max_resumes})."
            )
            time.sleep(wait)
            try:
                again = response.connection.send(response.request, stream=True, timeout=_RESUME_TIMEOUT)
            except requests.RequestException as send_error:
                error = send_error
                continue
            if again.ok:
                return again, resumes
            again.close()
            error = RuntimeError(f"HTTP {again.status_code} when reading it again")
        raise self._unreadable(response, f"cut short and not read whole in {resumes + 1} attempts, last: {error}", error) from error

    @staticmethod
    def _unreadable(response: requests.Response, reason: str, error: Exception) -> AirbyteTracedException:
        return AirbyteTracedException(
            message=f"The API's response to {response.request.method} {_path(response)} could not be read as a list of records: {reason}",
            internal_message=f"{type(error).__name__}: {error}",
            failure_type=FailureType.system_error,
        )


class HtmlInsteadOfJson(Exception):
    """An HTML page (maintenance, proxy) where the JSON list was expected: read again, like a cut body."""


def _is_cut_short(error: Exception) -> bool:
    """A lost connection, or a body that ends early; not broken JSON (reading it again would not help)."""
    return not isinstance(error, ijson.JSONError) or "premature EOF" in str(error) or "Incomplete" in str(error)


def _path(response: requests.Response) -> str:
    return requests.utils.urlparse(response.url).path if response.url else "?"
