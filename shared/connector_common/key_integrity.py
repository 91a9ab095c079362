"""Primary keys a deduplicating destination relies on, watched on every `read`.

- A record whose primary key has a null (or missing) part is logged as a warning with its stream,
  once per stream, and counted; the count is in the summary at the end. It is still emitted: the
  destination decides, the user learns why a row collides.
- A second record with a key already seen in this sync is a legitimate update when its cursor
  value is later than the first one's (the record changed while the sync was reading: every
  supplier's doc says records change after they are created, and the later version is the current
  one). Otherwise it is logged: the same version twice points at paging that shifted under the
  read, which can also skip records.

Keys are kept as 64-bit hashes, up to `MAX_TRACKED_KEYS` per stream, so memory stays bounded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, Iterator

from airbyte_cdk.models import AirbyteLogMessage, AirbyteMessage, Level, Type

logger = logging.getLogger("airbyte")

MAX_TRACKED_KEYS = 2_000_000


def _paths(value: Any) -> list[list[str]]:
    """A manifest's primary_key (`id`, `[a, b]` or `[[a], [b, c]]`) as field paths."""
    if not value:
        return []
    if isinstance(value, str):
        return [[value]]
    return [p if isinstance(p, list) else [p] for p in value]


def _get(record: Mapping[str, Any], path: list[str]) -> Any:
    value: Any = record
    for part in path:
        if type(value) is not dict and not isinstance(value, Mapping):  # records are dicts: the cheap test first
            return None
        value = value.get(part)
    return value


def _log(text: str) -> AirbyteMessage:
    return AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=Level.WARN, message=text))


class KeyIntegrity:
    """`keys`: stream -> its primary key (as the manifest declares it); `cursors`: stream -> cursor field."""

    def __init__(self, keys: Mapping[str, Any], cursors: Mapping[str, str]) -> None:
        self._keys = {stream: _paths(key) for stream, key in keys.items()}
        self._names = {stream: ", ".join(".".join(p) for p in paths) for stream, paths in self._keys.items()}
        self._cursors = {stream: [field] for stream, field in cursors.items()}
        self._seen: dict[str, dict[int, Any]] = defaultdict(dict)
        self.null_keys: dict[str, int] = defaultdict(int)
        self.duplicates: dict[str, int] = defaultdict(int)
        self.updates: dict[str, int] = defaultdict(int)

    def observe(self, message: AirbyteMessage) -> Iterator[AirbyteMessage]:
        yield message
        if message.type != Type.RECORD or message.record is None:
            return
        stream = message.record.stream
        paths = self._keys.get(stream)
        if not paths:
            return
        data = message.record.data
        key = tuple([_get(data, path) for path in paths])
        names = self._names[stream]
        if None in key:
            self.null_keys[stream] += 1
            if self.null_keys[stream] == 1:
                yield _log(f"Stream {stream}: a record has a null primary key ({names}); a deduplicating destination "
                           "cannot keep it apart from others. Further ones are counted in the summary.")
            return
        seen = self._seen[stream]
        digest = hash(repr(key))
        cursor_path = self._cursors.get(stream)
        cursor = _get(data, cursor_path) if cursor_path else None
        if digest in seen:
            earlier = seen[digest]
            if cursor is not None and earlier is not None and str(cursor) > str(earlier):
                self.updates[stream] += 1  # a newer version of the record: the destination keeps it
                seen[digest] = cursor
                return
            self.duplicates[stream] += 1
            if self.duplicates[stream] == 1:
                yield _log(f"Stream {stream}: the key ({names}) = {key!r} came twice in this sync without a newer "
                           f"{'.'.join(self._cursors.get(stream) or []) or 'cursor value'}; the API's paging may have shifted "
                           "during the read. Further ones are counted in the summary.")
        elif len(seen) < MAX_TRACKED_KEYS:
            seen[digest] = cursor

    def summary(self) -> Iterator[AirbyteMessage]:
        for stream, count in sorted(self.null_keys.items()):
            yield _log(f"Stream {stream}: {count} record(s) with a null primary key ({', '.join('.'.join(p) for p in self._keys[stream])}).")
        for stream, count in sorted(self.duplicates.items()):
            yield _log(f"Stream {stream}: {count} record(s) repeated a key already read in this sync without a newer version.")
