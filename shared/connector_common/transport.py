"""What every HTTP request of a connector process gets, whoever sends it (a manifest's requester, the
CDK's OAuth token request, a Python component): a connect and a read timeout, and in `check` a strict
reading of the answer.

Installed once per process by the entry point, on `requests.Session.send` (every `requests` call
passes there; the CDK's own entry point wraps the same method for its URL filter). The CDK's
requester has timeout fields, but a manifest cannot take them from the config and its OAuth token
request has none, so a hung server would hang `check` and `read` for ever.

- Timeouts: `connect_timeout_seconds` and `read_timeout_seconds` in any connector's config (the
  entry point adds both to every spec) raise or lower the defaults. A caller that passes its own
  timeout keeps it.
- `check` is strict: the first answer decides (no retry schedule), and a 2xx that is not the API's
  JSON (an empty body, an HTML page, an error object) or a timeout fails it at once with a sentence
  saying what answered. `read` keeps the retry handler's schedule.
- A whole answer within ANSWER_READ_TIMEOUTS read timeouts: a server that trickles a byte at a
  time never trips the read timeout, so `read` and `write` would wait for ever. Bodies `requests`
  reads are read here as they arrive; a streaming decoder reads through `AnswerWithin`.
- A token endpoint (`token_url` in the config) that refuses the credentials or answers something
  other than JSON is a config error naming the settings, in `check` and `read` alike.
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Iterator, Mapping, Optional

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .masking import masked_url

CONNECT_TIMEOUT_KEY = "connect_timeout_seconds"
READ_TIMEOUT_KEY = "read_timeout_seconds"
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 120.0  # a first byte (or the next chunk) within two minutes; raise it for slow exports
# `check` answers within this, whatever the servers do (the bound is 30 s), or within three
# request timeouts when those are shorter (a server that trickles a byte at a time never times out)
CHECK_DEADLINE_SECONDS = 25.0
# a whole answer within this many read timeouts (10 min at the default): a server that trickles a
# byte at a time never trips the read timeout, which bounds each wait, not the answer
ANSWER_READ_TIMEOUTS = 5

# keys of a 200 body that say it is an error, not data
_ERROR_KEYS = ("error", "errors", "error_message", "errorMessage", "fault")

# the spec properties every connector takes (added to each spec by the entry point)
TIMEOUT_SPEC_PROPERTIES: dict[str, dict[str, Any]] = {
    CONNECT_TIMEOUT_KEY: {
        "type": "number", "exclusiveMinimum": 0, "maximum": 600, "default": DEFAULT_CONNECT_TIMEOUT,
        "title": "Connect timeout (seconds)",
        "description": "How long to wait for the API's server to accept a connection before retrying.",
        "order": 90,
    },
    READ_TIMEOUT_KEY: {
        "type": "number", "exclusiveMinimum": 0, "maximum": 3600, "default": DEFAULT_READ_TIMEOUT,
        "title": "Read timeout (seconds)",
        "description": "How long to wait for the next bytes of an answer before retrying (a whole answer may take 5 times this); raise it if the API is slow to answer.",
        "order": 91,
    },
}


class CheckFailed(AirbyteTracedException):
    """`check` met an answer that proves the API is not there (or not answering): one sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)


def timeouts_from_config(config: Optional[Mapping[str, Any]]) -> tuple[float, float]:
    """(connect, read) seconds from the config's timeout keys, else the defaults; the config
    checks have already refused values that are not positive numbers."""
    config = config or {}

    def pick(key: str, default: float) -> float:
        value = config.get(key)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else default

    return pick(CONNECT_TIMEOUT_KEY, DEFAULT_CONNECT_TIMEOUT), pick(READ_TIMEOUT_KEY, DEFAULT_READ_TIMEOUT)


def token_urls_from_config(config: Optional[Mapping[str, Any]]) -> tuple[str, ...]:
    """Every `token_url` value in the config (at any depth: Yodify keeps it under `credentials`)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "token_url" and isinstance(item, str) and item:
                    found.append(item)
                else:
                    walk(item)

    walk(config)
    return tuple(found)


@dataclass
class Policy:
    timeout: tuple[float, float] = (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT)
    strict: bool = False  # `check`: the first answer decides
    token_urls: tuple[str, ...] = ()
    failures: list[str] = field(default_factory=list)  # sentences raised in strict mode, first first
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def check_deadline(self) -> float:
        return min(CHECK_DEADLINE_SECONDS, max(5.0, 3 * sum(self.timeout)))

    def fail(self, sentence: str) -> CheckFailed:
        with self.lock:
            self.failures.append(sentence)
        return CheckFailed(sentence)


_policy = Policy()


def current_policy() -> Policy:
    return _policy


def install(config: Optional[Mapping[str, Any]], *, strict: bool = False) -> Policy:
    """Set this process's policy from the config and wrap `requests.Session.send` (once)."""
    global _policy
    connect, read = timeouts_from_config(config)
    if strict:  # no single wait may use up check's deadline
        connect, read = min(connect, CHECK_DEADLINE_SECONDS / 2), min(read, CHECK_DEADLINE_SECONDS / 2)
    _policy = Policy(timeout=(connect, read), strict=strict, token_urls=token_urls_from_config(config))
    if not getattr(requests.Session.send, "_connector_transport", False):
        original = requests.Session.send

        @wraps(original)
        def send(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = _policy.timeout
            if kwargs.get("stream"):  # the caller reads the body (a streaming decoder: `AnswerWithin`)
                return _guard(_policy, request, lambda: _deadline_noted(original(self, request, **kwargs), kwargs["timeout"]), True)
            return _guard(_policy, request, lambda: _whole_answer(original(self, request, **{**kwargs, "stream": True}), kwargs["timeout"]), False)

        send._connector_transport = True  # type: ignore[attr-defined]
        requests.Session.send = send  # type: ignore[method-assign]
    return _policy


@contextlib.contextmanager
def installed(config: Optional[Mapping[str, Any]], *, strict: bool = False) -> Iterator[Policy]:
    """`install` for one command of a connector that runs in-process with others (the destination's
    `check`): the process's previous policy is back afterwards."""
    global _policy
    previous = _policy
    try:
        yield install(config, strict=strict)
    finally:
        _policy = previous


def no_complete_answer(policy: Policy, base_url: str) -> str:
    """`check`'s sentence when its deadline passed with no answer that decides."""
    connect, read = policy.timeout
    return (f"No complete answer from {base_url or 'the API'} within {policy.check_deadline:g} s "
            f"({CONNECT_TIMEOUT_KEY} {connect:g} s, {READ_TIMEOUT_KEY} {read:g} s): check base_url and that the API is up.")


def _answer_limit(timeout: Any) -> Optional[float]:
    read = timeout[1] if isinstance(timeout, tuple) else timeout
    return None if read is None else ANSWER_READ_TIMEOUTS * float(read)


class AnswerTooSlow(requests.exceptions.ReadTimeout):
    """A whole answer took longer than its deadline (each wait for bytes was within the read timeout)."""


def _too_slow(response: requests.Response, limit: float) -> requests.exceptions.ReadTimeout:
    return AnswerTooSlow(
        f"{_where(response.request)} did not finish its answer within {limit:g} s ({ANSWER_READ_TIMEOUTS} x {READ_TIMEOUT_KEY})",
        request=response.request, response=response)


def _deadline_noted(response: requests.Response, timeout: Any) -> requests.Response:
    limit = _answer_limit(timeout)
    if limit is not None:
        response._answer_deadline = (time.monotonic() + limit, limit)  # type: ignore[attr-defined]
    return response


class AnswerWithin(io.RawIOBase):
    """A response's body read as it arrives (`raw.read1`: urllib3's, or a replayed answer's), given up with a
    ReadTimeout past the answer deadline the transport noted on the response. A streaming decoder
    wraps it in an `io.BufferedReader`; `_whole_answer` reads it to the end."""

    def __init__(self, response: requests.Response) -> None:
        self._response = response
        self._deadline = getattr(response, "_answer_deadline", None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._response.raw.read1(len(buffer))  # decoded as `raw.decode_content` says
        if self._deadline is not None and time.monotonic() > self._deadline[0]:
            raise _too_slow(self._response, self._deadline[1])
        buffer[: len(data)] = data
        return len(data)


def _whole_answer(response: requests.Response, timeout: Any) -> requests.Response:
    """Read the body as `requests` would without `stream`, but give up (a ReadTimeout, which the
    retry rules treat as any timeout) when the whole answer takes longer than ANSWER_READ_TIMEOUTS
    read timeouts."""
    if _answer_limit(timeout) is None or response.raw is None:
        return response
    response.raw.decode_content = True  # as `requests` reads a body: a Content-Encoding undone
    body = AnswerWithin(_deadline_noted(response, timeout))
    try:
        content = b"".join(iter(lambda: body.read(1 << 16), b""))  # what has arrived, up to 64 KiB at a time
    except requests.exceptions.ReadTimeout:
        response.close()
        raise
    except Exception as error:  # what requests would raise reading the body (a cut-off, a bad gzip)
        response.close()
        raise _as_requests_error(error, response) from error
    response._content = content
    response._content_consumed = True
    response.raw.release_conn()
    return response


def _as_requests_error(error: Exception, response: requests.Response) -> Exception:
    from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

    if isinstance(error, ProtocolError):
        return requests.exceptions.ChunkedEncodingError(error, request=response.request)
    if isinstance(error, DecodeError):
        return requests.exceptions.ContentDecodingError(error, request=response.request)
    if isinstance(error, ReadTimeoutError):
        return requests.exceptions.ConnectionError(error, request=response.request)
    if isinstance(error, SSLError):
        return requests.exceptions.SSLError(error, request=response.request)
    return error


def _where(request: requests.PreparedRequest) -> str:
    return f"{request.method} {masked_url(request.url or '', keep_query=False)}"


def _is_token_request(policy: Policy, request: requests.PreparedRequest) -> bool:
    url = (request.url or "").split("?")[0]
    return any(url == token.split("?")[0] for token in policy.token_urls)


def _guard(policy: Policy, request: requests.PreparedRequest, send: Any, streamed: bool) -> requests.Response:
    token = _is_token_request(policy, request)
    try:
        response = send()
    except AnswerTooSlow as error:
        if not policy.strict:
            raise
        raise policy.fail(f"{error}: check {'credentials.token_url' if token else 'base_url'} and that the API is up, "
                          f"or raise {READ_TIMEOUT_KEY} if it is only slow.") from None
    except requests.exceptions.Timeout as error:
        if not policy.strict:
            raise
        connect = isinstance(error, requests.exceptions.ConnectTimeout)
        setting = CONNECT_TIMEOUT_KEY if connect else READ_TIMEOUT_KEY
        seconds = policy.timeout[0 if connect else 1]
        what = "accept the connection" if connect else "answer"
        raise policy.fail(
            f"{_where(request)} did not {what} within {seconds:g} s ({setting}); check "
            f"{'credentials.token_url' if token else 'base_url'} and that the API is up, or raise {setting} if it is only slow."
        ) from None
    except requests.exceptions.ConnectionError:
        if not policy.strict:
            raise
        raise policy.fail(
            f"Could not connect to {_where(request)}: check {'credentials.token_url' if token else 'base_url'} "
            "(host and port) and that this machine can reach it."
        ) from None
    if token:
        _check_token_answer(policy, request, response)
    elif policy.strict:
        _check_api_answer(policy, request, response, streamed)
    return response


def describe_not_the_api(response: requests.Response, streamed: bool = False) -> str:
    """What a 2xx answered instead of the API's JSON ("" when it looks like the API)."""
    content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if streamed:  # the body is the decoder's to read: judge by the headers only
        if "html" in content_type:
            return f"an HTML page ({content_type})"
        if response.headers.get("Content-Length") == "0":
            return "an empty body"
        return ""
    text = response.content.strip()
    if not text:
        return "an empty body"
    try:
        body = json.loads(text)
    except ValueError:
        kind = f"an HTML page ({content_type})" if "html" in content_type or text[:1] == b"<" else f"a body that is not JSON ({content_type or 'no Content-Type'})"
        return kind
    if isinstance(body, dict) and any(body.get(key) for key in _ERROR_KEYS) and not any(isinstance(v, list) and v and key not in _ERROR_KEYS for key, v in body.items()):
        error = next(body[key] for key in _ERROR_KEYS if body.get(key))
        return f"an error object ({str(error)[:200]!r})"
    return ""


def _check_api_answer(policy: Policy, request: requests.PreparedRequest, response: requests.Response, streamed: bool) -> None:
    if not response.ok:
        return  # the manifest's error handler explains 4xx and 5xx
    what = describe_not_the_api(response, streamed)
    if what:
        raise policy.fail(
            f"{_where(request)} answered HTTP {response.status_code} with {what} instead of the API's JSON: "
            "check base_url (it should point at the API, not a website)."
        )


def _check_token_answer(policy: Policy, request: requests.PreparedRequest, response: requests.Response) -> None:
    where = _where(request)
    if response.status_code in (400, 401, 403):
        raise policy.fail(
            f"The token endpoint refused the client credentials ({where} answered HTTP {response.status_code}): "
            "check credentials.client_id, credentials.client_secret and credentials.scope."
        )
    if response.status_code == 404:
        raise policy.fail(f"{where} answered HTTP 404: check credentials.token_url.")
    if response.ok:
        what = describe_not_the_api(response)
        if what:
            raise policy.fail(f"{where} answered HTTP {response.status_code} with {what} instead of a token: check credentials.token_url.")
