"""Record transformations for reshaping one API object into several streams' records.

`UnwrapField` lifts a wrapped object (Rails' `{"order": {...}}` root) into the record itself, and is
a no-op when the record comes unwrapped, so a manifest stays correct under both readings of a doc.
`KeepFields` projects a record onto a fixed list of top-level fields (e.g. an `addresses` stream
carved out of an order): the CDK has `RemoveFields` but nothing that keeps only what is named.
`TrimFractionDigits` cuts ISO 8601 timestamps with more than 6 fraction digits (.NET writes 7) to 6,
so that a cursor (Python's strptime `%f`) can read them.
"""

from __future__ import annotations

import re
from dataclasses import InitVar, dataclass, field
from collections.abc import Mapping
from typing import Any, Dict, List, Optional

from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.types import Config, StreamSlice, StreamState


@dataclass
class UnwrapField(RecordTransformation):
    """Merge the object under `field_name` into the record and drop the wrapper key.

    `{"order": {"id": 1}, "order_id": 7}` -> `{"id": 1, "order_id": 7}`; keys already on the record
    win over the wrapped object's only when `keep_existing` is true (default: the wrapped object wins,
    it is the API's data). Records without the key, or with a non-object under it, are left alone.
    """

    parameters: InitVar[Mapping[str, Any]]
    field_name: str = ""
    keep_existing: bool = False

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        if not self.field_name:
            raise ValueError("UnwrapField needs a field_name")

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        inner = record.get(self.field_name)
        if not isinstance(inner, Mapping):
            return
        del record[self.field_name]
        for key, value in inner.items():
            if self.keep_existing and key in record:
                continue
            record[key] = value


@dataclass
class KeepFields(RecordTransformation):
    """Keep only the named top-level fields, in that order; a named field the record lacks becomes null.

    `renames` maps an output name to the source field it is copied from (`{"order_id": "id"}`), so a
    value is moved as it is, where `AddFields` would render it through Jinja (and turn "0042" into 42).
    """

    parameters: InitVar[Mapping[str, Any]]
    field_names: List[str] = field(default_factory=list)
    renames: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        if not self.field_names:
            raise ValueError("KeepFields needs at least one field name")

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        kept = {name: record.get(self.renames.get(name, name)) for name in self.field_names}
        record.clear()
        record.update(kept)


_FINER_THAN_MICROSECONDS = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.\d{6})\d+(Z|[+-]\d{2}:?\d{2})?$")


@dataclass
class TrimFractionDigits(RecordTransformation):
    """Cut every top-level ISO 8601 timestamp with more than 6 fraction digits to 6.

    `2024-01-01T00:00:00.1234567Z` -> `2024-01-01T00:00:00.123456Z` (the offset is kept). Other
    values, and timestamps with 6 digits or fewer, are left alone; nothing finer than a microsecond
    survives a warehouse timestamp anyway.
    """

    parameters: InitVar[Mapping[str, Any]]

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        for key, value in record.items():
            if isinstance(value, str) and len(value) > 26:
                record[key] = _FINER_THAN_MICROSECONDS.sub(r"\1\2", value)
