"""Retry waits for APIs that rate-limit with 429 and ask for long pauses.

Why not the CDK's own pieces alone:
- `WaitTimeFromHeader` has no fallback when the header is missing, and its
  `max_waiting_time_in_seconds` *fails the stream* when a wait is too long rather than capping it.
- `ExponentialBackoffStrategy` grows without a cap.
- `DefaultErrorHandler` bounds every retry (429 and 5xx alike) by `max_retries` (default 5) and by
  `max_time` = 600 s, which the manifest cannot change: two 5-minute waits end the sync.

`RateLimitBackoffStrategy` waits, on a 429, what `Retry-After` asks (seconds or an HTTP date) and
otherwise backs off exponentially up to `max_backoff_seconds`, logging why the sync is waiting.
429s are not counted against a retry limit: the request is retried until it succeeds, unless
`rate_limit_give_up_after_seconds` (total waited for one request) is set and would be exceeded.
Other retryable failures (5xx, an HTML page for JSON, connection errors) wait what `Retry-After`
asks when the response sends one, else back off exponentially up to
`server_error_max_backoff_seconds`, at most `max_server_error_retries` times per request. A
connection that could not even be opened (refused, unknown host, connect timeout) is retried only
`max_connect_error_retries` times, then reported as a config error naming host and port: a wrong
`base_url` fails `check` in seconds, not minutes.

Every connector's error handler is this pair (one retry policy across the repo); each sets its
waits and retry counts in its manifest.

`PatientErrorHandler` is the `DefaultErrorHandler` with the retry count and time left to the
strategy above (both set out of reach), so the strategy's rules are the only ones that apply.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import InitVar, dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Mapping, Optional, Union

import requests
import urllib3
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy
from airbyte_cdk.sources.types import Config
from airbyte_cdk.utils import AirbyteTracedException

logger = logging.getLogger("airbyte")

# Large enough to never be the limit: the strategy decides when to give up.
UNBOUNDED_RETRIES = 1_000_000
UNBOUNDED_SECONDS = 10 * 365 * 24 * 3600


def retry_after_seconds(response: requests.Response, header: str = "Retry-After", now: Optional[datetime] = None) -> Optional[float]:
    """The wait a `Retry-After` header asks for, in seconds (delta-seconds or HTTP-date), else None."""
    value = response.headers.get(header)
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _non_json_type(response: requests.Response) -> str:
    """The response's Content-Type when it names something other than JSON (an HTML page), else ""."""
    content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
    return content_type if content_type and "json" not in content_type.lower() else ""


def _describe(response_or_exception: Any) -> str:
    if isinstance(response_or_exception, requests.Response):
        request = response_or_exception.request
        path = requests.utils.urlparse(response_or_exception.url or "").path  # never the query string
        method = request.method if request is not None else "GET"
        content_type = _non_json_type(response_or_exception)
        body = f" with {content_type} instead of JSON" if content_type else ""
        return f"{method} {path} answered HTTP {response_or_exception.status_code}{body}"
    if isinstance(response_or_exception, Exception):
        # name where it was going (scheme, host, port, path; never credentials or the query string):
        # a connection refused usually means a wrong base_url
        request = getattr(response_or_exception, "request", None)
        where = ""
        if request is not None and getattr(request, "url", None):
            url = requests.utils.urlparse(request.url)
            host = f"{url.hostname}:{url.port}" if url.port else (url.hostname or "")
            where = f" {request.method} {url.scheme}://{host}{url.path}"
        return f"the request{where} failed ({type(response_or_exception).__name__})"
    return "the request failed"


def _never_connected(response_or_exception: Any) -> bool:
    """True for a request that never reached the server: connection refused, unknown host, connect timeout."""
    if isinstance(response_or_exception, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(response_or_exception, requests.exceptions.ConnectionError):
        return False
    reason = response_or_exception.args[0] if response_or_exception.args else None
    reason = getattr(reason, "reason", reason)  # requests wraps urllib3's MaxRetryError(reason=...)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)  # NameResolutionError included


@dataclass
class RateLimitBackoffStrategy(BackoffStrategy):
    parameters: InitVar[Mapping[str, Any]]
    config: Optional[Config] = None
    retry_after_header: str = "Retry-After"
    # headerless 429: initial * 2**(n-1), capped
    rate_limit_initial_backoff_seconds: float = 10.0
    max_backoff_seconds: float = 300.0
    rate_limit_give_up_after_seconds: Optional[float] = None
    # 5xx and connection errors
    server_error_initial_backoff_seconds: float = 2.0
    server_error_max_backoff_seconds: float = 60.0
    max_server_error_retries: int = 8
    # a connection that could not even be opened (refused, unknown host, connect timeout) is usually a
    # wrong base_url: fewer retries, so `check` says so in seconds rather than minutes
    max_connect_error_retries: int = 3
    # why the API wants the pause, for the log line (e.g. "the API's docs say to wait 5 minutes")
    rate_limit_reason: str = ""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        # per request: [429 retries, seconds waited on 429s, other retries]; weak so finished requests go
        self._tally: "weakref.WeakKeyDictionary[Any, list]" = weakref.WeakKeyDictionary()
        self._fallback_tally: dict[int, list] = {}

    def _counts(self, response_or_exception: Any) -> list:
        request = getattr(response_or_exception, "request", None)
        if request is None:
            return self._fallback_tally.setdefault(0, [0, 0.0, 0])
        try:
            return self._tally.setdefault(request, [0, 0.0, 0])
        except TypeError:
            return self._fallback_tally.setdefault(id(request), [0, 0.0, 0])

    def backoff_time(
        self,
        response_or_exception: Optional[Union[requests.Response, requests.RequestException]],
        attempt_count: int,
    ) -> Optional[float]:
        counts = self._counts(response_or_exception)
        what = _describe(response_or_exception)
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code == 429:
            counts[0] += 1
            asked = retry_after_seconds(response_or_exception, self.retry_after_header)
            if asked is not None:
                wait = asked
                why = f"its {self.retry_after_header} header asks for {asked:g} s"
            else:
                wait = min(float(self.max_backoff_seconds), float(self.rate_limit_initial_backoff_seconds) * 2 ** (counts[0] - 1))
                why = (
                    f"it sent no {self.retry_after_header} header, so backing off exponentially up to "
                    f"{self.max_backoff_seconds:g} s" + (f" ({self.rate_limit_reason})" if self.rate_limit_reason else "")
                )
            limit = self.rate_limit_give_up_after_seconds
            if limit is not None and counts[1] + wait > float(limit):
                raise AirbyteTracedException(
                    message=(
                        f"The API kept rate-limiting this sync (HTTP 429 Too Many Requests): {counts[0]} times on one request, "
                        f"{counts[1]:g} s waited, and the next wait ({wait:g} s) would pass the {float(limit):g} s this connector "
                        "is allowed to wait. Try the sync again later."
                    ),
                    internal_message=f"rate limit budget exhausted: {what}",
                    failure_type=FailureType.transient_error,
                )
            counts[1] += wait
            logger.warning(
                f"Rate limited: {what} (Too Many Requests). Waiting {wait:g} s before retrying, because {why}. "
                f"Rate-limit retry {counts[0]} for this request; the sync keeps going, nothing is skipped."
            )
            # The CDK treats a falsy wait as "no strategy answered": keep a tiny positive wait instead.
            return max(wait, 0.001)
        counts[2] += 1
        never_connected = _never_connected(response_or_exception)
        limit = int(self.max_connect_error_retries) if never_connected else int(self.max_server_error_retries)
        if counts[2] > limit:
            if never_connected:
                raise AirbyteTracedException(
                    message=(f"Could not connect to the API: {what} on {counts[2]} attempts. Check base_url (host and port) "
                             "and that this machine can reach it."),
                    internal_message=f"connection retries exhausted: {what}",
                    failure_type=FailureType.config_error,
                )
            if not isinstance(response_or_exception, requests.Response):
                hint = " If it persists, check base_url and the network."
            elif _non_json_type(response_or_exception):
                hint = " If it persists, check base_url: a web page where the API should answer often means it points at a website."
            else:
                hint = ""
            raise AirbyteTracedException(
                message=f"The API kept failing: {what} on {counts[2]} attempts. Try the sync again later.{hint}",
                internal_message=f"server error retries exhausted: {what}",
                failure_type=FailureType.transient_error,
            )
        asked = retry_after_seconds(response_or_exception, self.retry_after_header) if isinstance(response_or_exception, requests.Response) else None
        if asked is not None:  # a 503 that says when to come back
            wait = asked
        else:
            wait = min(float(self.server_error_max_backoff_seconds), float(self.server_error_initial_backoff_seconds) * 2 ** (counts[2] - 1))
        logger.warning(f"{what[0].upper()}{what[1:]}; waiting {wait:g} s before retry {counts[2]} of {limit}.")
        return max(wait, 0.001)


@dataclass
class PatientErrorHandler(DefaultErrorHandler):
    """`DefaultErrorHandler` whose retry count and total time never cut a retry short.

    Use with `RateLimitBackoffStrategy`, which decides when to give up.
    """

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.max_retries = UNBOUNDED_RETRIES
        self.max_time = UNBOUNDED_SECONDS
