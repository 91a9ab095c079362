"""A small HTTP client for Python connectors that write (destinations) or need calls outside a manifest.

What it does, so each connector does not redo it:
- one `requests.Session` per client, timeouts on every call, a base URL (its query string, where
  a gateway wants a key there, is sent with every request to it);
- bearer auth from a static token or an OAuth2 client-credentials grant (token cached until expiry,
  refreshed once on a 401);
- retries: 429 always (honouring `Retry-After`, capped), 5xx, timeouts and connection errors with
  exponential backoff, but only for requests the caller marks `idempotent=True`. For a write that is
  not idempotent, an answer that leaves it unknown whether the server committed (timeout after send,
  dropped connection, 5xx) raises `AmbiguousWriteError` at once: the caller must look before it
  writes again;
- error mapping: 401/403 -> `ConfigError` naming the credential to fix; other 4xx -> `ApiError`
  with the API's own message (RFC 7807 `ValidationProblemDetails` bodies are flattened);
- a 2xx that is not the API's JSON (an empty body, an HTML page, an error object: `transport`'s
  reading) is never a success: a read is retried, a write is ambiguous;
- exhausted retries name the request's host, path and the setting to fix or raise
  (`connect_timeout_seconds`, `read_timeout_seconds`, the URL setting);
- logging that never carries a secret: method, path, status and duration only, and every message
  passed through the CDK's secret filter.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .components.retries import retry_after_seconds
from .masking import masked_url
from .transport import CONNECT_TIMEOUT_KEY, READ_TIMEOUT_KEY, describe_not_the_api

log = logging.getLogger("airbyte")

DEFAULT_TIMEOUT = (10.0, 60.0)  # connect, read (seconds)


class ConfigError(AirbyteTracedException):
    """The config is wrong (credentials, permissions, URL): retrying cannot help."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)


class ApiError(Exception):
    """The API refused the request with a 4xx other than 401/403/429 (for example 400 validation)."""

    def __init__(self, status: int, message: str, method: str = "", path: str = "") -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.method = method
        self.path = path


class TransientError(Exception):
    """Retries were exhausted on 429/5xx/network errors."""


class AmbiguousWriteError(Exception):
    """A non-idempotent write may or may not have been committed (timeout, dropped connection, 5xx)."""

    def __init__(self, reason: str, method: str, path: str) -> None:
        super().__init__(f"{method} {path}: {reason}")
        self.reason = reason
        self.method = method
        self.path = path


def api_message(response: requests.Response) -> str:
    """The API's own explanation of an error, flattened to one line (ValidationProblemDetails aware)."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return text[:300] or (response.reason or f"HTTP {response.status_code}")
    if not isinstance(body, dict):
        return str(body)[:300]
    parts: list[str] = []
    for key in ("title", "detail", "message", "error"):
        value = body.get(key)
        if isinstance(value, str) and value and value not in parts:
            parts.append(value)
    errors = body.get("errors")
    if isinstance(errors, dict):
        for field, messages in errors.items():
            if isinstance(messages, list):
                messages = "; ".join(map(str, messages))
            parts.append(f"{field}: {messages}")
    elif isinstance(errors, list):
        parts.extend(map(str, errors))
    return " | ".join(parts)[:1000] or f"HTTP {response.status_code}"


# -- auth ---------------------------------------------------------------------------------------
class TokenProvider:
    """Gives the bearer token; `invalidate` forgets a cached one after a 401."""

    credential_hint = "the credentials"

    def token(self, client: "HttpClient") -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def invalidate(self) -> None:
        pass

    @property
    def refreshable(self) -> bool:
        return False


@dataclass
class StaticToken(TokenProvider):
    access_token: str
    credential_hint: str = "credentials.access_token"

    def __post_init__(self) -> None:
        add_to_secrets(self.access_token)

    def token(self, client: "HttpClient") -> str:
        return self.access_token


class ClientCredentials(TokenProvider):
    """OAuth2 client-credentials grant: POST form to `token_url`, cache until `expires_in` (minus a margin
    of `expiry_margin` seconds or a tenth of the lifetime, whichever is shorter).

    The token request goes through the client's own retry policy (`HttpClient.send`): asking for a
    token again is harmless, so it is retried like any idempotent request.
    """

    credential_hint = "credentials.client_id / credentials.client_secret"

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        *,
        expiry_margin: float = 30.0,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.expiry_margin = expiry_margin
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        add_to_secrets(client_secret)

    @property
    def refreshable(self) -> bool:
        return True

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def token(self, client: "HttpClient") -> str:
        with self._lock:
            if self._token and time.monotonic() < self._expires_at:
                return self._token
            self._token, lifetime = self._fetch(client)
            add_to_secrets(self._token)
            # renew ahead of expiry, but never by more than a tenth of the token's life: a 2 s token
            # must still serve 1.8 s of requests, not be fetched again for every one
            margin = min(self.expiry_margin, lifetime / 10)
            self._expires_at = time.monotonic() + max(0.0, lifetime - margin)
            return self._token

    def _fetch(self, client: "HttpClient") -> tuple[str, float]:
        data = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}
        if self.scope:
            data["scope"] = self.scope
        response = client.send("POST", self.token_url, idempotent=True, setting="credentials.token_url",
                               data=data, headers={"Accept": "application/json"})
        if response.status_code in (400, 401, 403):
            raise ConfigError(
                f"The token endpoint refused the client credentials (HTTP {response.status_code}: "
                f"{filter_secrets(api_message(response))}). Check {self.credential_hint}, "
                "credentials.token_url and credentials.scope."
            )
        if response.status_code >= 300:
            raise ConfigError(f"The token endpoint answered HTTP {response.status_code}; check credentials.token_url.")
        try:
            body = response.json()
            token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            raise ConfigError("The token endpoint's answer has no access_token; check credentials.token_url.") from None
        lifetime = float(body.get("expires_in") or 3600)
        return token, lifetime


def token_provider_from_config(credentials: Mapping[str, Any]) -> TokenProvider:
    """The Airbyte `credentials` oneOf used by our Yodify-style connectors."""
    auth_type = credentials.get("auth_type", "access_token")
    if auth_type == "access_token":
        return StaticToken(credentials["access_token"])
    if auth_type == "oauth2_client_credentials":
        return ClientCredentials(
            credentials["token_url"],
            credentials["client_id"],
            credentials["client_secret"],
            credentials.get("scope"),
        )
    raise ConfigError(f"credentials.auth_type {auth_type!r} is not one of access_token, oauth2_client_credentials.")


# -- retries ------------------------------------------------------------------------------------
def backoff_delay(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with full jitter: attempt 1 -> up to `base`, doubling, never above `cap`."""
    return random.uniform(0, min(cap, base * (2 ** (attempt - 1))))


def retry_after(response: requests.Response, default: float = 1.0, cap: float = 300.0) -> float:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date, parsed as the sources'
    backoff parses it), capped; `default` without one."""
    asked = retry_after_seconds(response)
    return min(default if asked is None else asked, cap)


# Errors raised before the request could reach the server: retrying a write after these is safe.
_NOT_SENT = (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)


def _never_sent(exc: requests.RequestException) -> bool:
    if isinstance(exc, _NOT_SENT):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        return "NewConnectionError" in text or "Connection refused" in text or "Failed to resolve" in text
    return False


class HttpClient:
    """JSON over HTTP with auth, retries and error mapping. Thread-safe for concurrent calls."""

    def __init__(
        self,
        base_url: str,
        auth: TokenProvider,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 5,
        max_429_retries: int = 20,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        retry_after_cap: float = 300.0,
        pool_size: int = 16,
        user_agent: str = "airbyte-connector",
        sleep: Callable[[float], None] = time.sleep,
        logger: logging.Logger = log,
    ) -> None:
        parts = urlsplit(base_url.strip())
        self.base_url = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        self.base_query = parts.query
        self.auth = auth
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_429_retries = max_429_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_after_cap = retry_after_cap
        self.sleep = sleep
        self.logger = logger
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": "application/json", "User-Agent": user_agent})
        self.stats = {"requests": 0, "retries_429": 0, "retries_5xx": 0, "retries_network": 0, "ambiguous": 0}
        self._stats_lock = threading.Lock()

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self.stats[key] += 1

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        url = f"{self.base_url}/{path.lstrip('/')}"
        if self.base_query:
            url += ("&" if "?" in url else "?") + self.base_query
        return url

    def _where(self, method: str, url: str) -> str:
        return f"{method} {masked_url(url, keep_query=False)}"

    def _unanswered(self, method: str, url: str, exc: requests.RequestException, setting: str) -> str:
        """The sentence for a request that got no answer in any of its attempts."""
        where, tries = self._where(method, url), f"{self.max_retries} retries"
        if isinstance(exc, requests.exceptions.Timeout):
            connect = isinstance(exc, requests.exceptions.ConnectTimeout)
            key = CONNECT_TIMEOUT_KEY if connect else READ_TIMEOUT_KEY
            what = "accept the connection" if connect else "answer"
            return (f"{where} did not {what} within {self.timeout[0 if connect else 1]:g} s ({key}) in {tries}: "
                    f"check {setting} and that the API is up, or raise {key} if it is only slow.")
        if isinstance(exc, requests.exceptions.ConnectionError):
            return (f"Could not connect to {where} in {tries} ({type(exc).__name__}): check {setting} (host and port) "
                    "and that this machine can reach it.")
        return f"{where}: {type(exc).__name__}, {tries} exhausted."

    def send(self, method: str, url: str, *, idempotent: bool, setting: str = "base_url", **kwargs: Any) -> requests.Response:
        """One request through the retry policy; returns the first answer that is not retried.

        429 is always retried (it was not processed) and does not use up the error budget; 5xx,
        timeouts and dropped connections are retried `max_retries` times when `idempotent`, and
        otherwise raise `AmbiguousWriteError` at once (unless the request never left this machine).
        `kwargs` go to `requests` (params, json, data, headers); `setting` is the config setting a
        failure names.
        """
        method = method.upper()
        path = requests.utils.urlparse(url).path or "/"  # what the log names: never the query or a host's credentials
        attempt = 0
        throttled = 0
        while True:
            attempt += 1
            started = time.monotonic()
            self._count("requests")
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.RequestException as exc:
                kind = type(exc).__name__
                self.logger.warning(filter_secrets(f"{method} {path}: {kind} after {time.monotonic() - started:.2f}s (attempt {attempt})"))
                if not idempotent and not _never_sent(exc):
                    self._count("ambiguous")
                    raise AmbiguousWriteError(kind, method, path) from None
                if attempt > self.max_retries:
                    raise TransientError(self._unanswered(method, url, exc, setting)) from None
                self._count("retries_network")
                self.sleep(backoff_delay(attempt, self.backoff_base, self.backoff_cap))
                continue
            status = response.status_code
            self.logger.debug("%s %s -> %s in %.3fs", method, path, status, time.monotonic() - started)
            if status == 429:
                throttled += 1
                attempt -= 1  # a 429 was not processed: it does not use up the error budget
                if throttled > self.max_429_retries:
                    raise TransientError(f"{method} {path}: still rate limited after {self.max_429_retries} waits")
                self._count("retries_429")
                wait = retry_after(response, default=backoff_delay(throttled, self.backoff_base, self.backoff_cap), cap=self.retry_after_cap)
                self.logger.info(f"{method} {path}: rate limited, waiting {wait:.1f}s")
                self.sleep(wait)
                continue
            if status >= 500:
                if not idempotent:
                    self._count("ambiguous")
                    raise AmbiguousWriteError(f"HTTP {status}", method, path)
                if attempt > self.max_retries:
                    raise TransientError(f"{method} {path}: HTTP {status}, {self.max_retries} retries exhausted")
                self._count("retries_5xx")
                self.logger.info(f"{method} {path}: HTTP {status}, retrying (attempt {attempt})")
                self.sleep(backoff_delay(attempt, self.backoff_base, self.backoff_cap))
                continue
            return response

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send the request with the bearer token; return the parsed JSON body (None for a 204).

        `idempotent` defaults to True for GET/PUT/DELETE/HEAD and False for POST/PATCH.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in ("GET", "PUT", "DELETE", "HEAD", "OPTIONS")
        url = self.url(path)
        unreadable = 0
        refreshed = False
        while True:
            headers = {"Authorization": f"Bearer {self.auth.token(self)}"}
            response = self.send(method, url, idempotent=idempotent, params=params, json=json, headers=headers)
            status = response.status_code
            if status == 401:
                if self.auth.refreshable and not refreshed:
                    refreshed = True
                    self.auth.invalidate()
                    continue
                raise ConfigError(
                    f"Authentication failed (HTTP 401) for {method} {path}: the API did not accept "
                    f"{self.auth.credential_hint}. Check that it is current and belongs to this base_url."
                )
            if status == 403:
                raise ConfigError(
                    f"Permission denied (HTTP 403) for {method} {path}: {self.auth.credential_hint} is valid but "
                    "not allowed to do this. Grant the token write access (scope) or use another one."
                )
            if status >= 400:
                raise ApiError(status, filter_secrets(api_message(response)), method, path)
            if status == 204:
                return None
            what = describe_not_the_api(response)
            if not what:
                return response.json()
            if not idempotent:
                # a 2xx that is not the object written may or may not have committed: the caller
                # finds the object by its key before it writes again
                self._count("ambiguous")
                raise AmbiguousWriteError(f"HTTP {status} with {what}", method, path)
            unreadable += 1
            if unreadable > self.max_retries:
                raise TransientError(
                    f"{self._where(method, url)} answered HTTP {status} with {what} instead of the API's JSON "
                    f"in {self.max_retries} retries: check base_url (it should point at the API, not a website)."
                )
            self._count("retries_network")
            self.logger.info(f"{method} {path}: HTTP {status} with {what}, retrying (attempt {unreadable})")
            self.sleep(backoff_delay(unreadable, self.backoff_base, self.backoff_cap))
            continue

    def get(self, path: str, params: Any = None) -> Any:
        return self.request("GET", path, params=params)

    def close(self) -> None:
        self.session.close()
