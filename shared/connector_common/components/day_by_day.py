"""One request per calendar day, for an API whose only bounded date filter is an exact day.

A pagination strategy, so that a stream's cursor keeps one interval (a global cursor without
`step`, as OpenRecordsRouter needs) while its requests still walk the days: the partition's first
request asks for `first_day` (the manifest's request parameters name it too, when there is no
page token yet), each next page for the day after, up to `last_day`. A partition whose
`first_day` renders empty (a re-read by status or id) is read in one request.

`first_day` and `last_day` are templates over `config` and `stream_slice` (`stream_interval`,
`stream_partition`) giving YYYY-MM-DD. With `step_days` N (a template over `config`), each next
page is N days on: N partitions starting on consecutive days walk the interval together.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass
from datetime import date, timedelta
from typing import Any, Mapping, Optional

import requests
from airbyte_cdk.sources.declarative.interpolation import InterpolatedString
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.pagination_strategy import PaginationStrategy
from airbyte_cdk.sources.types import Config, Record, StreamSlice


@dataclass
class DayByDay(PaginationStrategy):
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    first_day: str
    last_day: str
    step_days: Any = 1

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._first = InterpolatedString.create(self.first_day, parameters=parameters or {})
        self._last = InterpolatedString.create(self.last_day, parameters=parameters or {})
        self._step = timedelta(days=max(1, int(InterpolatedString.create(str(self.step_days), parameters=parameters or {}).eval(self.config))))

    @property
    def initial_token(self) -> Optional[Any]:
        return None

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Optional[Record],
        last_page_token_value: Optional[Any],
        page_size_override: Optional[int] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> Optional[Any]:
        day = last_page_token_value or self._first.eval(self.config, stream_slice=stream_slice)
        if not day:
            return None
        following = date.fromisoformat(str(day)[:10]) + self._step
        last = date.fromisoformat(str(self._last.eval(self.config, stream_slice=stream_slice))[:10])
        return following.isoformat() if following <= last else None

    def get_page_size(self) -> Optional[int]:
        return None
