"""Paging and extraction for APIs whose lists come as a bare JSON array or as a `{data, has_more}` envelope.

Yodify documents both shapes (Orders, Shipments, Products, Brands and Carriers answer `[...]`, every
other list `{"object": "list", "data": [...], "has_more": ..., "total_items": ...}`) and leaves the
page base (`Page=0` or `Page=1` first) unsaid. These two components make one paginator and one
extractor serve every list, correct under both page bases:

- `ArrayOrEnvelopePageIncrement` counts the page the server *sent* (not the records emitted, which
  differ when records are expanded or de-duplicated) and stops on `has_more: false`, an empty page,
  or, for a bare array (or an envelope without `has_more`), a page shorter than the page size.
  With `omit_first_page_number` and `start_from_page: 0` the first request carries no `Page` (the
  server's own first page), then `Page=1`, `Page=2`...: a 0-based server serves pages 0, 1, 2; a
  1-based server serves page 1 twice, the repeat dropped as duplicates by... (and a server that
  rejects a page below its first never sees one)
- `ArrayOrEnvelopeExtractor`, a DpathExtractor (so `field_path` and `record_expander` work as usual)
  that first unwraps an envelope's `data`, then drops every record whose `unique_key` it has already
  emitted during this sync (one set per stream, thread-safe). A sync therefore never emits a record
  twice and never skips a page, whichever page base the server uses.

    paginator:
      type: DefaultPaginator
      page_token_option: {type: RequestOption, inject_into: request_parameter, field_name: Page}
      page_size_option: {type: RequestOption, inject_into: request_parameter, field_name: Limit}
      pagination_strategy:
        type: CustomPaginationStrategy
        class_name: connector_common.components.array_or_envelope.ArrayOrEnvelopePageIncrement
        page_size: 100
        start_from_page: 0
        omit_first_page_number: true
    record_selector:
      type: RecordSelector
      extractor:
        type: CustomRecordExtractor
        class_name: connector_common.components.array_or_envelope.ArrayOrEnvelopeExtractor
        field_path: []
        unique_key: id
"""

from __future__ import annotations

import threading
from dataclasses import InitVar, dataclass, field
from typing import Any, Iterable, List, Mapping, MutableMapping, Optional, Union

import requests
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.pagination_strategy import PaginationStrategy
from airbyte_cdk.sources.types import Config, Record, StreamSlice

from .bodies import decoded_bodies, json_body
from .expansion import extracted_records


def unwrap(body: Any, data_field: str = "data") -> Any:
    """The records of a page: a bare list as is, an envelope's `data_field` list, else the body."""
    if isinstance(body, Mapping) and isinstance(body.get(data_field), list):
        return body[data_field]
    return body


@dataclass
class ArrayOrEnvelopePageIncrement(PaginationStrategy):
    """Page numbers from `start_from_page`; the end is read from the page the server sent.

    Stateless (one instance pages every partition at once): the next page is the last one plus 1.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    page_size: Optional[Union[int, str]] = 100
    start_from_page: int = 0
    data_field: str = "data"
    has_more_field: str = "has_more"
    # Send no page number on the first request (the server's own first page, whatever its base),
    # then start_from_page + 1, + 2, ...: never a number below a 1-based server's first page.
    omit_first_page_number: bool = False

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        size = self.page_size
        if isinstance(size, str):
            size = InterpolatedString.create(size, parameters=parameters).eval(self.config)
        self._page_size = int(size) if size not in (None, "") else None
        self.start_from_page = int(self.start_from_page)

    @property
    def initial_token(self) -> Optional[Any]:
        return None if self.omit_first_page_number else self.start_from_page

    def get_page_size(self) -> Optional[int]:
        return self._page_size

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Optional[Record],
        last_page_token_value: Optional[Any] = None,
        page_size_override: Optional[int] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> Optional[Any]:
        body = json_body(response)
        items = unwrap(body, self.data_field)
        if not isinstance(items, list) or not items:
            return None
        if isinstance(body, Mapping) and isinstance(body.get(self.has_more_field), bool):
            if not body[self.has_more_field]:
                return None
        else:
            size = page_size_override or self._page_size
            if size and len(items) < size:
                return None
        current = self.start_from_page if last_page_token_value is None else int(last_page_token_value)
        return current + 1


@dataclass
class ArrayOrEnvelopeExtractor(DpathExtractor):
    """A DpathExtractor over the page's records (envelope unwrapped), emitting each `unique_key` once."""

    field_path: List[Union[InterpolatedString, str]] = field(default_factory=list)
    config: Config = field(default_factory=dict)
    parameters: InitVar[Mapping[str, Any]] = None  # type: ignore[assignment]
    data_field: str = "data"
    unique_key: Optional[str] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters or {})
        self._seen: set[Any] = set()
        self._lock = threading.Lock()

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        # the whole body (bodies.decoded_bodies), so a bare array is told apart from an envelope
        for body in decoded_bodies(response, self.decoder):
            for record in self._records(unwrap(body, self.data_field)):
                if self.unique_key and isinstance(record, Mapping):
                    key = record.get(self.unique_key)
                    if key is not None:
                        with self._lock:
                            if key in self._seen:
                                continue
                            self._seen.add(key)
                yield record

    def _records(self, body: Any) -> Iterable[Any]:
        """DpathExtractor's own walk (field path, then the optional record expander, without dpath's walk)."""
        return extracted_records(self, body)
