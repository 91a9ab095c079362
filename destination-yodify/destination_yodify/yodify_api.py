"""The Yodify endpoints the destination uses, and the lookups that make its writes exactly-once.

The API has no idempotency key, no upsert and no filter on `order_number`, `sku_identifier` or
`client_identifier`. Every lookup here is therefore built from documented list endpoints:

- orders:     `GET /api/v1/Orders?CreatedOnMin&CreatedOnMax&SinceId&Limit=100` (bare array),
              scanned per created-date window and indexed by `order_number` / `client_identifier`;
- shipments:  `GET /api/v1/orders/{orderId}/shipments?SinceId&Limit=100` (envelope), per order,
              indexed by `tracking_number` / `client_identifier`;
- SKUs:       `GET /api/v1/SKUs?SinceId&Limit=100` (envelope), indexed by `sku_identifier`;
- carriers:   `GET /api/v1/Carriers` (bare array), matched on `slug` or `name`;
- addresses:  `GET /api/v1/Addresses?Page&Limit=100` (envelope), indexed by `client_identifier`.

Paging uses `SinceId` (keyset, the largest id seen) wherever the doc offers it, so the undocumented
page base (0 or 1) never matters; where only `Page` exists, the first page is asked for without a
number, then from `Page=1`, de-duplicated by id, which is right under either base. Both list shapes (bare array, `{data, has_more}` envelope)
are accepted everywhere.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from connector_common.http_client import HttpClient

API = "/api/v1"
PAGE = 100


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def rows(body: Any) -> tuple[list[dict], bool | None]:
    """Records and `has_more` (None when the shape has no such flag) from either list shape."""
    if isinstance(body, list):
        return body, None
    if isinstance(body, dict):
        data = body.get("data")
        return (data if isinstance(data, list) else []), body.get("has_more")
    return [], None


def _walk(
    client: HttpClient,
    path: str,
    params: dict[str, Any] | None,
    position_param: str,
    next_position: Callable[[int | None, list[dict], list[dict]], int | None],
    start: int | None = None,
) -> Iterator[dict]:
    """Every record of a list read page after page, each id once.

    `next_position(position, page, fresh)` names the next page (sent as `position_param`; None on the
    first request unless `start` is given), or None to stop early. The list also ends on an empty page, `has_more: false`,
    or, without `has_more`, a page shorter than `Limit`.
    """
    seen: set[Any] = set()
    position: int | None = start
    while True:
        query = dict(params or {}, Limit=PAGE)
        if position is not None:
            query[position_param] = position
        page, has_more = rows(client.get(path, query))
        fresh = [r for r in page if r.get("id") not in seen]
        for record in fresh:
            seen.add(record.get("id"))
            yield record
        if not page or has_more is False or (has_more is None and len(page) < PAGE):
            return
        position = next_position(position, page, fresh)
        if position is None:
            return


def keyset(client: HttpClient, path: str, params: dict[str, Any] | None = None, since: int | None = None) -> Iterator[dict]:
    """Every record of a list that takes `SinceId`: ask for ids after the largest one seen (after
    `since` when given; a server that ignores SinceId cannot bring back an id at or below it)."""

    def after_largest_id(position: int | None, page: list[dict], fresh: list[dict]) -> int | None:
        if not fresh:
            return None  # nothing new: the server ignores SinceId, or the list is done
        return max(int(r["id"]) for r in page if r.get("id") is not None)

    for record in _walk(client, path, params, "SinceId", after_largest_id, start=since):
        if since is None or (record.get("id") is not None and int(record["id"]) > since):
            yield record


def paged(client: HttpClient, path: str, params: dict[str, Any] | None = None) -> Iterator[dict]:
    """Every record of a list that only takes `Page`, right under either page base.

    The same rule as the sources' `connector_common.components.array_or_envelope`: the first request
    carries no `Page` (the server's own first page), then `Page=1`, `Page=2`, ... A 0-based server
    serves pages 0, 1, 2; a 1-based one serves page 1 twice and the repeat is dropped by id; no
    request ever names a page below the first, which a strict server would refuse.
    """

    def next_page(position: int | None, page: list[dict], fresh: list[dict]) -> int | None:
        if not fresh and position not in (None, 1):
            return None  # a server that ignores Page: the same records again
        return 1 if position is None else position + 1

    return _walk(client, path, params, "Page", next_page)


class OrderIndex:
    """Existing orders by `order_number` and `client_identifier`, filled one created-date window at a
    time. Windows are read without holding the lock, so writes of orders with different dates
    look up at once; a window another thread is reading is waited for, not read twice."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.by_number: dict[str, dict] = {}
        self.by_client_id: dict[str, dict] = {}
        self.covered: list[tuple[datetime, datetime]] = []
        self.reading: list[tuple[tuple[datetime, datetime], threading.Event]] = []
        self.everything = False
        self.scans = 0
        self.lock = threading.RLock()

    def add(self, order: dict) -> None:
        with self.lock:
            if order.get("order_number"):
                self.by_number[order["order_number"]] = order
            if order.get("client_identifier"):
                self.by_client_id[order["client_identifier"]] = order

    def _add_listed(self, order: dict) -> None:
        # the copy this sync holds of an order is kept current by its own writes, and a list read
        # may have begun before one of them: it never replaces that copy
        with self.lock:
            for index, field in ((self.by_number, "order_number"), (self.by_client_id, "client_identifier")):
                value = order.get(field)
                if value and (index.get(value) or {}).get("id") != order.get("id"):
                    index[value] = order

    def find(self, order_number: str | None, client_identifier: str | None) -> dict | None:
        with self.lock:
            if order_number:
                return self.by_number.get(order_number)
            if client_identifier:
                return self.by_client_id.get(client_identifier)
            return None

    @staticmethod
    def _uncovered(start: datetime, end: datetime, covered: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
        gaps = [(start, end)]
        for c_start, c_end in covered:
            nxt = []
            for g_start, g_end in gaps:
                if c_end <= g_start or c_start >= g_end:
                    nxt.append((g_start, g_end))
                    continue
                if g_start < c_start:
                    nxt.append((g_start, c_start))
                if c_end < g_end:
                    nxt.append((c_end, g_end))
            gaps = nxt
        return gaps

    def ensure(self, start: datetime, end: datetime, force: bool = False) -> None:
        """Make sure every order created in [start, end] is indexed (`force`: scan again even if it was)."""
        while True:
            with self.lock:
                if self.everything and not force:
                    return
                busy = [] if force else [(w, done) for w, done in self.reading if w[0] < end and w[1] > start]
                gaps = [(start, end)] if force else self._uncovered(start, end, self.covered + [w for w, _ in busy])
                mine = [(gap, threading.Event()) for gap in gaps]
                self.reading += mine
            try:
                for gap, _ in mine:
                    found = list(keyset(self.client, f"{API}/Orders", {"CreatedOnMin": iso(gap[0]), "CreatedOnMax": iso(gap[1])}))
                    with self.lock:
                        self.scans += 1
                        for order in found:
                            self._add_listed(order)
                        self.covered.append(gap)
            finally:
                with self.lock:
                    for entry in mine:
                        self.reading.remove(entry)
                        entry[1].set()
            if not busy:
                return
            for _, done in busy:
                done.wait()
            force = False  # what the others read is covered now; a read that failed is a gap again

    def count(self, windows: list[tuple[datetime, datetime]], order_number: str | None, client_identifier: str | None) -> int:
        """How many orders created in `windows` carry the key (more than one: a duplicate)."""
        ids = set()
        for start, end in windows:
            for order in keyset(self.client, f"{API}/Orders", {"CreatedOnMin": iso(start), "CreatedOnMax": iso(end)}):
                if (order_number and order.get("order_number") == order_number) or (
                    not order_number and client_identifier and order.get("client_identifier") == client_identifier
                ):
                    ids.add(order.get("id"))
        return len(ids)

    def ensure_everything(self) -> None:
        """Index every order (no created-date filter): the fallback when a record names no date."""
        with self.lock:
            if self.everything:
                return
            self.scans += 1
            for order in keyset(self.client, f"{API}/Orders"):
                self._add_listed(order)
            self.everything = True


class ShipmentIndex:
    """Existing shipments of each order, by `tracking_number` and `client_identifier`."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.orders: dict[int, dict[str, dict]] = {}
        self.lock = threading.RLock()

    @staticmethod
    def keys(shipment: dict) -> list[str]:
        out = []
        if shipment.get("tracking_number"):
            out.append("t:" + str(shipment["tracking_number"]))
        if shipment.get("client_identifier"):
            out.append("c:" + str(shipment["client_identifier"]))
        return out

    def load(self, order_id: int, force: bool = False) -> dict[str, dict]:
        with self.lock:
            if not force and order_id in self.orders:
                return self.orders[order_id]
        # read outside the lock: the writer never writes one order's shipments from two threads at once
        index: dict[str, dict] = {}
        for shipment in keyset(self.client, f"{API}/orders/{order_id}/shipments"):
            for key in self.keys(shipment):
                index[key] = shipment
        with self.lock:
            self.orders[order_id] = index
            return index

    def find(self, order_id: int, tracking_number: str | None, client_identifier: str | None, force: bool = False) -> dict | None:
        index = self.load(order_id, force=force)
        if tracking_number and "t:" + tracking_number in index:
            return index["t:" + tracking_number]
        if client_identifier and "c:" + client_identifier in index:
            return index["c:" + client_identifier]
        return None

    def count(self, order_id: int, tracking_number: str | None, client_identifier: str | None) -> int:
        """How many of the order's shipments carry the key (more than one: a duplicate)."""
        return sum(
            1 for s in keyset(self.client, f"{API}/orders/{order_id}/shipments")
            if (tracking_number and s.get("tracking_number") == tracking_number)
            or (not tracking_number and client_identifier and s.get("client_identifier") == client_identifier)
        )

    def add(self, order_id: int, shipment: dict) -> None:
        with self.lock:
            index = self.orders.setdefault(order_id, {})
            for key in self.keys(shipment):
                index[key] = shipment


class SkuIndex:
    """Every SKU by id and its id by `sku_identifier`, read once; a miss re-reads only SKUs newer than
    the last one seen. The writer compares against these copies and keeps them current."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.ids: dict[str, int] = {}
        self.records: dict[int, dict] = {}
        self.max_id: int | None = None
        self.loaded = False
        self.lock = threading.Lock()

    def _read(self, since: int | None) -> None:
        for sku in keyset(self.client, f"{API}/SKUs", since=since):
            self._keep(sku)

    def _keep(self, sku: dict) -> None:
        if sku.get("id") is None:
            return
        self.records[int(sku["id"])] = sku
        if sku.get("sku_identifier"):
            self.ids[str(sku["sku_identifier"])] = int(sku["id"])
        self.max_id = max(self.max_id or 0, int(sku["id"]))

    def _ensure(self) -> None:
        if not self.loaded:
            self._read(None)
            self.loaded = True

    def lookup(self, sku_identifier: str) -> int | None:
        with self.lock:
            if not self.loaded:
                self._ensure()
                return self.ids.get(sku_identifier)
            if sku_identifier in self.ids:
                return self.ids[sku_identifier]
            self._read(self.max_id or 0)
            return self.ids.get(sku_identifier)

    def get(self, sku_id: int) -> dict | None:
        with self.lock:
            self._ensure()
            if sku_id not in self.records and sku_id > (self.max_id or 0):
                self._read(self.max_id or 0)
            return self.records.get(sku_id)

    def put(self, sku: dict) -> None:
        with self.lock:
            self._keep(sku)


class Carriers:
    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.by_key: dict[str, dict] | None = None
        self.lock = threading.Lock()

    def match(self, value: str) -> dict | None:
        with self.lock:
            if self.by_key is None:
                self.by_key = {}
                for carrier in paged(self.client, f"{API}/Carriers"):
                    for field in ("slug", "name"):
                        if carrier.get(field):
                            self.by_key[str(carrier[field]).lower()] = carrier
        return self.by_key.get((value or "").strip().lower())

    def known(self) -> list[str]:
        return sorted({c.get("slug") or c.get("name") for c in (self.by_key or {}).values()})


class AddressIndex:
    """The account's addresses by `client_identifier` (the list has no filter, so it is read once)."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.by_client_id: dict[str, dict] | None = None
        self.by_ids: dict[int, dict] = {}
        self.lock = threading.RLock()

    def load(self, force: bool = False) -> dict[str, dict]:
        with self.lock:
            if force or self.by_client_id is None:
                self.by_client_id, self.by_ids = {}, {}
                for address in paged(self.client, f"{API}/Addresses"):
                    self.by_ids[int(address["id"])] = address
                    if address.get("client_identifier"):
                        self.by_client_id[str(address["client_identifier"])] = address
            return self.by_client_id

    def find(self, client_identifier: str, force: bool = False) -> dict | None:
        return self.load(force).get(client_identifier)

    def count(self, client_identifier: str) -> int:
        return sum(1 for a in paged(self.client, f"{API}/Addresses") if a.get("client_identifier") == client_identifier)

    def by_id(self, address_id: int) -> dict | None:
        with self.lock:
            self.load()
            return self.by_ids.get(address_id)

    def add(self, address: dict) -> None:
        with self.lock:
            if self.by_client_id is not None and address.get("client_identifier"):
                self.by_client_id[str(address["client_identifier"])] = address
            if address.get("id") is not None:
                self.by_ids[int(address["id"])] = address


def window(moment: datetime, margin: timedelta) -> tuple[datetime, datetime]:
    return moment - margin, moment + margin


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
