"""One HTTP read for the streams that are carved out of the same answers (orders, their lines,
shipments and addresses): `SharedRequester`, a requester wrapper keyed by a share key.

    shared_orders_requester:
      type: CustomRequester
      class_name: connector_common.components.shared_reads.SharedRequester
      share_key: orders
      requester: {$ref: "#/definitions/requester"}

Every stream whose requester names the same `share_key` is a member of that group. Within one
`read`, a request (method, URL with query, headers, body: the prepared request) is sent once: the
first member to ask sends it through the wrapped requester (its error handler, retries and checks),
the others wait for that answer and get a response of their own over the same bytes.

Why on disk, not parsed in memory: the CDK queues the partitions of one stream after another
(two generators at a time for vidaXL), so a sibling often reads a window long after the first
stream did; holding the answers in memory until then holds the whole history. The answer is kept
in an anonymous temporary file (the kernel frees it when closed, or when the process is killed),
each response reads it with its own position, and a streaming decoder reads it one record at a
time: memory stays one body in flight per fetching thread.

An answer is dropped once every *selected* member has read it, or has finished (its STREAM_STATUS
COMPLETE or INCOMPLETE: a stream with another state asks for other windows and never for this one).
The selected streams and the statuses come from `SupplierSource.read` (`sync` and `observe`),
the one place that sees the catalog; without them (`check`, a source built otherwise) every request
is sent as usual. Only 2xx answers are shared; a failed fetch is not: a waiting member sends its
own. Nothing is stored across syncs; each stream's state is its own, as without sharing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import threading
from dataclasses import InitVar, dataclass, field
from typing import Any, Iterator, Mapping, Optional

import requests
from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus, TraceType, Type
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import Config

_CHUNK = 64 * 1024
_current: Optional["SharedReads"] = None  # the running read's registry (one read per process at a time)


class _Spool:
    """The bytes of one answer in an anonymous temporary file, closed when nobody needs it any more."""

    def __init__(self, body: bytes) -> None:
        with tempfile.TemporaryFile() as file:  # unlinked at once; the descriptor below keeps it
            file.write(body)
            file.flush()
            self.fd = os.dup(file.fileno())
        self.size = len(body)
        self._refs = 1  # the registry's own, until the answer is dropped
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            self._refs += 1

    def release(self) -> None:
        with self._lock:
            self._refs -= 1
            if self._refs == 0:
                os.close(self.fd)


class _SpoolReader(io.RawIOBase):
    """One response's view of a spool (its own position; `os.pread`, so readers never interfere)."""

    def __init__(self, spool: _Spool) -> None:
        spool.acquire()
        self._spool, self._position, self._released = spool, 0, False
        # what JsonListStreamDecoder sets on urllib3's raw stream
        self.decode_content = True
        self.auto_close = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._released:
            return 0
        data = os.pread(self._spool.fd, min(len(buffer), self._spool.size - self._position), self._position)
        buffer[:len(data)] = data
        self._position += len(data)
        if self._position >= self._spool.size:
            self._release()  # read to the end: a response nobody closes still frees the file
        return len(data)

    def _release(self) -> None:
        if not self._released:
            self._released = True
            self._spool.release()

    def close(self) -> None:
        self._release()
        super().close()


def _response(template: requests.Response, raw: io.RawIOBase) -> requests.Response:
    """A response like `template` (status, headers, url, request) whose body is read from `raw`."""
    response = requests.Response()
    response.status_code = template.status_code
    response.headers = requests.structures.CaseInsensitiveDict(template.headers)
    response.url, response.reason, response.encoding = template.url, template.reason, template.encoding
    response.request, response.elapsed = template.request, template.elapsed
    response.raw = io.BufferedReader(raw, buffer_size=_CHUNK)
    return response


@dataclass
class _Entry:
    readers: set[str]  # the selected members that have not read it yet
    ready: threading.Event = field(default_factory=threading.Event)
    spool: Optional[_Spool] = None
    template: Optional[requests.Response] = None
    failed: bool = False


class SharedReads:
    """The answers of one `read`, keyed by share key and prepared request, filled single-flight."""

    def __init__(self, selected: set[str]) -> None:
        self.selected = set(selected)
        self._members: dict[str, set[str]] = {}
        self._done: set[str] = set()
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._lock = threading.Lock()
        self.sent = 0  # requests sent for shared keys (what the tests and the benchmark count)

    def join(self, share_key: str, stream: str) -> None:
        with self._lock:
            self._members.setdefault(share_key, set()).add(stream)

    def stream_done(self, stream: str) -> None:
        with self._lock:
            self._done.add(stream)
            for key, entry in list(self._entries.items()):
                entry.readers.discard(stream)
                if entry.ready.is_set() and not entry.readers:
                    self._drop(key)

    def get(self, share_key: str, stream: str, request: requests.PreparedRequest, fetch: Any) -> requests.Response:
        """The answer to `request` for `stream`: fetched by `fetch()` if no member has it (or is getting it)."""
        key = (share_key, _fingerprint(request))
        while True:
            with self._lock:
                entry = self._entries.get(key)
                owner = entry is None
                if owner:
                    readers = (self._members.get(share_key, set()) & self.selected) - self._done
                    entry = self._entries[key] = _Entry(readers=readers | {stream})
            if owner:
                return self._fill(key, entry, stream, fetch)
            entry.ready.wait()
            if not entry.failed:
                with self._lock:
                    if entry.spool is not None and self._entries.get(key) is entry:
                        return self._read(key, entry, stream)
            # failed, or dropped meanwhile: this member asks itself

    def _fill(self, key: tuple[str, str], entry: _Entry, stream: str, fetch: Any) -> requests.Response:
        try:
            with self._lock:
                self.sent += 1
            response = fetch()
            if response is None or not response.ok:  # not shared: the error handler let it through
                raise _NotShared(response)
            entry.spool, entry.template = _Spool(response.content), response
            # the bytes live in the spool now: the template (kept until every member has read the
            # answer, which can be long after) keeps status and headers only
            response._content, response.raw = b"", None
        except BaseException as error:
            with self._lock:
                entry.failed = True
                self._entries.pop(key, None)
            entry.ready.set()
            if isinstance(error, _NotShared):
                return error.response
            raise
        with self._lock:
            entry.ready.set()
            return self._read(key, entry, stream)

    def _read(self, key: tuple[str, str], entry: _Entry, stream: str) -> requests.Response:
        """Called with the lock held."""
        response = _response(entry.template, _SpoolReader(entry.spool))
        entry.readers.discard(stream)
        if not entry.readers:
            self._drop(key)
        return response

    def _drop(self, key: tuple[str, str]) -> None:
        entry = self._entries.pop(key)
        if entry.spool is not None:
            entry.spool.release()

    def held(self) -> int:
        """How many answers are kept now (tests: all dropped at the end of a full sync)."""
        with self._lock:
            return len(self._entries)


class _NotShared(Exception):
    def __init__(self, response: Optional[requests.Response]) -> None:
        self.response = response


def _fingerprint(request: requests.PreparedRequest) -> str:
    """The request's identity; hashed, so the key holds no credential."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url}\n".encode())
    for name, value in sorted((k.lower(), str(v)) for k, v in request.headers.items()):
        digest.update(f"{name}: {value}\n".encode())
    body = request.body or b""
    digest.update(body if isinstance(body, bytes) else str(body).encode())
    return digest.hexdigest()


@contextlib.contextmanager
def sync(selected: set[str]) -> Iterator[SharedReads]:
    """Share answers among the selected streams for the duration of one read."""
    global _current
    previous, _current = _current, SharedReads(selected)
    try:
        yield _current
    finally:
        reads, _current = _current, previous
        for stream in reads.selected:
            reads.stream_done(stream)


def observe(reads: SharedReads, message: AirbyteMessage) -> None:
    """A stream that is COMPLETE or INCOMPLETE reads nothing more: its unread answers are dropped."""
    if message.type == Type.TRACE and message.trace and message.trace.type == TraceType.STREAM_STATUS:
        status = message.trace.stream_status
        if status.status in (AirbyteStreamStatus.COMPLETE, AirbyteStreamStatus.INCOMPLETE):
            reads.stream_done(status.stream_descriptor.name)


def current() -> Optional[SharedReads]:
    return _current


class _SharingClient:
    """Stands in for the wrapped requester's HttpClient: prepares the request, then asks the registry."""

    def __init__(self, client: Any, owner: "SharedRequester") -> None:
        self._client, self._owner = client, owner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def send_request(self, http_method: str, url: str, request_kwargs: Mapping[str, Any], **kwargs: Any) -> tuple[requests.PreparedRequest, requests.Response]:
        # read whole by the CDK, so its error handler sees the body (a non-JSON page is retried, a
        # body cut short is sent again) before anyone reads it
        request_kwargs = {**request_kwargs, "stream": False}

        def fetch() -> Optional[requests.Response]:
            response = self._client.send_request(http_method, url, request_kwargs, **kwargs)[1]
            # a body to read from the start, as a streaming decoder reads it
            return _response(response, _BytesRaw(response.content)) if response is not None else None

        reads = current()
        if reads is None:
            response = fetch()
            return (response.request if response is not None else None), response
        prepared = self._client._create_prepared_request(
            http_method=http_method, url=url, dedupe_query_params=kwargs.get("dedupe_query_params", False),
            headers=kwargs.get("headers"), params=kwargs.get("params"), json=kwargs.get("json"), data=kwargs.get("data"))
        # the authenticator adds its header when the request is sent: it is the same for every member
        response = reads.get(self._owner.share_key, self._owner.name, prepared, fetch)
        return (response.request if response is not None else prepared), response


class _BytesRaw(io.BytesIO):
    decode_content = True
    auto_close = False


@dataclass
class SharedRequester(Requester):
    """The wrapped `requester`, except that members of one `share_key` send each request once per read."""

    requester: Requester
    share_key: str
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    name: str = ""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.requester._http_client = _SharingClient(self.requester._http_client, self)
        reads = current()
        if reads is not None:  # the streams are built at the start of a read
            reads.join(self.share_key, self.name)

    def __getattr__(self, name: str) -> Any:
        if name == "requester":
            raise AttributeError(name)
        return getattr(self.requester, name)

    def get_authenticator(self) -> Any:
        return self.requester.get_authenticator()

    def get_url(self, *args: Any, **kwargs: Any) -> str:
        return self.requester.get_url(*args, **kwargs)

    def get_url_base(self, *args: Any, **kwargs: Any) -> str:
        return self.requester.get_url_base(*args, **kwargs)

    def get_path(self, *args: Any, **kwargs: Any) -> str:
        return self.requester.get_path(*args, **kwargs)

    def get_method(self) -> Any:
        return self.requester.get_method()

    def get_request_params(self, *args: Any, **kwargs: Any) -> Any:
        return self.requester.get_request_params(*args, **kwargs)

    def get_request_headers(self, *args: Any, **kwargs: Any) -> Any:
        return self.requester.get_request_headers(*args, **kwargs)

    def get_request_body_data(self, *args: Any, **kwargs: Any) -> Any:
        return self.requester.get_request_body_data(*args, **kwargs)

    def get_request_body_json(self, *args: Any, **kwargs: Any) -> Any:
        return self.requester.get_request_body_json(*args, **kwargs)

    def send_request(self, *args: Any, **kwargs: Any) -> Optional[requests.Response]:
        return self.requester.send_request(*args, **kwargs)
