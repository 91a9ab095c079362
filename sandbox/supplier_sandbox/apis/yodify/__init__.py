"""The Yodify B2B API sandbox (docs: /work/shared/api-docs/yodify-digest.md).

Split by owner so the source and destination work side by side:
- `store.py`  the seeded data (orders, shipments, products, SKUs, accounts, ...) and lookups   [source-yodify]
- `auth.py`   static tokens and the OAuth2 client-credentials token endpoint with expiry       [source-yodify]
- `reads.py`  every GET list/detail route, both response shapes, filters, paging              [source-yodify]
- `writes.py` POST/PUT routes the destination uses, recorded in `api.writes`                   [destination-yodify]

Options (where the docs leave room, the sandbox can serve each reading):
- `first_page`: 1 (default) or 0, the number of the first page; `page_below_first`: "clamp"
  (default: a lower Page is read as the first page) or "reject" (400, as a strict server might).
- `envelope_everywhere`: False (default, as documented: Orders, Shipments, Products, Brands and
  Carriers answer bare JSON arrays) or True (every list answers the `{object, data, has_more}`
  envelope).
- `token_ttl`: lifetime in seconds of OAuth tokens from the token endpoint (default 3600);
  `token_ttl_advertised`: the `expires_in` it reports (default: the same; larger simulates a
  server that drops tokens early, answering 401 with `WWW-Authenticate: ... The token expired`).
- `quota`: `(calls, seconds)`, a sliding-window API call quota answered with a bare 429 (as
  documented: no body, no Retry-After); default none.
- `array_params`: how array query parameters (`Statuses`, `Ids`) are read: "repeat" (default, as
  documented: `Statuses=New&Statuses=Processing`), "first" (only the first of repeated keys counts)
  or "comma" (one comma-joined value, `Statuses=New,Processing`; of repeated keys the first counts).
- `timestamps`: how read responses write date-times: "millis" (default, `2024-01-01T00:00:00.123Z`),
  "dotnet" (.NET's round-trip format, 7 fraction digits: `2024-01-01T00:00:00.1230000Z`), "naive"
  (UTC without an offset: `2024-01-01T00:00:00.123`) or "dotnet-naive" (`2024-01-01T00:00:00.1230000`).
"""

from __future__ import annotations

import collections
import time
from typing import Any

from ...api import SupplierApi
from ...http import Request, Response
from . import reads, writes
from .auth import TOKEN_PATH, YodifyAuth
from .store import YodifyStore


class YodifyApi(SupplierApi):
    name = "yodify"
    connector = "source-yodify"
    secrets = ("yodify-sandbox-token",)

    @staticmethod
    def connector_config(base_url: str) -> dict[str, Any]:
        return {"base_url": base_url, "credentials": {"auth_type": "access_token", "access_token": "yodify-sandbox-token"},
                "start_date": "2020-01-01T00:00:00Z"}

    destination = "destination-yodify"

    @staticmethod
    def destination_config(base_url: str) -> dict[str, Any]:
        return {"base_url": base_url, "credentials": {"auth_type": "access_token", "access_token": "yodify-sandbox-token"}}
    base_path = ""  # the docs name no host; paths are /api/v1/...

    def __init__(self, first_page: int = 1, envelope_everywhere: bool = False, token_ttl: float = 3600,
                 token_ttl_advertised: int | None = None, quota: tuple[int, float] | None = None,
                 page_below_first: str = "clamp", timestamps: str = "millis",
                 array_params: str = "repeat", **kwargs):
        super().__init__(**kwargs)
        if first_page not in (0, 1):
            raise ValueError("first_page must be 0 or 1")
        if page_below_first not in ("clamp", "reject"):
            raise ValueError("page_below_first must be clamp or reject")
        if timestamps not in ("millis", "dotnet", "naive", "dotnet-naive"):
            raise ValueError("timestamps must be millis, dotnet, naive or dotnet-naive")
        self.timestamps = timestamps
        if array_params not in ("repeat", "first", "comma"):
            raise ValueError("array_params must be repeat, first or comma")
        self.array_params = array_params
        self.first_page = first_page
        self.page_below_first = page_below_first
        self.envelope_everywhere = envelope_everywhere
        self.store = YodifyStore(self.scale, self.seed, self.now)
        # (calls, seconds): past `calls` API calls in a sliding `seconds`, 429 "API call quota exceeded"
        self.quota = quota
        self._calls: collections.deque[float] = collections.deque()
        self.quota_rejections = 0
        self.auth = YodifyAuth(ttl=token_ttl, advertised_ttl=token_ttl_advertised)
        self.router.add("POST", TOKEN_PATH, self.auth.token_endpoint)
        reads.register(self)
        writes.register(self)

    @property
    def token_url(self) -> str:
        """The token endpoint's path (prefix it with the server's root URL)."""
        return TOKEN_PATH

    def authenticate(self, request: Request) -> Response | None:
        if request.path == TOKEN_PATH:
            return None
        denied = self.auth.check(request)
        if denied is None and self.quota:
            calls, seconds = self.quota
            now = time.monotonic()
            with self.lock:
                while self._calls and now - self._calls[0] > seconds:
                    self._calls.popleft()
                if len(self._calls) >= calls:
                    self.quota_rejections += 1
                    # documented: "429 Too Many Requests - API call quota exceeded.", no body, no headers
                    return Response(429, b"", {})
                self._calls.append(now)
        return denied

    def counts(self) -> dict[str, int]:
        st = self.store
        with self.lock:
            return {
                "orders": len(st.orders),
                "order_items": sum(len(o.get("items") or []) for o in st.orders.values()),
                "shipments": len(st.shipments),
                "addresses": len(st.addresses),
                "accounts": len(st.accounts),
                "account_users": len(st.account_users),
                "products": len(st.products),
                "skus": len(st.skus),
                "brands": len(st.brands),
                "carriers": len(st.carriers),
                "quotes": len(st.quotes),
                "quote_documents": len(st.quote_documents),
                "shipping_rates": len(st.shipping_rates),
                "discount_levels": len(st.discount_levels),
                "brand_discounts": len(st.brand_discounts),
                "price_discounts": len(st.price_discounts),
                "quantity_discounts": len(st.quantity_discounts),
            }

    def mutate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Change records for incremental tests.

        - `{"stream": "orders", "id": 7, "set": {"order_status": "Shipped"}}`: change an order
          (it keeps its `ordered_date`, as on the real API: orders have no updated-at).
        - `{"stream": "skus", "id": 3, "set": {"inventory": 9}}`: change a SKU; `modified_on` moves.
        - `{"stream": "orders", "create": 2}`: new orders placed now (status New).
        - `{"stream": "shipments", "id": 4, "set": {...}}`: change a shipment.
        """
        stream = payload.get("stream")
        st = self.store
        with self.lock:
            if payload.get("create"):
                if stream != "orders":
                    raise ValueError("only orders can be created through mutate")
                created = []
                template = st.orders[next(iter(st.orders))]
                for _ in range(int(payload["create"])):
                    oid = st.next_id("orders")
                    order = _copy(template)
                    order.update(id=oid, order_number=f"ORD-{100000 + oid:09d}", order_status="New", ordered_date=st.timestamp(),
                                 shipments=[], url=f"https://shop.example.com/orders/{oid}")
                    for item in order["items"]:
                        item.update(id=st.next_id("order_items"), order_id=oid)
                    created.append(st.add_order(order))
                return {"created": created}
            collection = getattr(st, stream or "", None)
            if not isinstance(collection, dict) or stream.startswith("_"):
                raise ValueError(f"unknown stream {stream!r}")
            key = payload.get("id")
            record = collection.get(key) if key in collection else collection.get(_key(key))
            if record is None:
                raise ValueError(f"no {stream} record with id {key!r}")
            record.update(payload.get("set") or {})
            if stream == "skus":
                st.touch_sku(record)
            return {"changed": record}


def _key(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _copy(record: Any) -> Any:
    import copy

    return copy.deepcopy(record)


__all__ = ["YodifyApi"]
