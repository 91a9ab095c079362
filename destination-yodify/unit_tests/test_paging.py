"""`paged`: every record once under either page base, and never a page number below the first."""

import pytest

from connector_common.http_client import ApiError
from destination_yodify.yodify_api import paged

RECORDS = [{"id": i} for i in range(1, 251)]


class Server:
    """A list endpoint with `first` as its first page; `below` says what a lower Page gets."""

    def __init__(self, first: int, below: str = "clamp", envelope: bool = False, ignores_page: bool = False):
        self.first, self.below, self.envelope, self.ignores_page = first, below, envelope, ignores_page
        self.queries: list[dict] = []

    def get(self, path, params):
        self.queries.append(dict(params))
        page = params.get("Page", self.first)
        if page < self.first and self.below == "reject":
            raise ApiError("HTTP 400: Page must be at least 1")
        page = self.first if self.ignores_page else max(page, self.first)
        offset = (page - self.first) * params["Limit"]
        chunk = RECORDS[offset: offset + params["Limit"]]
        return {"data": chunk, "has_more": offset + len(chunk) < len(RECORDS)} if self.envelope else chunk


@pytest.mark.parametrize("server", [Server(0), Server(1), Server(1, "reject"), Server(0, envelope=True), Server(1, "reject", envelope=True)],
                         ids=["0-based", "1-based-clamps", "1-based-rejects", "0-based-envelope", "1-based-rejects-envelope"])
def test_every_record_once_under_either_page_base(server):
    assert list(paged(server, "/api/v1/Addresses")) == RECORDS
    assert "Page" not in server.queries[0] and all(q.get("Page", 1) >= 1 for q in server.queries)


def test_a_server_that_ignores_page_does_not_loop():
    server = Server(1, ignores_page=True)
    assert list(paged(server, "/api/v1/Addresses")) == RECORDS[:100]
    assert len(server.queries) == 3
