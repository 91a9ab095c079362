"""Secrets that hide inside URLs: a password in a URL's userinfo, a key in its query string.

The CDK masks the config values its spec marks `airbyte_secret`; a `base_url` of
`https://user:PASSWORD@host/` or `...?api_key=KEY` is not one, yet requests, tracebacks and log
lines carry it. `register_url_secrets` adds those parts (and the Basic header requests derives
from the userinfo) to the CDK's secret filter, so every message, log line and `--debug` output
masks them; `masked_url` is the form to put in a sentence.
"""

from __future__ import annotations

import base64
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets

# query parameters that carry a credential (compared lower-case, without - and _)
_SECRET_PARAMS = {"key", "apikey", "apitoken", "token", "accesstoken", "authtoken", "secret", "clientsecret",
                  "password", "pass", "pwd", "sig", "signature", "auth", "authorization", "sessionid"}
MASK = "****"


def _is_secret_param(name: str) -> bool:
    return name.lower().replace("-", "").replace("_", "") in _SECRET_PARAMS


def url_secrets(url: str) -> list[str]:
    """The credential parts of one URL, in every form they can take in output."""
    try:
        parts = urlsplit(url)
        password = parts.password
        username = parts.username
    except ValueError:
        return []
    found: list[str] = []
    if password:
        for form in {password, unquote(password)}:
            found.append(form)
            user = unquote(username or "")
            found.append(base64.b64encode(f"{user}:{form}".encode()).decode())  # requests' Basic header
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if _is_secret_param(name) and value:
            found += [value, quote(value, safe="")]
    return [s for s in dict.fromkeys(found) if s]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def register_url_secrets(config: Mapping[str, Any] | None) -> list[str]:
    """Add the credentials inside every URL of the config to the CDK's secret filter."""
    secrets: list[str] = []
    for value in _strings(config or {}):
        if "://" in value:
            secrets += url_secrets(value.strip())
    for secret in secrets:
        add_to_secrets(secret)
    return secrets


def masked_url(url: str, keep_query: bool = True) -> str:
    """The URL with its userinfo password and credential query values replaced by ****."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return MASK
    netloc = f"{host}:{port}" if port else host
    if parts.username:
        netloc = f"{parts.username}{':' + MASK if parts.password else ''}@{netloc}"
    query = ""
    if keep_query and parts.query:
        query = "&".join(f"{k}={MASK if _is_secret_param(k) else v}" for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
