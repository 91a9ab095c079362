"""REC+ API sandbox (doc: shared/api-docs/rec-plus.txt), served under /api/v1.

Faithful to the doc where it speaks:
- HTTP Basic with the Full API username/password sees everything; the Public API key (sent as the
  Basic username with an empty password: the doc does not say how, this is our reading) sees only
  public data (products, categories, ...) and gets 403 on private resources (orders, users, ...).
- Collections: `limit`/`offset` paging (default 25, max 1000) in the documented envelope
  `{href, <resource>: [...], count, total_count, paging: {offset, limit, *_page_href}}`.
  Without `fields=*` records carry only their basic fields.
- `since_timestamp` as Unix seconds or `YYYY-MM-DDTHH:MM:SS` in the site's time zone (inclusive);
  products take `since_timestamp_field` = `live` (default) or `updated`; orders filter on when
  they were placed (`start_date`). `sort` on products and categories; the default order is
  newest id first, as in the doc's example.
- `/products/{code}?identifier=code`, errors as `{"errors": [{"status", "message"}]}`, prices as strings,
  dates as `YYYY-MM-DDTHH:MM:SS` in the site time zone (Europe/London).

Options for other readings of the doc: `max_limit` (a server that caps `limit` lower, silently);
`null_updated` (a server whose "updated" column is NULL for products never modified since they were
added: every fifth product has no `date_modified_admin`, and any `since_timestamp` with
`since_timestamp_field=updated` leaves those out, as SQL's `NULL >= x` does); `date_offsets` (product
dates written with the site's UTC offset, `2024-06-01T10:00:00+01:00`; filters still read site time);
`missing_modules` (resources this shop does not use, e.g. `["blog-posts", "testimonials"]`: they
answer 404 "Resource not found" in the documented error shape); `category_dates` (the doc shows no
category record: `date_modified` (default) or `admin_api`, product-like `date_added`,
`date_modified_admin`, `date_modified_api`; `since_timestamp` on categories filters on the latest).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from .. import data
from ..api import SupplierApi
from ..http import Request, Response

FULL_USER, FULL_PASS = "rec_api_user", "rec_api_pass"
PUBLIC_KEY = "rec_public_key"
SITE_TZ = "Europe/London"
FMT = "%Y-%m-%dT%H:%M:%S"

# resource path -> public? (public key may read it)
RESOURCES: dict[str, bool] = {
    "products": True, "categories": True, "manufacturers": True, "product-reviews": True,
    "regions": True, "blog-posts": True, "pages": True, "departments": True, "sliders": True,
    "testimonials": True, "google-reviews": True, "product-filter-blocks": True,
    "download-categories": True, "downloads": True,
    "stock": False, "orders": False, "users": False, "user-groups": False, "coupons": False,
    "delivery-methods": False, "payment-methods": False, "vat-types": False, "options": False,
    "newsletters": False,
}
ORDER_STATUSES = ["Awaiting Payment", "Payment Received", "Processing", "Dispatched", "Completed", "Cancelled"]


def _error(status: int, message: str) -> Response:
    return Response.json({"errors": [{"status": status, "message": message}]}, status=status)


class RecPlusApi(SupplierApi):
    name = "rec-plus"
    connector = "source-rec-plus"
    secrets = ("rec_api_pass",)

    @staticmethod
    def connector_config(base_url: str) -> dict[str, Any]:
        return {"domain": "sandbox.invalid", "username": "rec_api_user", "password": "rec_api_pass", "base_url": base_url}
    base_path = "/api/v1"

    def __init__(self, max_limit: int = 1000, null_updated: bool = False, date_offsets: bool = False,
                 missing_modules: tuple[str, ...] = (), category_dates: str = "date_modified", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tz = ZoneInfo(SITE_TZ)
        self.site_now = self.now.astimezone(self.tz).replace(tzinfo=None)
        self.max_limit = max_limit
        self.date_offsets = date_offsets
        self.tables: dict[str, list[dict]] = {}
        self._seed()
        if null_updated:
            for product in self.tables["products"][::5]:
                product["date_modified_admin"] = None
        if category_dates == "admin_api":
            for category in self.tables["categories"]:
                stamp = category.pop("date_modified")
                category.update(date_added=stamp, date_modified_admin=stamp, date_modified_api=None)
        elif category_dates != "date_modified":
            raise ValueError("category_dates must be date_modified or admin_api")
        for resource in missing_modules:
            del self.tables[resource]
        self.router.add("GET", "/api/v1/{resource}", self._list)
        self.router.add("GET", "/api/v1/{resource}/{id}", self._detail)

    # -- data ---------------------------------------------------------------------------------
    def _ts(self, when: datetime) -> str:
        return when.strftime(FMT)

    def _seed(self) -> None:
        s, n = self.seed, self.scale
        r = data.rng(s, "reference")
        self.tables["categories"] = [
            {"href": f"/categories/{24000 + i}.json", "id": 24000 + i, "name": f"{w} range", "parent_id": (24000 if i > 3 else 0),
             "status": "live", "sort_order": i, "url": f"/{w.lower()}--category--{24000 + i}.html",
             "date_modified": self._ts(data.spread(r, self.site_now, 200))}
            for i, w in enumerate(data.WORDS[:12], start=1)
        ]
        self.tables["manufacturers"] = [{"href": f"/manufacturers/{i}.json", "id": i, "name": f"{w} Works", "url": f"/m/{i}"} for i, w in enumerate(data.WORDS[:8], start=1)]
        self.tables["delivery-methods"] = [{"href": f"/delivery-methods/{i}.json", "id": i, "name": nm, "price": p} for i, (nm, p) in enumerate([("Standard", "0.00"), ("Express", "7.95"), ("Next Day", "12.50")], start=1)]
        self.tables["payment-methods"] = [{"href": f"/payment-methods/{i}.json", "id": i, "name": nm} for i, nm in [(58, "PayPal Express Checkout"), (59, "Card"), (60, "Bank Transfer")]]
        self.tables["regions"] = [{"href": f"/regions/{240 + i}.json", "id": 240 + i, "country": c, "county": ct} for i, (c, ct) in enumerate([("UK", "Worcestershire"), ("UK", "Devon"), ("United States", "Alabama"), ("Netherlands", "Utrecht"), ("Germany", "NRW"), ("France", "Rhône")], start=1)]
        self.tables["vat-types"] = [{"href": f"/vat-types/{i}.json", "id": i, "name": nm, "rate": rate} for i, (nm, rate) in enumerate([("Standard", "20.00"), ("Reduced", "5.00"), ("Zero", "0.00")], start=1)]
        self.tables["user-groups"] = [{"href": f"/user-groups/{i}.json", "id": i, "name": nm} for i, nm in enumerate(["Retail", "Trade", "VIP"], start=1)]
        self.tables["coupons"] = [{"href": f"/coupons/{70 + i}.json", "id": 70 + i, "name": f"Gift Voucher for £{10 * i}.00", "code": f"C{i}K{13 * i}x", "value": f"{10 * i}.00", "is_percentage": False} for i in range(1, 6)]
        for path, count in [("blog-posts", 5), ("pages", 4), ("departments", 3), ("sliders", 2), ("testimonials", 4), ("google-reviews", 6), ("product-filter-blocks", 3), ("download-categories", 2), ("downloads", 4), ("newsletters", 2)]:
            self.tables[path] = [{"href": f"/{path}/{i}.json", "id": i, "name": f"{path.replace('-', ' ').title()} {i}"} for i in range(1, count + 1)]
        self._seed_products(data.rng(s, "products"), 80 * n)
        self._seed_users(data.rng(s, "users"), 30 * n)
        self._seed_orders(data.rng(s, "orders"), 60 * n)
        self.tables["product-reviews"] = [
            {"href": f"/product-reviews/{i}.json", "id": i, "product_id": self.tables["products"][i % len(self.tables["products"])]["id"],
             "score": 1 + i % 5, "featured": i % 4 == 0, "verified_purchase": i % 2 == 0, "review": "Lovely", "name": "Bob"}
            for i in range(1, 40 * n + 1)
        ]

    def _seed_products(self, r, count: int) -> None:
        products, stock, options = [], [], []
        option_id = 12000
        for i in range(count):
            pid = 58000 + i
            code = f"SKU-{pid}"
            added = data.spread(r, self.site_now - timedelta(days=30), 400)
            modified = added + timedelta(hours=r.randint(1, 2000))
            modified = min(modified, self.site_now - timedelta(days=1))
            product_options, variations = [], []
            if i % 4 == 0:  # a quarter of products have two options groups and variations
                for group, descs in (("Multi Pack", ("Yes", "No")), ("Saver Discount", ("Yes",))):
                    for desc in descs:
                        option_id += 1
                        opt = {"id": option_id, "group": group, "desc": desc, "code": "", "price": data.money(r, 0, 5), "special_price": "",
                               "weight": "", "stock_qty": r.randint(0, 999), "sort_order": len(product_options) + 1, "hidden": False,
                               "gtin": "", "cost": "", "sync_key": f"K{option_id}", "group_prices": {}, "group_special_prices": {}}
                        product_options.append(opt)
                        options.append({"href": f"/options/{option_id}.json", "product_id": pid, **opt})
                for mp in ("Yes", "No"):
                    variations.append({"code": f"{code}-{mp.lower()}-yes", "prev_codes": "", "stock": r.randint(0, 999), "cost": "",
                                       "options": {"Multi Pack": mp, "Saver Discount": "Yes"}})
            qty = r.randint(0, 2000)
            category = self.tables["categories"][i % 12]["id"]
            manufacturer = self.tables["manufacturers"][i % 8] if i % 3 else None
            products.append({
                "href": f"/products/{pid}.json", "id": pid, "name": data.product_name(r), "code": code,
                "status": r.choice(["live", "live", "live", "draft", "special_offer"]),
                "link": f"https://shop.example/{code}--product--{pid}.html", "image": f"https://shop.example/img/{pid}.jpg",
                "price": {"normal": data.money(r), "special_offer": "0.00"},
                "additional_images": [], "short_desc": "", "desc": "<p>Seeded product</p>", "tax_class": 1, "additional_prices": [],
                "categories": {"default": {"href": f"/categories/{category}.json", "id": category}, "2": None, "3": None, "4": None, "5": None},
                "date_added": self._ts(added), "date_modified_admin": self._ts(modified),
                "date_modified_api": None, "sort_order": i, "custom_sort_order": {"featured": 0, "special": 0},
                "delivery": {"costs_to_zones": [], "free_delivery": 0, "free_delivery_zone": 0},
                "manufacturer": ({"href": f"/manufacturers/{manufacturer['id']}.json", "id": manufacturer["id"], "name": manufacturer["name"]} if manufacturer else None),
                "stock": {"qty": qty, "options_group_use_as_stock": "", "pack_qty": 1, "alert_qty": "", "stop_qty": "", "back_in_stock_date": ""},
                "marketing_site_link": "", "hide_prices": False, "is_enquiry_only": False, "banner_text": "", "banner_color": "#",
                "model_3d_image_path": "", "model_3d_image_path_ios": "", "download": None, "additional_downloads": [],
                "options": product_options, "attributes": [], "weight": f"{r.uniform(0.1, 20):.2f}", "youtube_clip": "", "videos": [],
                "cost_price": "", "is_digital": False, "is_addon_product": False, "is_discontinued": i % 17 == 0,
                "exclude_from_api_webhook": False, "triggers_event_system": True, "special_offer_start_date": None,
                "special_offer_end_date": None, "meta_title": "", "meta_keywords": "", "meta_description": "",
                "exclude_from_google_base": False, "google_product_category": "", "purchase_event": None,
                "bundle": {"sync_stock_with_components": False, "sync_price_with_components": False, "sync_cost_with_components": False,
                           "sync_weight_with_components": False, "is_bundle": False, "assembly_instructions": "", "assembly_bin_location": ""},
                "launch_date": "0000-00-00 00:00:00", "launch_status": "live", "packaging_type_id": 1,
                "tags": {"Colours": [], "Season": []}, "associations": [], "alternatives": [], "addons": [], "components": [],
                "variations": variations,
            })
            stock.append({"code": code, "stock": qty, "cost": data.money(r, 1, 50) if i % 2 else ""})
            stock.extend({"code": v["code"], "stock": v["stock"], "cost": ""} for v in variations)
        self.tables["products"] = products
        self.tables["stock"] = stock
        self.tables["options"] = options

    def _address(self, r, name: str) -> dict:
        a = data.address(r)
        region = r.choice(self.tables["regions"])
        return {"recipient_name": name, "business_name": "", "line_1": a["street"], "line_2": "", "town": a["town"],
                "region": {"href": region["href"], "country": region["country"], "county": region["county"]},
                "post_code": a["post_code"], "tel_no": f"07{r.randint(100000000, 999999999)}", "mobile_tel_no": "", "fax_no": ""}

    def _seed_users(self, r, count: int) -> None:
        users = []
        for i in range(count):
            first, last = data.person(r)
            name = f"{first} {last}"
            users.append({"href": f"/users/{100 + i}.json", "id": 100 + i, "full_name": name, "membership_code": "",
                          "email": f"{first.lower()}.{i}@example.com", "user_group_id": 1 + i % 3,
                          "billing_address": self._address(r, name)})
        self.tables["users"] = users

    def _seed_orders(self, r, count: int) -> None:
        orders = []
        products = self.tables["products"]
        for i in range(count):
            oid = 112000 + i
            user = self.tables["users"][i % len(self.tables["users"])]
            placed = data.spread(r, self.site_now - timedelta(hours=1), 120)
            lines, total, vat = [], 0.0, 0.0
            for j in range(1 + i % 3):
                p = products[(i * 7 + j) % len(products)]
                qty = 1 + (i + j) % 3
                each = float(p["price"]["normal"])
                line_vat = round(each * qty / 6, 2)
                total += each * qty
                vat += line_vat
                lines.append({"id": 19000 + i * 10 + j, "line_rel_id": 0, "line_type": "PRODUCT", "line_desc": f"{p['name']} - {p['code']}",
                              "rel_data": {"product": {"href": p["href"], "id": p["id"], "name": p["name"], "code": p["code"]}},
                              "status": "", "qty": qty, "price": f"{each * qty:.2f}", "vat": f"{line_vat:.2f}", "vat_percentage": 20,
                              "each_price_ex_vat": round(each * 5 / 6, 2), "each_price_vat": round(each / 6, 4),
                              "each_price_discount_ex_vat": "0.00", "each_price_discount_vat": 0, "weight": 0})
            delivery = self.tables["delivery-methods"][i % 3]
            lines.append({"id": 19000 + i * 10 + 9, "line_rel_id": 0, "line_type": "DELIVERY", "line_desc": delivery["name"],
                          "rel_data": {"delivery": {"href": delivery["href"], "id": delivery["id"], "name": delivery["name"]}},
                          "status": "", "qty": 1, "price": delivery["price"], "vat": "0.00", "vat_percentage": 20,
                          "each_price_ex_vat": 0, "each_price_vat": 0, "each_price_discount_ex_vat": 0, "each_price_discount_vat": 0, "weight": 0})
            status = ORDER_STATUSES[i % len(ORDER_STATUSES)]
            for line in lines:
                line["status"] = status
            payment = self.tables["payment-methods"][i % 3]
            orders.append({
                "href": f"/orders/{oid}.json", "id": oid, "invoice_id": 800 + i, "session_id": f"s.{oid:x}",
                "start_date": self._ts(placed), "payment_date": self._ts(placed + timedelta(minutes=1)) if status != "Awaiting Payment" else None,
                "payment_method": {"href": payment["href"], "id": payment["id"], "name": payment["name"]},
                "payment_data": {"verify_sign": "", "payer_id": "", "payer_status": ""},
                "status": status,
                "user": {"href": user["href"], "id": user["id"], "full_name": user["full_name"], "membership_code": "",
                         "email": user["email"], "billing_address": user["billing_address"]},
                "delivery_address": self._address(r, user["full_name"]),
                "tracking": {"medium": "direct", "source": "", "term": "", "using_stored_data": 0},
                "totals": {"qty": sum(l["qty"] for l in lines), "price": f"{total:.2f}", "vat": f"{vat:.2f}", "weight": 0, "delivery": delivery["price"]},
                "lines": lines, "is_free_delivery": False, "customers_order_id": "", "fob": "", "required_by_date": "",
                "purchase_order_number": f"PO{i}" if i % 5 == 0 else "", "delivery_note": "",
            })
        self.tables["orders"] = orders

    # -- admin --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {path.replace("-", "_"): len(rows) for path, rows in self.tables.items()}
        if "orders" in self.tables:
            out["order_lines"] = sum(len(o["lines"]) for o in self.tables["orders"])
            out["addresses"] = 2 * len(self.tables["orders"])
        return out

    def mutate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`{"resource": "orders"|"products"|..., "id": 1, "set": {...}}`: change a record now.

        Products get `date_modified_api` = now (so `since_timestamp_field=updated` finds them);
        orders keep their `start_date` (the API has no updated date: only a lookback finds them).
        """
        resource, key = payload["resource"], payload["id"]
        with self.lock:
            record = next(r for r in self.tables[resource] if r.get("id", r.get("code")) == key)
            record.update(payload.get("set", {}))
            if resource == "orders" and "status" in payload.get("set", {}):
                for line in record["lines"]:
                    line["status"] = record["status"]
            if resource == "products":
                record["date_modified_api"] = self._ts(datetime.now(self.tz).replace(tzinfo=None, microsecond=0))
            if resource == "categories":
                now = self._ts(datetime.now(self.tz).replace(tzinfo=None, microsecond=0))
                record["date_modified" if "date_modified" in record else "date_modified_api"] = now
            return record

    # -- auth ---------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return _error(401, "Authentication required: use HTTP Basic with your API username and password")
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except Exception:
            return _error(401, "Malformed Authorization header")
        if user == FULL_USER and password == FULL_PASS:
            request.context["access"] = "full"
            return None
        if user == PUBLIC_KEY and password == "":
            request.context["access"] = "public"
            return None
        return _error(401, "Invalid API credentials")

    # -- routes -------------------------------------------------------------------------------
    def _access(self, request: Request, resource: str) -> Response | None:
        if resource not in self.tables:
            return _error(404, "Resource not found")
        if request.context.get("access") == "public" and not RESOURCES.get(resource, False):
            return _error(403, f"Public API key access only allows public data; '{resource}' needs Full API access")
        return None

    def _list(self, request: Request) -> Response:
        resource = request.path_params["resource"].removesuffix(".json")
        denied = self._access(request, resource)
        if denied:
            return denied
        try:
            limit = int(request.arg("limit", "25") or 25)
            offset = int(request.arg("offset", "0") or 0)
        except ValueError:
            return _error(400, "limit and offset must be integers")
        if limit < 1 or offset < 0:
            return _error(400, "limit must be positive and offset non-negative")
        limit = min(limit, self.max_limit)
        with self.lock:
            rows = self._filtered(request, resource)
            if isinstance(rows, Response):
                return rows
            page = rows[offset: offset + limit]
            full = request.arg("fields") == "*"
            page = [dict(row) if full else self._basic(resource, row) for row in page]
            if self.date_offsets and resource == "products":
                page = [{k: self._with_offset(v) if k.startswith("date_") and v else v for k, v in row.items()} for row in page]
        base = f"/{resource}.json?fields={request.arg('fields', '')}&identifier={request.arg('identifier', '')}"
        last_offset = max(0, (len(rows) - 1) // limit * limit)
        return Response.json({
            "href": base,
            resource.replace("-", "_"): page,
            "count": len(page),
            "total_count": len(rows),
            "paging": {
                "offset": offset, "limit": limit,
                "first_page_href": f"{base}&limit={limit}&offset=0",
                "last_page_href": f"{base}&limit={limit}&offset={last_offset}",
                "next_page_href": f"{base}&limit={limit}&offset={offset + limit}" if offset + limit < len(rows) else None,
                "previous_page_href": f"{base}&limit={limit}&offset={max(0, offset - limit)}" if offset > 0 else None,
            },
        })

    def _since(self, request: Request) -> datetime | None | Response:
        raw = request.arg("since_timestamp")
        if not raw:
            return None
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), tz=self.tz).replace(tzinfo=None)
        try:
            return datetime.strptime(raw, FMT)
        except ValueError:
            return _error(400, f"since_timestamp '{raw}' is neither a Unix timestamp nor YYYY-MM-DDTHH:MM:SS")

    def _filtered(self, request: Request, resource: str) -> list[dict] | Response:
        rows = list(self.tables[resource])
        since = self._since(request)
        if isinstance(since, Response):
            return since
        key: Callable[[dict], Any] = lambda row: -row.get("id", 0) if "id" in row else row.get("code")  # noqa: E731
        if resource == "products":
            field = request.arg("since_timestamp_field", "live")
            if field not in ("live", "updated"):
                return _error(400, "since_timestamp_field must be one of: live, updated")
            stamp = (lambda p: p["date_added"]) if field == "live" else self._product_updated
            if since is not None:
                rows = [p for p in rows if stamp(p) is not None and datetime.strptime(stamp(p), FMT) >= since]
            for name in ("status", "category"):
                wanted = request.arg(name)
                if wanted:
                    rows = [p for p in rows if str(p["status"] if name == "status" else p["categories"]["default"]["id"]) == wanted]
            ids = request.arg("ids")
            if ids:
                wanted_ids = {int(x) for x in ids.split(",") if x.strip().isdigit()}
                rows = [p for p in rows if p["id"] in wanted_ids]
            sorts = {"id": lambda p: p["id"], "name": lambda p: p["name"], "code": lambda p: p["code"], "sort_order": lambda p: p["sort_order"],
                     "live": lambda p: p["date_added"], "updated": lambda p: self._product_updated(p) or ""}
        elif resource == "orders":
            if since is not None:
                rows = [o for o in rows if datetime.strptime(o["start_date"], FMT) >= since]
            sorts = {}
        elif resource == "categories":
            if since is not None:
                rows = [c for c in rows if datetime.strptime(self._category_modified(c), FMT) >= since]
            parent = request.arg("parent")
            if parent:
                rows = [c for c in rows if str(c["parent_id"]) == parent]
            sorts = {"id": lambda c: c["id"], "name": lambda c: c["name"], "sort_order": lambda c: c["sort_order"], "live": lambda c: c["id"], "updated": self._category_modified}
        elif resource == "stock":
            codes = request.arg("codes")
            if codes:
                wanted_codes = set(codes.split(","))
                rows = [s for s in rows if s["code"] in wanted_codes]
            return rows  # stock keeps the catalogue order
        else:
            sorts = {}
        sort = request.arg("sort")
        if sort:
            if sort not in sorts:
                return _error(400, f"sort must be one of: {', '.join(sorts) or 'none supported'}")
            rows.sort(key=sorts[sort])
        else:
            rows.sort(key=key)
        return rows

    def _with_offset(self, stamp: str) -> str:
        """A site-time `YYYY-MM-DDTHH:MM:SS` with the site's UTC offset, `...+01:00`."""
        return datetime.strptime(stamp, FMT).replace(tzinfo=self.tz).isoformat()

    @staticmethod
    def _category_modified(c: dict) -> str:
        return c.get("date_modified") or max(filter(None, [c.get("date_added"), c.get("date_modified_admin"), c.get("date_modified_api")]))

    @staticmethod
    def _product_updated(p: dict) -> str | None:
        return max(filter(None, [p["date_modified_admin"], p["date_modified_api"]]), default=None)

    @staticmethod
    def _basic(resource: str, row: dict) -> dict:
        if resource == "products":
            return {k: row[k] for k in ("href", "id", "name", "code", "status", "link", "image", "price")}
        if resource == "orders":
            return {k: row[k] for k in ("href", "id", "invoice_id", "start_date", "status")}
        if resource == "stock":
            return dict(row)
        return {k: v for k, v in row.items() if k in ("href", "id", "name", "code")}

    def _detail(self, request: Request) -> Response:
        resource = request.path_params["resource"]
        ident = request.path_params["id"].removesuffix(".json")
        denied = self._access(request, resource)
        if denied:
            return denied
        identifier = request.arg("identifier") or ("code" if resource == "stock" else "id")
        with self.lock:
            for row in self.tables[resource]:
                if str(row.get(identifier)) == ident:
                    return Response.json(row)
                if resource == "products" and identifier == "code" and any(v["code"] == ident for v in row["variations"]):
                    return Response.json(row)
        singular = resource.rstrip("s").replace("-", " ").capitalize()
        return _error(404, f"{singular} not found")
