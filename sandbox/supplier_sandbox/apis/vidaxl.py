"""vidaXL dropshipping order API sandbox (doc: shared/api-docs/vidaxl-orders.txt).

Faithful to the doc where it speaks:
- HTTP Basic: username the customer's email, password the API token. Wrong or missing -> 401
  (Rails' plain-text "HTTP Basic: Access denied.", the doc names no body).
- Listing orders: `GET /api_customer/orders` (the method table) and `GET /api_customers/orders.json`
  (the "Access your orders with URL" note) serve the same JSON. `.xml`/`.csv` are not served.
- Without any parameter only orders placed in the last 24 hours are returned.
- Filters: `id_eq`, `status_order_id_eq`, `submitted_at_gt_eq` (YYYY-MM-DD, inclusive, from
  midnight in the server's time zone), `submitted_at_casted_eq` (YYYY-MM-DD, the submitted_at
  date in the server's time zone). A malformed date (or one before 2000) is a 422 with a message.
- The body is always an array of `{"order": {..., "order_products": [{"order_product": {...}}]}}`;
  no paging (the doc documents none). Prices and totals are strings, ids integers.
- Statuses 1 (temporary, unpaid: `submitted_at` null), 2, 4, 5 (sent: `shipping_tracking`,
  `shipping_option_id` from the doc's carrier table, the tracking portal URL in
  `comments_customer`), 7, 8.

Options for other readings of the doc:
- `params_from`: "query" (default: query string), "body" (only a JSON body on the GET, the doc
  shows parameters as a JSON object), "both".
- `paths`: which of the two listing paths exist (default both).
- `wrapped`: False serves bare order objects (`[{...}]`, lines unwrapped too), the shape of the
  create-order response, instead of the documented `{"order": ...}` roots.
- `server_tz`: the zone the server renders `submitted_at` in and applies date filters in
  (default "UTC", rendered `...000Z`; e.g. "America/New_York" renders `-04:00`/`-05:00` offsets,
  as the doc's create-order sample does).
- `since_exclusive`: True reads "Submitted at later than" strictly: `submitted_at_gt_eq=D` returns
  orders submitted after day D (from midnight of D+1 in the server's time zone), not on D itself.
- `zoneless`: True renders `submitted_at` without a zone (`2026-11-27T12:19:27.000`, the server's
  local time in `server_tz`).
- `unpaid`: how many orders are unpaid (status 1, "temporary": created through the API, never
  submitted, so no `submitted_at`), spread evenly over the history (default: as seeded, about one
  in eleven); 0 for none. Paying one (`mutate`, status 2) submits it now.
- `status_keeps_default`: True reads the 24-hour default as applying whenever no date filter is
  sent: `status_order_id_eq` alone then returns only that status's orders of the last 24 hours.
- `casted_in`: the zone `submitted_at_casted_eq` takes its day in: "server" (default, `server_tz`)
  or "utc".
- `history_days`: how many days before the anchor the orders span (default 120).
- `full_order`: True adds the fields the doc's order object (create-order sample) shows beyond
  the list sample: `created_at`, `updated_at`, `invoice_no`, `is_paid`, `paid_amount`,
  `payment_date`, `date_estimated`, `shipping_way`, `comments_wholesaler`, `addressbook_id`,
  `total_after_vat`; order lines get `addressbook_id`, `created_at`, `updated_at`.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from .. import data
from ..api import SupplierApi
from ..http import Request, Response

EMAIL = "dropshipper@example.com"
API_TOKEN = "vxl-sandbox-token-5f2c"
ORDERS_PATHS = ("/api_customer/orders", "/api_customers/orders.json")
# The doc's "Carrier and shipping_option_id mapping" table.
CARRIERS = {19: "Australia Post", 16: "Bartolini", 23: "DHL", 18: "Direct Freight Express", 8: "DPD", 10: "GLS",
            15: "Kuene + Nagel", 7: "PostNL", 22: "Raben", 13: "Seur", 14: "UPS", 9: "Yodel"}
UNKNOWN_SHIPPING_OPTION = 99  # an id the doc's table does not list
HISTORY_DAYS = 120


class VidaxlApi(SupplierApi):
    name = "vidaxl"
    connector = "source-vidaxl"
    secrets = ("vxl-sandbox-token-5f2c",)

    @staticmethod
    def connector_config(base_url: str) -> dict[str, Any]:
        # from just before the seeded history: the connector reads one request per day from start_date
        start = (datetime.now(timezone.utc) - timedelta(days=HISTORY_DAYS + 2)).date().isoformat()
        return {"email": "dropshipper@example.com", "api_token": "vxl-sandbox-token-5f2c", "environment": "sandbox",
                "base_url": base_url, "start_date": start}
    base_path = ""

    def __init__(self, params_from: str = "query", paths: tuple[str, ...] = ORDERS_PATHS,
                 server_tz: str = "UTC", wrapped: bool = True, since_exclusive: bool = False,
                 zoneless: bool = False, full_order: bool = False, unpaid: int | None = None,
                 status_keeps_default: bool = False, casted_in: str = "server", history_days: int = HISTORY_DAYS,
                 **kwargs: Any) -> None:
        self.unpaid = unpaid  # read by _seed, which the base class runs
        self.history_days = history_days
        assert casted_in in ("server", "utc"), casted_in
        self.casted_in = casted_in
        self.status_keeps_default = status_keeps_default
        super().__init__(**kwargs)
        self.since_exclusive = since_exclusive
        self.zoneless = zoneless
        self.full_order = full_order
        self.wrapped = wrapped
        assert params_from in ("query", "body", "both"), params_from
        self.params_from = params_from
        self.tz = ZoneInfo(server_tz)
        self.orders: list[dict[str, Any]] = []
        self._seed()
        for path in paths:
            assert path in ORDERS_PATHS, path
            self.router.add("GET", path, self._list)

    # -- data ---------------------------------------------------------------------------------
    def _ts(self, when: datetime | None) -> str | None:
        if when is None:
            return None
        local = when.astimezone(self.tz)
        if self.zoneless:
            return local.strftime("%Y-%m-%dT%H:%M:%S.000")
        text = local.strftime("%Y-%m-%dT%H:%M:%S.000%z")
        if text.endswith("+0000"):
            return text[:-5] + "Z"
        return text[:-2] + ":" + text[-2:]

    def _seed(self) -> None:
        r = data.rng(self.seed, "vidaxl-orders")
        n = 150 * self.scale
        line_id = 1000
        when = [data.spread(r, self.now - timedelta(minutes=5), self.history_days) for _ in range(n)]
        when.sort()
        unpaid = None if self.unpaid is None else {1 + k * n // self.unpaid for k in range(self.unpaid)} if self.unpaid else set()
        for i, submitted in enumerate(when, start=1):
            status = r.choice([1, 2, 2, 4, 4, 5, 5, 5, 5, 7, 8])
            if unpaid is not None:
                status = 1 if i in unpaid else (2 if status == 1 else status)
            first, last = data.person(r)
            addr = data.address(r)
            lines = []
            for _ in range(r.randint(1, 3)):
                line_id += 1
                qty = r.randint(1, 4)
                price = float(data.money(r, 5, 300))
                lines.append({
                    "id": line_id, "order_id": i, "product_id": r.randint(1000, 99999),
                    "quantity": f"{qty}.0", "price": f"{price:.2f}", "final_price": f"{price:.2f}",
                    "discount_percentage": "0.0", "vat_percentage": "0.0",
                    "total_before_vat": f"{qty * price:.2f}", "total_vat": "0.0", "total_after_vat": f"{qty * price:.2f}",
                    "product_name": data.product_name(r), "product_code": str(r.randint(100000, 999999)),
                })
            total = sum(float(x["total_after_vat"]) for x in lines)
            order = {
                "id": i, "status_order_id": status, "customer_id": 9,
                "_submitted": None if status == 1 else submitted,
                "_created": submitted - timedelta(minutes=r.randint(1, 90)),
                "comments_customer": "", "address": addr["street"], "address2": r.choice(["", "2nd floor", None]),
                "city": addr["town"], "province": "", "country": addr["country"], "postal_code": addr["post_code"],
                "customer_order_reference": f"SHOP-{10000 + i}",
                "total_products_before_discount": f"{total:.2f}", "discount_percentage": "0.0", "discount_total": None,
                "total_products_before_vat": f"{total:.2f}", "total_before_vat": f"{total:.2f}", "total_vat": "0.0",
                "total_products_after_vat": f"{total:.2f}", "gross_total": f"{total:.2f}",
                "shipping_option_id": None, "shipping_costs": "0.0", "shipping_tracking": None, "extra_fields": {},
                "order_products": lines,
                "customer_email": EMAIL, "customer_company": "Example Dropship Ltd", "customer_name": f"{first} {last}",
                "customer_pricelist_id": 1, "customer_phone": "0684541247", "customer_reference_code": "",
            }
            if status == 5:
                self._ship(order, r)
            self.orders.append(order)

    def _ship(self, order: dict[str, Any], r: Any) -> None:
        option = r.choice(list(CARRIERS) + [UNKNOWN_SHIPPING_OPTION])
        order["status_order_id"] = 5
        order["shipping_option_id"] = option
        order["shipping_option_name"] = CARRIERS.get(option, "Standard delivery") + " delivery"
        order["shipping_tracking"] = f"#{r.randint(10_000_000, 99_999_999)}"
        # the doc describes comments_customer as the vidaXL tracking portal url; not always given
        if r.random() < 0.8:
            order["comments_customer"] = f"https://tracking.vidaxl.com/order/{order['id']}"

    def _public(self, order: dict[str, Any]) -> dict[str, Any]:
        body = {k: v for k, v in order.items() if not k.startswith("_") and k != "order_products"}
        body["submitted_at"] = self._ts(order["_submitted"])
        lines = [dict(line) for line in order["order_products"]]
        if self.full_order:
            created, updated = self._ts(order["_created"]), self._ts(order["_submitted"] or order["_created"])
            paid = order["status_order_id"] != 1
            body.update({
                "created_at": created, "updated_at": updated, "invoice_no": None, "is_paid": paid,
                "paid_amount": body["gross_total"] if paid else "0.0", "payment_date": updated if paid else None,
                "date_estimated": None, "shipping_way": None, "comments_wholesaler": None,
                "addressbook_id": 90 + order["id"], "total_after_vat": body["gross_total"],
            })
            for line in lines:
                line.update({"addressbook_id": 90 + order["id"], "created_at": created, "updated_at": updated})
        if not self.wrapped:
            body["order_products"] = lines
            return body
        body["order_products"] = [{"order_product": line} for line in lines]
        return {"order": body}

    def submitted(self) -> list[dict[str, Any]]:
        return [o for o in self.orders if o["_submitted"] is not None]

    # -- API ----------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        expected = "Basic " + base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
        if header != expected:
            return Response(401, b"HTTP Basic: Access denied.\n", {"Content-Type": "text/plain; charset=utf-8",
                                                                   "WWW-Authenticate": 'Basic realm="Application"'})
        return None

    def _params(self, request: Request) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.params_from in ("query", "both"):
            params.update({k: v[0] for k, v in request.query.items() if v})
        if self.params_from in ("body", "both") and request.body:
            try:
                payload = request.json()
            except ValueError:
                payload = None
            if isinstance(payload, dict):
                params.update({k: str(v) for k, v in payload.items()})
        return params

    def _day(self, value: str, name: str) -> Any:
        try:
            day = datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            day = None
        # our reading: a malformed date, or one before the platform existed, is refused with a 422
        if day is None or day.year < 2000:
            raise ValueError(f"Invalid date for {name}: '{value}', expected format YYYY-MM-DD from 2000-01-01")
        return day

    def _list(self, request: Request) -> Response:
        params = self._params(request)
        with self.lock:
            orders = list(self.orders)
        try:
            dated = any(k.startswith("submitted_at") for k in params)
            if not params or (self.status_keeps_default and "status_order_id_eq" in params and not dated):
                since = self.now - timedelta(hours=24)
                orders = [o for o in orders if (o["_submitted"] or o["_created"]) >= since]
            if "id_eq" in params:
                orders = [o for o in orders if str(o["id"]) == params["id_eq"]]
            if "status_order_id_eq" in params:
                orders = [o for o in orders if str(o["status_order_id"]) == params["status_order_id_eq"]]
            if "submitted_at_gt_eq" in params:
                day = self._day(params["submitted_at_gt_eq"], "submitted_at_gt_eq")
                if self.since_exclusive:
                    day += timedelta(days=1)
                since = datetime.combine(day, datetime.min.time(), self.tz)
                orders = [o for o in orders if o["_submitted"] is not None and o["_submitted"] >= since]
            if "submitted_at_casted_eq" in params:
                day = self._day(params["submitted_at_casted_eq"], "submitted_at_casted_eq")
                zone = self.tz if self.casted_in == "server" else timezone.utc
                orders = [o for o in orders if o["_submitted"] is not None and o["_submitted"].astimezone(zone).date() == day]
        except ValueError as error:
            return Response.json({"error": str(error)}, status=422)
        orders.sort(key=lambda o: o["id"])
        return Response.json([self._public(o) for o in orders])

    # -- admin --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """What a sync from before the oldest order emits: every order (temporary ones, unpaid, too),
        their lines, one address each, status-5 shipments."""
        with self.lock:
            orders = list(self.orders)
            return {
                "orders": len(orders),
                "order_products": sum(len(o["order_products"]) for o in orders),
                "addresses": len(orders),
                "shipments": sum(1 for o in orders if o["status_order_id"] == 5),
            }

    def mutate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Change an order's status (default: ship the newest order that is paid or being prepared).

        Payload: `{"id": 12, "status_order_id": 5}`; status 5 adds a tracking number and carrier.
        """
        with self.lock:
            status = int(payload.get("status_order_id", 5))
            if "id" in payload:
                order = next(o for o in self.orders if o["id"] == int(payload["id"]))
            else:
                order = next(o for o in reversed(self.orders) if o["status_order_id"] in (2, 4))
            if status == 5:
                self._ship(order, data.rng(self.seed, "ship", order["id"]))
            else:
                order["status_order_id"] = status
            if order["_submitted"] is None and status != 1:
                order["_submitted"] = self.now
            public = self._public(order)
            return json.loads(json.dumps(public.get("order", public), default=str))

    def first_submitted_day(self) -> str:
        return min(o["_submitted"] for o in self.submitted()).astimezone(timezone.utc).strftime("%Y-%m-%d")
