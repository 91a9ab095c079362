"""Incoming state the connector cannot use, caught before the read with a sentence.

Decided from the manifest's cursors (every incremental stream here has a `DatetimeBasedCursor`):
- a cursor value that none of the cursor's formats reads (a string in another form, a number), or
  a key the stream's state never holds, is a config error naming the stream and the value, and how
  to reset it: the CDK would fail the read with "Something went wrong";
- a cursor later than now plus `FUTURE_CURSOR_MARGIN` is no point a sync reached (a clock or a hand
  edit put it there) and would read nothing for ever: the stream's state is dropped with a warning,
  so the stream re-reads from its start date and records changed since are not lost (a clamp to now
  would skip them);
- state in the legacy format (one JSON object of stream name -> state, or `LEGACY` messages) is
  read as per-stream state.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Mapping

from airbyte_cdk.sources.declarative.datetime.datetime_parser import DatetimeParser
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.parsers.manifest_component_transformer import ManifestComponentTransformer
from airbyte_cdk.sources.declarative.parsers.manifest_reference_resolver import ManifestReferenceResolver

# a cursor this far ahead of now is still trusted (clock skew, a supplier's zone ahead of UTC)
FUTURE_CURSOR_MARGIN = timedelta(days=2)

# keys the CDK's cursors write besides the cursor field (per-partition, global, concurrent forms)
_CDK_STATE_KEYS = {"states", "state", "parent_state", "lookback_window", "use_global_cursor", "state_type",
                   "slices", "legacy", "partition", "cursor", "low_code", "__ab_no_cursor_state_message",
                   "__ab_full_refresh_sync_complete", "__ab_is_sync_complete"}

RESET_HINT = ("reset the stream (in Airbyte: Refresh or Clear data for it; by hand: remove its entry from the "
              "state file) so it is read again from start_date")


def per_stream_state(raw: Any) -> tuple[list[dict], list[str]]:
    """The state file's JSON as per-stream STATE message dicts, and a note when it was legacy."""
    if not raw:
        return [], []
    if isinstance(raw, Mapping) and raw.get("type") is None:  # legacy: {stream: state}
        return _from_legacy(raw), ["The state is in the legacy format (one object for all streams); it was read as per-stream state."]
    messages = raw if isinstance(raw, list) else [raw]
    out: list[dict] = []
    notes: list[str] = []
    for message in messages:
        if isinstance(message, Mapping) and message.get("type") == "LEGACY":
            out += _from_legacy(message.get("data") or {})
            notes = ["The state is in the legacy format (LEGACY messages); it was read as per-stream state."]
        else:
            out.append(dict(message))
    return out, notes


def _from_legacy(data: Mapping[str, Any]) -> list[dict]:
    return [
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": name}, "stream_state": state}}
        for name, state in data.items()
        if isinstance(state, Mapping)
    ]


def stream_cursors(manifest: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """stream name -> (cursor field, formats its state values may have), for every DatetimeBasedCursor."""
    resolved = ManifestReferenceResolver().preprocess_manifest(copy.deepcopy(dict(manifest)))
    resolved = ManifestComponentTransformer().propagate_types_and_parameters("", resolved, {})
    cursors: dict[str, tuple[str, list[str]]] = {}
    for stream in resolved.get("streams") or []:
        incremental = stream.get("incremental_sync") if isinstance(stream, Mapping) else None
        if not isinstance(incremental, Mapping) or incremental.get("type") != "DatetimeBasedCursor":
            continue
        parameters = incremental.get("$parameters") or {}
        name = stream.get("name") or parameters.get("name")
        field = InterpolatedString.create(str(incremental["cursor_field"]), parameters=parameters).eval(config)
        formats = list(incremental.get("cursor_datetime_formats") or []) + [incremental["datetime_format"]]
        cursors[str(name)] = (str(field), formats)
    return cursors


def _cursor_values(state: Any, field: str) -> Iterator[Any]:
    if isinstance(state, Mapping):
        for key, value in state.items():
            if key == field:
                yield value
            elif isinstance(value, (Mapping, list)):
                yield from _cursor_values(value, field)
    elif isinstance(state, list):
        for item in state:
            yield from _cursor_values(item, field)


def _parse(value: Any, formats: list[str]) -> datetime | None:
    if not isinstance(value, str):
        return None
    for fmt in formats:
        try:
            return DatetimeParser().parse(value, fmt)
        except (ValueError, TypeError):
            continue
    return None


def check_state(messages: list[dict], manifest: Mapping[str, Any], config: Mapping[str, Any],
                now: datetime | None = None) -> tuple[list[dict], list[str], list[str]]:
    """(state to read with, errors, warnings) for per-stream STATE message dicts."""
    now = now or datetime.now(timezone.utc)
    cursors = stream_cursors(manifest, config)
    kept: list[dict] = []
    errors: list[str] = []
    warnings: list[str] = []
    for message in messages:
        stream = message.get("stream") if message.get("type", "STREAM") == "STREAM" else None
        name = ((stream or {}).get("stream_descriptor") or {}).get("name")
        state = (stream or {}).get("stream_state")
        if name not in cursors or not isinstance(state, Mapping):
            kept.append(message)
            continue
        field, formats = cursors[name]
        unknown = sorted(set(state) - _CDK_STATE_KEYS - {field})
        if unknown:
            errors.append(f"The state of stream {name} has {', '.join(map(repr, unknown))}, which this connector never "
                          f"writes (its cursor is {field!r}): {RESET_HINT}.")
            continue
        future = False
        for value in _cursor_values(state, field):
            parsed = _parse(value, formats)
            if parsed is None:
                errors.append(f"The state of stream {name} has {field} = {value!r}, which is not a date in the form this "
                              f"connector writes (like {now.strftime(formats[-1])!r}): {RESET_HINT}.")
                break
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            if parsed > now + FUTURE_CURSOR_MARGIN:
                future = True
                warnings.append(f"The state of stream {name} has {field} = {value!r}, later than now: no sync reached it, "
                                f"and kept it would read nothing for ever. The stream is read again from start_date.")
                break
        else:
            if not future:
                kept.append(message)
    return kept, errors, warnings
