"""The CDK's RecordExpander without its `dpath` walk, for the glob-free paths every manifest here uses.

`RecordExpander.expand_record` finds the list to expand with `dpath.values(record, path)`, which
walks and glob-matches every node of the record even when the path has no glob (65-80% of the
read CPU of yodify `order_items`, measured in bench/RESULTS.md). `expand` looks a glob-free path
up directly, the way the expander already looks up its `parent_fields`, and builds each item with
the expander's own `_apply_parent_context`; every other case (a glob, `merge_parent`, a truncation
indicator, a non-mapping record) is the expander's own `expand_record`. Same records, same order.

`DirectPathExtractor` is a DpathExtractor that expands through `expand`:

    extractor:
      type: CustomRecordExtractor
      class_name: connector_common.components.expansion.DirectPathExtractor
      field_path: []
      record_expander:
        type: RecordExpander
        expand_records_from_field: [shipments]
        parent_fields:
          - {type: ParentFieldPath, parent_path: [id], record_path: [order_id]}
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Iterable, MutableMapping

import dpath
import requests
from airbyte_cdk.sources.declarative.expanders.record_expander import (
    _GLOB_METACHARACTERS,
    _MISSING,
    OnNoRecords,
    RecordExpander,
)
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor


def _lookup(record: Any, path: Any) -> Any:
    """The CDK's `record_expander._lookup` (value at a glob-free path, keys compared as strings, a
    list segment an index), with `collections.abc` instead of `typing.Mapping`, whose
    `isinstance` goes through typing's Python-level checks (a third of the expansion's CPU)."""
    value = record
    for segment in path:
        if isinstance(value, Mapping):
            key = str(segment)
            if key not in value:
                return _MISSING
            value = value[key]
        elif isinstance(value, list):
            try:
                index = int(segment)
            except (TypeError, ValueError):
                return _MISSING
            if not -len(value) <= index < len(value):
                return _MISSING
            value = value[index]
        else:
            return _MISSING
    return value


def _detached(value: Any) -> Any:
    """The CDK's `record_expander._detached`: a container deep-copied, a scalar as it is."""
    return copy.deepcopy(value) if isinstance(value, (Mapping, list, set, tuple)) else value


def _has_glob(path: list[Any]) -> bool:
    return any(isinstance(s, str) and any(c in s for c in _GLOB_METACHARACTERS) for s in path)


def expand(expander: RecordExpander, record: Any) -> Iterable[Any]:
    """What `expander.expand_record(record)` yields, without walking the record for a glob-free path."""
    path = expander._evaluated_expand_path() if isinstance(record, Mapping) else []
    if not path or _has_glob(path) or expander.merge_parent or expander.truncation_indicator_path:
        yield from expander.expand_record(record)
        return
    found = _lookup(record, path)
    items = found if found is not _MISSING and isinstance(found, list) else []
    carries_context = expander._carries_parent_context()
    for item in items:
        if isinstance(item, dict):
            yield with_parent_context(expander, record, dict(item))
        elif carries_context:
            yield with_parent_context(expander, record, {"value": item})
        else:
            yield item
    if not items and expander.on_no_records == OnNoRecords.emit_parent:
        yield record


def with_parent_context(expander: RecordExpander, parent: Mapping[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """`expander._apply_parent_context(parent, child, None)`, a parent field with a one-key
    `record_path` set directly (the CDK writes each with `dpath.new`: a sixth of a vidaXL line's CPU)."""
    if expander.remain_original_record:
        return expander._apply_parent_context(parent, child, None)
    for parent_field in expander.parent_fields or []:
        path = parent_field._evaluated_record_path
        if len(path) == 1 and isinstance(path[0], str):
            value = _lookup(parent, parent_field._evaluated_parent_path)
            child[path[0]] = None if value is _MISSING else _detached(value)
        else:
            parent_field.copy_onto(parent, child)
    return child


@dataclass
class DirectPathExtractor(DpathExtractor):
    """DpathExtractor (same `field_path`, `decoder`, `record_expander`) expanding through `expand`."""

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        for body in self.decoder.decode(response):
            yield from extracted_records(self, body)


def extracted_records(extractor: DpathExtractor, body: Any) -> Iterable[Any]:
    """DpathExtractor's walk of one decoded body (field path, then the optional expander)."""
    if not extractor._field_path:
        extracted = body
    else:
        path = [p.eval(extractor.config) for p in extractor._field_path]
        extracted = dpath.values(body, path) if "*" in path else dpath.get(body, path, default=[])
    if isinstance(extracted, list):
        records = extracted
    elif extracted:
        records = [extracted]
    else:
        return
    if not extractor.record_expander:
        yield from records
        return
    for record in records:
        yield from expand(extractor.record_expander, record)
