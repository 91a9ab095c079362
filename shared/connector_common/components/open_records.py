"""Re-read the records the last sync saw open until they are final.

An API that filters only on creation never shows a created-date incremental sync the change of an
order placed before the lookback. These components keep, in the stream's state, the ids of the
records last seen in a status that is not final, and re-read them by id on every sync until they
are final (or gone). Three parts, named in the manifest:

- ``OpenRecordsState`` (``state_migrations``): hands the stream's saved state to the router. The
  CDK gives a custom partition router no state, but runs the stream's state migrations just before
  it builds the router, in the same thread; this one changes nothing.
- ``OpenRecordsRouter`` (the retriever's ``partition_router``): the stream's own partitions
  (``partitions``, e.g. a ListPartitionRouter; one empty partition when absent), then one partition
  ``{<partition_field>: [ids]}`` per request of open ids. Its ``get_stream_state`` is what the
  CDK's per-partition cursor saves as ``parent_state``: a snapshot taken as a partition is made is
  committed only once every partition made up to it is closed (its records emitted), so a dropped
  id never outruns the record that showed it final.
- ``OpenRecordsObserver`` (the record selector's ``record_filter``): tells the router each page's
  records (open: kept, final: dropped) and emits each id once per sync, so the extractor must not
  drop repeated ids itself (the router must see every id a request returned).

A stream derived from the same read (an order's lines or addresses) names its owner's id and status
as ``id_field`` and ``status_field`` (copied onto each record by its extractor) and its own primary
key as ``emit_key``: the set and the requests are then the owners', and each record, not each
owner, is emitted once per sync.

State, next to the unchanged datetime cursor keys:
``"parent_state": {"open_records": {"ids": [...], "batches_read_in_full": true}}``. State without
it (written before these components) starts an empty set; with ``restart_without_open_set`` (an API
with no filter that finds old open records, REC+) the cursor is dropped too, so that one sync reads
from the start date again and collects them.

The stream's DatetimeBasedCursor needs ``global_substream_cursor: true`` (else the CDK keeps one
cursor per id partition in the state), and no ``step``: the CDK repeats every partition, id
partitions too, for every window of the cursor.

A record is also final when ``final_condition`` (a template over ``record`` and ``config``) is true,
e.g. a Sent order past the days it is watched for a refund. With ``final_condition_statuses`` the
template is rendered only for records in those statuses (where it can be true), not for every record.

Saved ids the stream's own partitions already return (an API that lists records by open status):
with ``reread_unseen_only`` the router first yields its own partitions, waits until each but the
last has shown its first page (the CDK takes one partition ahead before it enqueues one, so the
last is not waited for: put a partition there whose records matter least), and then asks by id
only for the saved ids no page of this sync has shown (those that became final). The wait needs a
second worker thread (the partitions are read while the generator waits); after ``wait_seconds``,
or once any request has failed for good (``retries.requests_given_up``: the sync has failed),
every saved id is asked for, which costs requests but loses nothing. The observer's ``condition``
(over ``record``, ``stream_partition`` and ``config``) then drops records from the output after
the router has seen them (a shipment exists only for a Sent order). ``since_field`` and ``since``
keep only records whose date there is on or after ``since`` (rendered once, with the config), or
that have none: the template ``not record.F or format_datetime(str_to_datetime(record.F),
since_format) >= since`` without a template render per record (a third of a vidaXL read's CPU);
the same macros decide, once per distinct value.

Batches (``ids_per_request`` > 1): how a server reads an array parameter is often undocumented
(repeated keys, first value only, comma-joined). Until one batch request has returned a record
other than its first id (proof that batches are read in full, remembered in the state), every id
is also asked for alone, which reads the same under every encoding.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from dataclasses import InitVar, dataclass, field
from collections.abc import Mapping
from typing import Any, Iterable, Iterator, List, Optional

from airbyte_cdk.sources.declarative.extractors.record_filter import RecordFilter
from airbyte_cdk.sources.declarative.interpolation import InterpolatedBoolean, InterpolatedString, macros
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.types import Config, StreamSlice, StreamState

from .retries import requests_given_up

STATE_KEY = "open_records"
_ROUTER = "open_records_router"  # the slice's extra field that carries the router to the observer
_handoff = threading.local()  # stream name -> its saved open-records state, from migration to router


def _saved_states() -> dict[str, Mapping[str, Any]]:
    if not hasattr(_handoff, "states"):
        _handoff.states = {}
    return _handoff.states


@dataclass
class OpenRecordsState(StateMigration):
    """Hands the stream's saved open-records state to its OpenRecordsRouter; migrates nothing."""

    declarative_stream: Any
    config: Config
    parameters: InitVar[Mapping[str, Any]] = None
    restart_without_open_set: bool = False

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        parent_state = (stream_state or {}).get("parent_state") or {}
        _saved_states()[self.declarative_stream.name] = parent_state.get(STATE_KEY) or {}
        return bool(self.restart_without_open_set and stream_state and STATE_KEY not in parent_state)

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        return {}


@dataclass
class OpenRecordsRouter(PartitionRouter):
    """The stream's partitions, then its last sync's open ids, `ids_per_request` per partition."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    stream_name: str
    # the record's status, and the values after which it never changes (a list, or a template over
    # the config that gives one); from $parameters if not given
    status_field: Optional[str] = None
    final_statuses: Optional[List[str]] = None
    id_field: str = "id"
    # the fields that make an emitted record unique, when a record is not its owner (an order line)
    emit_key: Optional[List[str]] = None
    partition_field: str = "open_ids"
    ids_per_request: int = 1
    partitions: Optional[PartitionRouter] = None
    final_condition: Optional[str] = None
    final_condition_statuses: List[Any] = field(default_factory=list)
    reread_unseen_only: bool = False
    wait_seconds: float = 300

    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        states = _saved_states()
        if self.stream_name not in states:
            raise ValueError(
                f"Stream {self.stream_name}'s OpenRecordsRouter needs the OpenRecordsState state migration "
                "on the same stream (state_migrations), or it never sees the ids the last sync left open."
            )
        saved = states.pop(self.stream_name)
        self.status_field = self.status_field or parameters["status_field"]
        self.final_statuses = self.final_statuses or parameters["final_statuses"]
        if isinstance(self.final_statuses, str):  # a template over the config (a shop's own statuses)
            self.final_statuses = InterpolatedString.create(self.final_statuses, parameters={}).eval(self.config)
            if isinstance(self.final_statuses, str):
                self.final_statuses = [self.final_statuses]
        self.ids_per_request = max(1, int(self.ids_per_request))
        self._final = {str(s).lower() for s in self.final_statuses}
        self._requested = list(dict.fromkeys(saved.get("ids") or []))  # this sync's re-read, in order
        self._batches_read_in_full = bool(saved.get("batches_read_in_full"))
        self._open: set[Any] = set(self._requested)  # open now: saved, plus seen open, minus seen final
        self._seen: set[Any] = set()  # every id any page of this sync returned
        self._emitted: set[Any] = set()  # each emitted record's emit_key (else its id): once per sync
        self._absent: set[Any] = set()  # asked for in a way every server reads, and not returned
        self._final_condition = InterpolatedBoolean(self.final_condition, parameters={}) if self.final_condition else None
        self._condition_statuses = {str(s).lower() for s in self.final_condition_statuses}
        self._awaited: set[str] = set()  # own partitions whose first page the id requests wait for
        self._shown: set[str] = set()  # partitions that have shown a page
        self._own_read = threading.Condition(self._lock)
        self._given_up = requests_given_up()

    # -- partitions ---------------------------------------------------------------------------
    def stream_slices(self) -> Iterable[StreamSlice]:
        own = self.partitions.stream_slices() if self.partitions else [StreamSlice(partition={}, cursor_slice={})]
        last = None
        for s in own:
            if last is not None and self.reread_unseen_only:
                with self._lock:
                    self._awaited.add(_key(last))
            last = s.partition
            yield StreamSlice(partition=s.partition, cursor_slice=s.cursor_slice,
                              extra_fields={**s.extra_fields, _ROUTER: self})
        if self.reread_unseen_only and self._requested:
            # until the own partitions showed a page, the time is up, or a request failed for good
            # (the sync has failed: its other partitions must not wait for one that never reads)
            deadline = time.monotonic() + self.wait_seconds
            with self._own_read:
                while (not self._awaited <= self._shown and time.monotonic() < deadline
                       and requests_given_up() == self._given_up):
                    self._own_read.wait(timeout=min(0.5, max(0.0, deadline - time.monotonic())))
                self._requested = [i for i in self._requested if i not in self._seen]
        for ids in self._id_requests():
            yield StreamSlice(partition={self.partition_field: ids}, cursor_slice={}, extra_fields={_ROUTER: self})

    def _id_requests(self) -> list[list[Any]]:
        ids, n = self._requested, self.ideal_batch()
        batches = [ids[i:i + n] for i in range(0, len(ids), n)]
        if n > 1 or self.ids_per_request == 1 or len(ids) < 2:
            return batches
        # unproven: one batch to prove the server reads it, and every id alone
        return [ids[:self.ids_per_request]] + [[i] for i in ids]

    def ideal_batch(self) -> int:
        return self.ids_per_request if self._batches_read_in_full else 1

    # -- what the pages showed ----------------------------------------------------------------
    def observe(self, partition: Mapping[str, Any], records: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        """Note what a page shows, record by record (a page is never held whole: an unpaged answer
        can be the whole history); yield the records to emit (each id once per sync: an open record
        is also in its status's re-read, and a 1-based server serves its first page twice)."""
        returned: list[Any] = []
        for record in records:
            key = record.get(self.id_field)
            if key is None:
                yield record
                continue
            returned.append(key)
            emitted = tuple(record.get(f) for f in self.emit_key) if self.emit_key else key
            with self._lock:
                emit = emitted not in self._emitted
                self._emitted.add(emitted)
                self._seen.add(key)
                if self.is_final(record):
                    self._open.discard(key)
                else:
                    self._open.add(key)
            if emit:
                yield record
        with self._lock:
            asked = partition.get(self.partition_field)
            if self.reread_unseen_only:
                self._shown.add(_key(partition))
                self._own_read.notify_all()
            if isinstance(asked, list):
                if len(asked) > 1 and any(k != asked[0] for k in returned):
                    self._batches_read_in_full = True
                if len(asked) == 1 or self._batches_read_in_full:
                    self._absent.update(k for k in asked if k not in set(returned))

    def is_final(self, record: Mapping[str, Any]) -> bool:
        status = str(record.get(self.status_field)).lower()
        if status in self._final:
            return True
        if self._condition_statuses and status not in self._condition_statuses:
            return False
        return bool(self._final_condition and self._final_condition.eval(self.config, record=record))

    def get_stream_state(self) -> Optional[Mapping[str, StreamState]]:
        with self._lock:
            # an id neither open nor final anywhere in this sync is gone (deleted): stop asking
            ids = sorted(self._open - (self._absent - self._seen), key=lambda k: (str(type(k)), k))
            state: dict[str, Any] = {"ids": ids}
            if self._batches_read_in_full:
                state["batches_read_in_full"] = True
            return {STATE_KEY: state}

    # -- the remaining StreamSlicer interface: the partitions carry the ids; requests add them --
    def get_request_params(self, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_headers(self, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_body_data(self, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_body_json(self, **kwargs: Any) -> Mapping[str, Any]:
        return {}


def _key(partition: Mapping[str, Any]) -> str:
    return json.dumps(partition, sort_keys=True, default=str)


@dataclass
class OpenRecordsObserver(RecordFilter):
    """Shows each page's records to the stream's OpenRecordsRouter; then keeps those dated on or
    after `since` (with `since_field`) and those its `condition` (if any) accepts."""

    condition: str = ""
    since_field: str = ""
    since: str = ""
    since_format: str = "%Y-%m-%d"

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self._since = str(InterpolatedString.create(self.since, parameters=parameters).eval(self.config)) if self.since_field else ""
        self._on_or_after = functools.lru_cache(maxsize=4096)(self._date_on_or_after)

    def _date_on_or_after(self, value: Any) -> bool:
        return macros.format_datetime(macros.str_to_datetime(value), self.since_format) >= self._since

    def _dated_since(self, record: Mapping[str, Any]) -> bool:
        value = record.get(self.since_field)
        return not value or self._on_or_after(value)

    def filter_records(
        self,
        records: Iterable[Mapping[str, Any]],
        stream_state: StreamState,
        stream_slice: Optional[StreamSlice] = None,
        next_page_token: Optional[Mapping[str, Any]] = None,
    ) -> Iterable[Mapping[str, Any]]:
        router = stream_slice.extra_fields.get(_ROUTER) if stream_slice is not None else None
        kept = router.observe(stream_slice.partition, records) if router is not None else records
        if self._since:
            kept = (record for record in kept if self._dated_since(record))
        if self.condition:
            kept = super().filter_records(kept, stream_state, stream_slice, next_page_token)
        yield from kept
