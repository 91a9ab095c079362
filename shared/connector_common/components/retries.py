"""The repo's one retry policy, for every declarative source: `SharedRetryErrorHandler`.

A manifest's error handler names only what is its own (its 401/403/4xx messages, and a wait or
retry count where its supplier's doc asks for one); the handler adds the rules every supplier
shares, after the manifest's filters:
- a 2xx page that is not JSON (an HTML maintenance, proxy or login page) is retried, never read as
  an empty page (zero records and an early end of paging would be silent loss);
- 429 and 5xx are retried (the CDK's default mapping), connection errors too;
- a response a manifest filter IGNOREs with an `error_message` is logged as a warning (the CDK
  logs it at INFO), since what it skips never reaches the warehouse.

`RetryWaitStrategy` decides how long each retry waits and when to give up:
- a 429 waits what `Retry-After` asks (seconds or an HTTP date), else backs off exponentially up to
  `max_backoff_seconds`; 429s never count against a retry limit, only against
  `rate_limit_give_up_after_seconds` of waiting for one request;
- other failures wait `Retry-After` when sent, else back off exponentially up to
  `server_error_max_backoff_seconds`, at most `max_server_error_retries` times per request;
- a connection that could not even be opened (refused, unknown host, connect timeout) is retried
  `max_connect_error_retries` times, then reported as a config error naming host and port, so a
  wrong `base_url` fails `check` in seconds.

Why not the CDK's pieces alone: `WaitTimeFromHeader` has no fallback when the header is missing and
fails the stream when a wait is too long; `ExponentialBackoffStrategy` grows without a cap;
`DefaultErrorHandler` bounds 429s and 5xx alike by `max_retries` and a 600 s `max_time`, so two long
rate-limit waits would end a sync. The handler leaves both limits to the strategy.
"""

from __future__ import annotations

import itertools
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
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction
from airbyte_cdk.sources.types import Config
from airbyte_cdk.utils import AirbyteTracedException

from .bodies import json_body, json_or_empty

logger = logging.getLogger("airbyte")

_failures = itertools.count(1)
_failed = 0  # requests given up on (a FAIL response, or retries exhausted) in this process


def requests_given_up() -> int:
    """How many requests this process has given up on: whoever waits for other requests (the
    open-records router) stops waiting when it rises, since the sync has failed."""
    return _failed


def _give_up() -> None:
    global _failed
    _failed = next(_failures)

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
class RetryWaitStrategy(BackoffStrategy):
    parameters: InitVar[Mapping[str, Any]]
    config: Optional[Config] = None
    retry_after_header: str = "Retry-After"
    # headerless 429: initial * 2**(n-1), capped
    rate_limit_initial_backoff_seconds: float = 5.0
    max_backoff_seconds: float = 120.0
    rate_limit_give_up_after_seconds: Optional[float] = 3600.0
    # 5xx and connection errors
    server_error_initial_backoff_seconds: float = 2.0
    server_error_max_backoff_seconds: float = 60.0
    max_server_error_retries: int = 6
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
                _give_up()
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
                _give_up()
                raise AirbyteTracedException(
                    message=(f"Could not connect to the API: {what} on {counts[2]} attempts. Check base_url (host and port) "
                             "and that this machine can reach it"
                             + (", or raise connect_timeout_seconds." if isinstance(response_or_exception, requests.exceptions.ConnectTimeout) else ".")),
                    internal_message=f"connection retries exhausted: {what}",
                    failure_type=FailureType.config_error,
                )
            if isinstance(response_or_exception, requests.exceptions.Timeout):
                hint = (" It did not answer within read_timeout_seconds: check base_url and that the API is up, "
                        "or raise read_timeout_seconds if it is only slow.")
            elif not isinstance(response_or_exception, requests.Response):
                hint = " If it persists, check base_url and the network."
            elif _non_json_type(response_or_exception):
                hint = " If it persists, check base_url: a web page where the API should answer often means it points at a website."
            else:
                hint = ""
            _give_up()
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


def is_non_json_page(response_or_exception: Any) -> bool:
    """A 2xx answer that declares a non-JSON type and does not decode to JSON content: not the API."""
    return (
        isinstance(response_or_exception, requests.Response)
        and response_or_exception.ok
        and bool(_non_json_type(response_or_exception))
        and not json_body(response_or_exception)
    )


@dataclass
class SharedRetryErrorHandler(DefaultErrorHandler):
    """The manifest's response filters, then the shared retry rules; waits by `RetryWaitStrategy`.

    Set a wait or a retry count here only where the supplier's doc asks for one; the defaults
    are the common case. `retry_non_json_pages: false` is for a stream whose decoder reads the
    body as a stream and handles a non-JSON page itself (reading it here would buffer it whole).
    """

    rate_limit_initial_backoff_seconds: float = RetryWaitStrategy.rate_limit_initial_backoff_seconds
    max_backoff_seconds: float = RetryWaitStrategy.max_backoff_seconds
    rate_limit_give_up_after_seconds: Optional[float] = RetryWaitStrategy.rate_limit_give_up_after_seconds
    server_error_initial_backoff_seconds: float = RetryWaitStrategy.server_error_initial_backoff_seconds
    server_error_max_backoff_seconds: float = RetryWaitStrategy.server_error_max_backoff_seconds
    max_server_error_retries: int = RetryWaitStrategy.max_server_error_retries
    max_connect_error_retries: int = RetryWaitStrategy.max_connect_error_retries
    retry_after_header: str = "Retry-After"
    rate_limit_reason: str = ""
    retry_non_json_pages: bool = True

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        for response_filter in self.response_filters or []:
            # a filter's templates read the body parsed once for the response (`bodies`), not a
            # parse of their own with the standard library for every page
            response_filter._safe_response_json = json_or_empty  # type: ignore[method-assign]
        self.max_retries = UNBOUNDED_RETRIES
        self.max_time = UNBOUNDED_SECONDS
        if not self.backoff_strategies:
            self.backoff_strategies = [
                RetryWaitStrategy(
                    parameters=parameters,
                    config=self.config,
                    retry_after_header=self.retry_after_header,
                    rate_limit_initial_backoff_seconds=self.rate_limit_initial_backoff_seconds,
                    max_backoff_seconds=self.max_backoff_seconds,
                    rate_limit_give_up_after_seconds=self.rate_limit_give_up_after_seconds,
                    server_error_initial_backoff_seconds=self.server_error_initial_backoff_seconds,
                    server_error_max_backoff_seconds=self.server_error_max_backoff_seconds,
                    max_server_error_retries=self.max_server_error_retries,
                    max_connect_error_retries=self.max_connect_error_retries,
                    rate_limit_reason=self.rate_limit_reason,
                )
            ]

    def interpret_response(self, response_or_exception: Optional[Union[requests.Response, Exception]]) -> ErrorResolution:
        resolution = super().interpret_response(response_or_exception)
        if resolution.response_action == ResponseAction.FAIL:
            _give_up()
        if resolution.response_action == ResponseAction.IGNORE and resolution.error_message:
            # The CDK logs an ignored response at INFO; a response skipped on purpose (a module the
            # account lacks) is data the user does not get, so it is a WARN in the sync's log. The
            # CDK's own INFO line then names only the request.
            logger.warning(resolution.error_message)
            return ErrorResolution(response_action=ResponseAction.IGNORE, failure_type=resolution.failure_type)
        if (resolution.response_action == ResponseAction.SUCCESS and self.retry_non_json_pages
                and is_non_json_page(response_or_exception)):
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=f"{_describe(response_or_exception)}; retrying.",
            )
        return resolution
