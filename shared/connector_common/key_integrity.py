"""Primary keys a deduplicating destination relies on, watched on every `read`.

- A record whose primary key has a null (or missing) part is logged as a warning with its stream,
  once per stream, and counted. It is still emitted: the destination decides, the user learns why a
  row collides.
- A second record with a key already read in this sync is judged by the stream's own declaration,
  `same_key_twice` in its manifest (and its README's streams table), decided from the supplier's doc:
  - `update`: the stream's reads legitimately meet one record twice (overlapping partitions, an open
    record re-read by id, a modified-date filter whose set grows between two pages): passed on
    silently, the destination keeps the later one;
  - `logged` (the default): nothing in the doc makes a record come twice, so a repeat points at
    paging that shifted under the read (which can also skip records): warned once with the stream
    and the key, and counted.
- One summary line at the end counts what was warned, per stream.

Keys are kept as 64-bit hashes, up to `MAX_TRACKED_KEYS` per `logged` stream, so memory stays bounded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping  # typing.Mapping's isinstance is 2.4x slower, and it runs per record
from typing import Any, Iterator

from airbyte_cdk.models import AirbyteLogMessage, AirbyteMessage, Level, Type

MAX_TRACKED_KEYS = 2_000_000
DECLARATION = "same_key_twice"  # the stream's key in the manifest
UPDATE, LOGGED = "update", "logged"


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
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _log(text: str) -> AirbyteMessage:
    return AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=Level.WARN, message=text))


def declarations(streams: list[Mapping[str, Any]]) -> dict[str, str]:
    """stream -> `update` or `logged`, as the manifest's streams declare it (`logged` when absent)."""
    return {s.get("name"): UPDATE if s.get(DECLARATION) == UPDATE else LOGGED for s in streams}


class KeyIntegrity:
    """`keys`: stream -> its primary key (as the manifest declares it); `repeats`: stream -> `update` or `logged`."""

    def __init__(self, keys: Mapping[str, Any], repeats: Mapping[str, str]) -> None:
        self._keys = {stream: _paths(key) for stream, key in keys.items()}
        self._updates = {stream for stream, rule in repeats.items() if rule == UPDATE}
        self._seen: dict[str, set[int]] = defaultdict(set)
        self.null_keys: dict[str, int] = defaultdict(int)
        self.duplicates: dict[str, int] = defaultdict(int)

    def _names(self, stream: str) -> str:
        return ", ".join(".".join(p) for p in self._keys[stream])

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
        if None in key:
            self.null_keys[stream] += 1
            if self.null_keys[stream] == 1:
                yield _log(f"Stream {stream}: a record has a null primary key ({self._names(stream)}); a deduplicating "
                           "destination cannot keep it apart from others. Further ones are counted in the summary.")
            return
        if stream in self._updates:
            return  # a later version of the record: the destination keeps it
        seen = self._seen[stream]
        digest = hash(repr(key))
        if digest in seen:
            self.duplicates[stream] += 1
            if self.duplicates[stream] == 1:
                value = ", ".join(map(str, key))
                yield _log(f"Stream {stream}: the key ({self._names(stream)}) = ({value}) came twice in this sync, which "
                           "this stream's API does not do: its paging may have shifted during the read. Both records are "
                           "emitted; further repeats are counted in the summary.")
        elif len(seen) < MAX_TRACKED_KEYS:
            seen.add(digest)

    def summary(self) -> Iterator[AirbyteMessage]:
        parts = [f"stream {stream}: {count} record(s) with a null primary key ({self._names(stream)})"
                 for stream, count in sorted(self.null_keys.items())]
        parts += [f"stream {stream}: {count} record(s) repeating a key ({self._names(stream)}) read earlier in this sync"
                  for stream, count in sorted(self.duplicates.items())]
        if parts:
            yield _log(f"Key integrity: {'; '.join(parts)}.")
