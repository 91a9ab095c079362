"""One sentence for every bad config value, for every connector, decided from its spec.

Run by the entry point before the source is built (a value the manifest cannot use would otherwise
surface as a Python error, or not at all), so `check` answers FAILED with the sentence and `read`
or `discover` stop with it as a config error. Each sentence names the setting and what a valid
value looks like; a secret's value is never repeated.

- the spec's JSON schema (types, enums, minimum/maximum, required, patterns);
- a URL setting (a name ending in `url`, or `format: uri`) must be a full http(s) URL with a host;
- a date setting (a name ending in `date`, or `format: date`/`date-time`) must be a real date; one
  in the future is a warning (the sync would read nothing until then), not an error;
- a secret, user name or e-mail must be ASCII: the APIs take them in HTTP headers, which cannot
  carry anything else.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit

import jsonschema

from .dates import parse_datetime

_HEADER_NAMES = ("username", "user", "email", "client_id")


def _path(parts: Any) -> str:
    return ".".join(str(p) for p in parts) or "the config"


def _example(schema: Mapping[str, Any]) -> str:
    examples = schema.get("examples") or ([schema["pattern_descriptor"]] if schema.get("pattern_descriptor") else [])
    return f" such as {examples[0]!r}" if examples else ""


def _schema_sentence(error: jsonschema.ValidationError) -> str:
    name = _path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    secret = bool(schema.get("airbyte_secret"))
    got = "" if secret else f" (got {error.instance!r})"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = f"{name}." if error.absolute_path else ""
        return f"{where}{missing} is required: set it in the connector's configuration."
    if error.validator == "enum":
        return f"{name} must be one of {', '.join(map(repr, error.validator_value))}{got}."
    if error.validator in ("minimum", "exclusiveMinimum"):
        word = "at least" if error.validator == "minimum" else "more than"
        return f"{name} must be {word} {error.validator_value}{got}."
    if error.validator in ("maximum", "exclusiveMaximum"):
        word = "at most" if error.validator == "maximum" else "less than"
        return f"{name} must be {word} {error.validator_value}{got}."
    if error.validator == "type":
        return f"{name} must be a {error.validator_value}{got}."
    if error.validator == "pattern":
        return f"{name} is not in the expected form{_example(schema) or ' (' + error.validator_value + ')'}{got}."
    if error.validator in ("oneOf", "anyOf"):
        return f"{name} matches none of its allowed forms{got if not secret else ''}: check each of its settings."
    return f"{name} is not valid: {error.message if not secret else 'see the connector documentation'}."


def _properties(schema: Mapping[str, Any], config: Mapping[str, Any], prefix: tuple = ()) -> Iterator[tuple[tuple, Mapping[str, Any], Any]]:
    """(path, property schema, value) for every set value, into objects and the chosen oneOf branch."""
    props = dict(schema.get("properties") or {})
    for branch in schema.get("oneOf") or []:  # a oneOf's branches add properties of their own
        props.update({k: v for k, v in (branch.get("properties") or {}).items() if k not in props})
    for key, value in config.items():
        sub = props.get(key, {})
        if isinstance(value, Mapping):
            yield from _properties(sub, value, prefix + (key,))
        else:
            yield prefix + (key,), sub, value


def _is_url_setting(name: str, schema: Mapping[str, Any]) -> bool:
    return name.lower().endswith("url") or schema.get("format") == "uri"


def _is_date_setting(name: str, schema: Mapping[str, Any]) -> bool:
    return name.lower().endswith("date") or schema.get("format") in ("date", "date-time")


def future_date_settings(spec: Mapping[str, Any], config: Mapping[str, Any], now: datetime | None = None) -> list[str]:
    """Top-level date settings whose value lies in the future."""
    now = now or datetime.now(timezone.utc)
    found = []
    for path, schema, value in _properties(spec, config):
        if len(path) == 1 and isinstance(value, str) and value.strip() and _is_date_setting(path[0], schema):
            try:
                parsed = parse_datetime(value)
            except ValueError:
                continue
            if parsed is not None and parsed > now:
                found.append(path[0])
    return found


def config_problems(spec: Mapping[str, Any], config: Mapping[str, Any], now: datetime | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) for the config against the connection specification; errors first."""
    now = now or datetime.now(timezone.utc)
    errors: list[str] = []
    warnings: list[str] = []
    for path, schema, value in _properties(spec, config):
        name, setting = path[-1], _path(path)
        if not isinstance(value, str):
            continue
        if _is_url_setting(name, schema):
            try:
                parts = urlsplit(value.strip())
                ok = parts.scheme in ("http", "https") and bool(parts.hostname)
                parts.port  # noqa: B018 - raises on a port that is not a number
            except ValueError:
                ok = False
            if not ok:
                shown = value if "@" not in value else "(a URL with credentials)"
                errors.append(f"{setting} must be a full URL starting with http:// or https:// and naming a host, "
                              f"such as 'https://api.example.com' (got {shown!r}).")
        elif _is_date_setting(name, schema) and value.strip():
            try:
                parsed = parse_datetime(value)
            except ValueError:
                parsed = None
            if parsed is None:
                errors.append(f"{setting} must be a real date such as '2024-01-31' or '2024-01-31T00:00:00Z' (got {value!r}).")
            elif parsed > now:
                warnings.append(f"{setting} {value!r} is in the future: the streams it limits read nothing until then.")
        elif (schema.get("airbyte_secret") or name.lower() in _HEADER_NAMES) and not value.isascii():
            shown = "" if schema.get("airbyte_secret") else f" (got {value!r})"
            errors.append(f"{setting} contains characters that are not ASCII{shown}; the API takes it in an HTTP header, "
                          "which allows only ASCII: copy the value again from the supplier's portal.")
    if not errors:  # the schema's own rules, where the checks above said nothing
        validator = jsonschema.Draft7Validator(spec)
        for error in sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path)):
            errors.append(_schema_sentence(error))
    return errors, warnings
