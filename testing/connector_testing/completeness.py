"""The one completeness check: a sync emitted every record the sandbox holds, each primary key once.

The truth comes from the two places that own it: the primary keys from the connector's discovered
catalog (so a test cannot drift from the manifest) and the expected counts from the sandbox
(`SupplierApi.counts()`).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from airbyte_cdk.test import entrypoint_wrapper

from .runs import discover, records_by_stream


@functools.lru_cache(maxsize=None)
def _primary_keys(manifest: str, config_json: str) -> dict[str, list[list[str]]]:
    catalog = discover(manifest, json.loads(config_json)).catalog.catalog
    return {stream.name: stream.source_defined_primary_key or [] for stream in catalog.streams}


def primary_keys(manifest: Path | str, config: dict[str, Any]) -> dict[str, list[list[str]]]:
    """Stream name -> its primary key as discovered (a list of field paths)."""
    return _primary_keys(str(manifest), json.dumps(config, sort_keys=True, default=str))


def _key(record: dict, paths: list[list[str]]) -> tuple:
    def at(path: list[str]) -> Any:
        value: Any = record
        for part in path:
            value = value[part]
        return value

    # as strings: 12 and "12" are one key to a destination that deduplicates
    return tuple(str(at(path)) for path in paths)


def assert_complete(
    output: entrypoint_wrapper.EntrypointOutput,
    server: Any,
    manifest: Path | str,
    config: dict[str, Any],
    streams: Iterable[str] | None = None,
) -> dict[str, list[dict]]:
    """Every stream (those named, or every stream the sandbox counts) emitted exactly the sandbox's
    number of records, no primary key twice, and no other stream emitted any, without an error.
    Returns the records."""
    assert not output.errors, [e.trace.error.message for e in output.errors]
    records = records_by_stream(output)
    expected = server.api.counts()
    if streams is not None:
        expected = {stream: expected[stream] for stream in streams}
    got = {stream: len(records.get(stream, [])) for stream in expected}
    wrong = {stream: f"{got[stream]} records, sandbox has {n}" for stream, n in expected.items() if got[stream] != n}
    assert not wrong, wrong
    unexpected = set(records) - set(expected)
    assert not unexpected, f"records of streams the sandbox does not count: {sorted(unexpected)}"
    keys = primary_keys(manifest, config)
    for stream in expected:
        assert keys.get(stream), f"{stream}: no primary key discovered"
        dupes = [k for k, n in Counter(_key(r, keys[stream]) for r in records.get(stream, [])).items() if n > 1]
        assert not dupes, f"{stream}: duplicate primary keys {dupes[:5]}"
    return records
