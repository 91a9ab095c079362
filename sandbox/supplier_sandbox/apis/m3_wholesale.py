"""M3 Wholesale: a Dutch B2B wholesaler's order API in front of an Infor M3 ERP (Laravel/PHP style).

Paths and auth come from GUIDE.md (the rendered OpenAPI doc lost them): `Authorization: Bearer`,
everything under `/api/v1/`. Dates are PHP DateTime objects rendered the way PHP's JSON encoder
does: `{"date": "Y-m-d H:i:s.u", "timezone_type": 3, "timezone": "<IANA name>"}`, with the wall
time of the instant in that zone (an instant in the repeated autumn hour loses its offset, as in PHP).

Tokens: `m3-sandbox-token` has every feature; `m3-no-product-list` lacks PRODUCT_LIST (403 on the
SKU list only). Anything else is 401.

Where the doc leaves room, options serve the other readings:
- `categories_shape`: `keyed` (`{"b2b": [...], "b2c": [...]}`, default), `prefixed`
  (`{"categories-b2b": {...}, "categories-b2c": {...}}` grouped like the product detail), or `list`
  (one unlabelled list of roots, like the doc's single-category example), or `data` (that list in
  Laravel's resource envelope, `{"data": [...], "links": {}, "meta": {}}`, as the companies list).
- `flat` stock (`listtype=flat`) is one object `{sku: value}`; `nested` (default) a list of one-key objects.
- `naive_tz`: how a `modified_since` without an offset is read (default Europe/Amsterdam; `UTC`).
- `strict_status`: a `status` filter value outside the doc's enum (e.g. `pending`, which the examples
  show) is refused with 422, as Laravel's `in:` rule does; `capitalized_statuses`: orders carry
  `"Processing"` rather than `"processing"` (as the doc's status endpoint does); the filter matches
  either case.
- `strict_since`: `modified_since` must be in each endpoint's documented form, else 422 as Laravel's
  validator answers: the product list's example form `YYYY-MM-DD HH:MM`, stock's ISO 8601
  (`YYYY-MM-DDTHH:MM[:SS][offset]`). Off by default (any form PHP's DateTime reads).
- `companies_paging`: the doc's companies example has empty `links` and `meta` objects. `laravel`
  (default) fills both as Laravel's API resources do (`per_page` is cut to `per_page_max`); `links` pages but fills only `links`
  (`meta: {}`); `unpaged` answers every company at once with both empty, as the example shows.
- `order_ids`: `integer` (default, the list's `"id": 12345`) or `string` (`"ORD12001"`, the form
  the create-order response shows).
- `repeated_sku_lines`: every third order lists its first line's SKU again on a last line of its
  own (another quantity): the doc gives lines no id, so nothing rules this out.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from ..api import SupplierApi
from ..data import FIRST, LAST, STREETS, WORDS, person, rng, spread
from ..http import Request, Response

TOKEN = "m3-sandbox-token"
TOKEN_NO_PRODUCT_LIST = "m3-no-product-list"
AMS = ZoneInfo("Europe/Amsterdam")
STATUSES = ["error", "processing", "in-m3", "m3-error", "shipped", "canceled", "complete"]
CITIES = [("Amsterdam", "1012AB"), ("Rotterdam", "3011CD"), ("Utrecht", "3511EF"), ("Eindhoven", "5611GH"), ("Groningen", "9711IJ")]
COURIERS = ["DHL", "PostNL", "DPD", "GLS"]
# Instants around the 2024 Europe/Amsterdam DST changes: spring gap (02:00 -> 03:00 on 31 March)
# and the repeated autumn hour (03:00 -> 02:00 on 27 October). Orders 1..4 carry them.
DST_INSTANTS = [
    datetime(2024, 3, 31, 0, 59, 59, tzinfo=timezone.utc),  # 01:59:59 CET, last second before the gap
    datetime(2024, 3, 31, 1, 30, tzinfo=timezone.utc),  # 03:30 CEST, just after the gap
    datetime(2024, 10, 27, 0, 30, tzinfo=timezone.utc),  # 02:30 CEST, first pass of the repeated hour
    datetime(2024, 10, 27, 2, 30, tzinfo=timezone.utc),  # 03:30 CET, after the repeated hour
]


def php_datetime(instant: datetime, zone: str = "Europe/Amsterdam") -> dict[str, Any]:
    """An aware datetime as PHP's json_encode renders a DateTime in `zone` (timezone_type 3)."""
    tz = timezone.utc if zone == "UTC" else ZoneInfo(zone)
    local = instant.astimezone(tz)
    return {"date": local.strftime("%Y-%m-%d %H:%M:%S.%f"), "timezone_type": 3, "timezone": zone}


# the documented forms, for `strict_since`
SINCE_EXAMPLE_FORM = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
SINCE_ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def parse_since(text: str, naive_tz: str) -> datetime:
    """`modified_since` as PHP's DateTime constructor reads it: with or without offset, `T` or space."""
    value = text.strip().replace(" ", "T", 1)
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc if naive_tz == "UTC" else ZoneInfo(naive_tz))
    return parsed


class M3WholesaleApi(SupplierApi):
    name = "m3-wholesale"
    connector = "source-m3-wholesale"
    secrets = ("m3-sandbox-token",)

    @staticmethod
    def connector_config(base_url: str) -> dict[str, Any]:
        return {"base_url": base_url, "api_token": "m3-sandbox-token"}
    base_path = ""

    def __init__(
        self,
        scale: int = 1,
        seed: int = 1,
        now: datetime | None = None,
        categories_shape: str = "keyed",
        naive_tz: str = "Europe/Amsterdam",
        per_page_default: int = 15,
        companies_paging: str = "laravel",
        per_page_max: int = 100,
        strict_since: bool = False,
        strict_status: bool = False,
        capitalized_statuses: bool = False,
        order_ids: str = "integer",
        repeated_sku_lines: bool = False,
    ) -> None:
        super().__init__(scale=scale, seed=seed, now=now)
        if categories_shape not in ("keyed", "prefixed", "list", "data"):
            raise ValueError(f"categories_shape {categories_shape!r}: keyed, prefixed, list or data")
        self.categories_shape = categories_shape
        if companies_paging not in ("laravel", "links", "unpaged"):
            raise ValueError(f"companies_paging {companies_paging!r}: laravel, links or unpaged")
        self.companies_paging = companies_paging
        self.naive_tz = naive_tz
        self.per_page_default = per_page_default
        self.strict_since = strict_since
        self.strict_status = strict_status
        self.capitalized_statuses = capitalized_statuses
        if order_ids not in ("integer", "string"):
            raise ValueError(f"order_ids {order_ids!r}: integer or string")
        self.order_ids = order_ids
        self.repeated_sku_lines = repeated_sku_lines
        self.per_page_max = per_page_max  # a larger per_page is cut to this, as Laravel APIs commonly do
        self._build()
        r = self.router
        r.add("GET", "/api/v1/companies", self._companies)
        r.add("GET", "/api/v1/companies/{company}", self._company)
        r.add("GET", "/api/v1/orders", self._orders)
        r.add("GET", "/api/v1/orders/{order}", self._order)
        r.add("GET", "/api/v1/orders/{order}/status", self._order_status)
        r.add("GET", "/api/v1/products", self._product_list)
        r.add("GET", "/api/v1/products/barcode/{barcode}", self._product_by_barcode)
        r.add("GET", "/api/v1/products/{product}", self._product)
        r.add("GET", "/api/v1/stock/{kind}", self._stock)
        r.add("GET", "/api/v1/categories", self._categories)
        r.add("GET", "/api/v1/categories/{category}", self._category)

    # -- data ---------------------------------------------------------------------------------
    def _build(self) -> None:
        seed, now = self.seed, self.now
        self.companies: list[dict[str, Any]] = []
        for i in range(1, 60 * self.scale + 1):
            r = rng(seed, "company", i)
            city, postal = r.choice(CITIES)
            self.companies.append({
                "code": f"EA{i:05d}",
                "name": f"{r.choice(LAST)} {r.choice(['B.V.', 'Holding', 'Groothandel', 'Retail'])}",
                "address": {
                    "street": r.choice(STREETS), "number": str(r.randint(1, 300)),
                    "number_suffix": r.choice(["", "A", "B", None]), "default": True,
                    "postal_code": postal, "city": city, "cc": "NL", "country": "NL",
                    "email_shipping": f"shipping{i}@example.nl",
                },
            })
        # categories: two trees, three levels deep
        self.trees: dict[str, list[dict[str, Any]]] = {}
        for tree, base in (("b2b", 20000), ("b2c", 30000)):
            roots = []
            for a in range(3):
                root = self._new_category(tree, base + a * 100, 1, [], f"{WORDS[a]}{tree.upper()}")
                for b in range(2):
                    child = self._new_category(tree, base + a * 100 + (b + 1) * 10, 2, [root], f"{WORDS[a + b + 3]}{tree.upper()}{a}")
                    for c in range(2):
                        leaf = self._new_category(tree, base + a * 100 + (b + 1) * 10 + c + 1, 3, [root, child], f"{WORDS[(a + b + c) % 16]}{tree.upper()}{a}{b}{c}")
                        child["children"].append(leaf)
                    root["children"].append(child)
                roots.append(root)
            self.trees[tree] = roots
        leaves = {t: [leaf for root in roots for child in root["children"] for leaf in child["children"]] for t, roots in self.trees.items()}
        self.products: dict[str, dict[str, Any]] = {}
        self.stock: dict[str, dict[str, Any]] = {}
        for i in range(1, 200 * self.scale + 1):
            r = rng(seed, "product", i)
            sku = f"{i:07d}" if i % 7 else f"A{i:07d}L"
            modified = spread(r, now - timedelta(days=1), 400)
            zone = "UTC" if i % 3 else "Europe/Amsterdam"
            image = {"sequence": 1, "type": "image", "primary": True, "hash": f"{i:032x}", "mimetype": "image/jpeg", "ext": "jpg", "size": r.randint(10_000, 900_000)}
            b2b, b2c = r.choice(leaves["b2b"]), r.choice(leaves["b2c"])
            exvat = r.randint(100, 50_000) / 100
            self.products[sku] = {
                "sku": sku, "ocsid": sku, "vendor_item_no": str(r.randint(10000, 99999)),
                "expiring": r.random() < 0.05, "last_modified": modified, "_zone": zone,
                "update_count": r.randint(1, 40), "blister": r.random() < 0.2,
                "consumer": r.random() < 0.5, "blocked": r.random() < 0.03,
                "barcode": {"value": f"87{i:011d}", "type": "EAN13", "image": dict(image, type="barcode")},
                "stock": "in_stock", "stock_colour": "green",
                "dropshipment": {"dropshipable": r.random() < 0.7, "is_big_parcel": r.random() < 0.1},
                "customs": {"code": str(r.randint(10**8, 10**9 - 1)), "label": r.choice(["Electronics", "Garden", "Camping"]), "origin": r.choice(["NL", "DE", "CN"])},
                "categories-b2b": {r.choice(WORDS): [self._strip_children(b2b)]},
                "categories-b2c": {r.choice(WORDS): [self._strip_children(b2c)]},
                "prices": [{"seller": 0, "exvat": exvat, "incvat": round(exvat * 1.21, 2), "vatamount": round(exvat * 0.21, 2), "minqty": q, "priceOnDemand": False} for q in (1, 10)[: r.randint(1, 2)]],
                "price_unit": r.choice(["piece", "STUKS"]), "sales_unit": r.choice(["box", "piece"]),
                "sales_unit_amount": r.choice([1, 5, 10]), "files": [dict(image, type="pdf", mimetype="application/pdf", ext="pdf")] if r.random() < 0.3 else [],
                "attributes": [{"code": "color", "code_new": "Color2", "title": "Color", "description": r.choice(["Blue", "Red", "Black"])}],
                "media": [image],
                "title": " ".join(r.sample(WORDS, 3)),
            }
            in_stock = r.random() < 0.8
            self.stock[sku] = {"in_stock": in_stock, "modified": spread(r, now - timedelta(days=1), 60)}
            self._sync_stock_fields(sku)
        skus = sorted(self.products)
        self.orders: list[dict[str, Any]] = []
        for i in range(1, 40 * self.scale + 1):
            r = rng(seed, "order", i)
            company = self.companies[r.randrange(len(self.companies))]
            first, last = person(r)
            city, postal = r.choice(CITIES)
            updated = DST_INSTANTS[i - 1] if i <= len(DST_INSTANTS) else spread(r, now - timedelta(days=1), 200)
            lines = []
            for sku in r.sample(skus, r.randint(1, 4)):
                product = self.products[sku]
                price = product["prices"][0]["exvat"]
                lines.append({
                    "title": product["title"], "barcode": product["barcode"]["value"], "product_sku": sku,
                    "sales_unit": "STUKS", "price_unit": "STUKS", "sales_unit_amount": product["sales_unit_amount"],
                    "quantity": r.randint(1, 12), "price": price, "discount": r.choice([None, None, 5]),
                    "reference": f"REF{r.randint(100, 999)}", "customer_price": round(price * 0.8, 2),
                    "sold_price": round(price * 0.9, 2), "tax": 21,
                })
            if self.repeated_sku_lines and i % 3 == 0:  # no rng draw: the other data stays as without the option
                lines.append({**lines[0], "quantity": lines[0]["quantity"] + 1, "reference": f"{lines[0]['reference']}-2"})
            shipments = []
            for s in range(r.choice([0, 0, 1, 1, 2])):
                for piece in range(1, r.randint(1, 2) + 1):
                    shipments.append({
                        "created_at": updated - timedelta(hours=r.randint(1, 48)), "shipment_id": 50000 + i * 10 + s,
                        "courier": r.choice(COURIERS), "piece_number": piece, "tracker_code": f"JD{r.randint(10**18, 10**19 - 1)}",
                    })
            billing = None if r.random() < 0.7 else {
                "first_name": first, "last_name": last, "address_one_street": r.choice(STREETS),
                "address_one_number": str(r.randint(1, 99)), "address_one_additional": None,
                "address_two_street": None, "address_two_number": None, "address_two_additional": None,
                "city": city, "zipcode": postal, "country": "NL", "phone_number": None, "delivery_note": None,
            }
            self.orders.append({
                "id": f"ORD{12000 + i}" if self.order_ids == "string" else 12000 + i, "updated_at": updated,
                "status": STATUSES[i % len(STATUSES)] if i > 2 else "pending",
                "creator_name": f"{r.choice(FIRST)} {r.choice(LAST)}", "customer": copy.deepcopy(company),
                "dropship": r.random() < 0.6, "vat": f"NL{r.randint(10**8, 10**9 - 1)}B01",
                "company": company["name"], "reference": f"PO{r.randint(100000, 999999)}",
                "notes": r.choice(["", "Graag voor 12:00 leveren", None]), "BillingAddress": billing,
                "shippingAddress": {
                    "first_name": first, "last_name": last, "address_one_street": r.choice(STREETS),
                    "address_one_number": str(r.randint(1, 400)), "address_one_additional": r.choice([None, "B", "2hg"]),
                    "address_two_street": None, "address_two_number": None, "address_two_additional": None,
                    "city": city, "zipcode": postal, "country": "NL", "phone_number": r.choice([None, "+31 20 123 4567"]),
                    "delivery_note": r.choice([None, "Leave at the front door if no one is home"]),
                },
                "products": lines, "shipments": shipments,
            })

    def _new_category(self, tree: str, number: int, level: int, ancestors: list[dict], code: str) -> dict[str, Any]:
        return {
            "id": code, "code": code, "title": code, "level": level,
            "path": ",".join([*(a["path"].split(",")[-1] for a in ancestors), str(number)]),
            "path_new": ",".join([*(a["code"] for a in ancestors), code]), "is_group": level < 3,
            "media": [], "children": [],
        }

    @staticmethod
    def _strip_children(node: dict[str, Any]) -> dict[str, Any]:
        return {**node, "children": []}

    def _sync_stock_fields(self, sku: str) -> None:
        in_stock = self.stock[sku]["in_stock"]
        self.products[sku]["stock"] = "in_stock" if in_stock else "out_of_stock"
        self.products[sku]["stock_colour"] = "green" if in_stock else "red"

    # -- rendering ------------------------------------------------------------------------------
    def _render_order(self, order: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(order)
        out["updated_at"] = php_datetime(order["updated_at"])
        if self.capitalized_statuses:
            out["status"] = order["status"].capitalize()
        for shipment in out["shipments"]:
            shipment["created_at"] = php_datetime(shipment["created_at"])
        return out

    def _render_product(self, product: dict[str, Any]) -> dict[str, Any]:
        out = {k: copy.deepcopy(v) for k, v in product.items() if not k.startswith("_") and k != "title"}
        out["last_modified"] = php_datetime(product["last_modified"], product["_zone"])
        return out

    # -- auth -----------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        if header not in (f"Bearer {TOKEN}", f"Bearer {TOKEN_NO_PRODUCT_LIST}"):
            return Response.json({"message": "Unauthenticated."}, status=401)
        return None

    # -- handlers -------------------------------------------------------------------------------
    def _companies(self, request: Request) -> Response:
        if self.companies_paging == "unpaged":
            return Response.json({"data": self.companies, "links": {}, "meta": {}})
        page = max(1, int(request.arg("page") or 1))
        per_page = min(self.per_page_max, max(1, int(request.arg("per_page") or self.per_page_default)))
        total = len(self.companies)
        last_page = max(1, -(-total // per_page))
        rows = self.companies[(page - 1) * per_page : page * per_page]
        base = "/api/v1/companies"
        link = lambda p: f"{base}?page={p}" if 1 <= p <= last_page else None  # noqa: E731
        links = {"first": link(1), "last": link(last_page), "prev": link(page - 1), "next": link(page + 1)}
        if self.companies_paging == "links":
            return Response.json({"data": rows, "links": links, "meta": {}})
        return Response.json({
            "data": rows,
            "links": links,
            "meta": {"current_page": page, "from": (page - 1) * per_page + 1 if rows else None, "last_page": last_page,
                     "path": base, "per_page": per_page, "to": (page - 1) * per_page + len(rows) if rows else None, "total": total},
        })

    def _company(self, request: Request) -> Response:
        for company in self.companies:
            if company["code"] == request.path_params["company"]:
                return Response.json(company)
        return Response.json({"message": "Company not found."}, status=404)

    def _status_filter(self, request: Request) -> set[str]:
        """`status[]=a&status[]=b` (PHP arrays), `status=a&status=b` or `status=a,b`."""
        wanted: set[str] = set()
        for value in request.args("status[]") + request.args("status"):
            wanted.update(v for v in value.split(",") if v)
        return wanted

    def _orders(self, request: Request) -> Response:
        wanted = {status.lower() for status in self._status_filter(request)}
        if self.strict_status and wanted - set(STATUSES):
            message = "The selected status is invalid."
            return Response.json({"message": message, "errors": {"status": [message]}}, status=422)
        customer = request.arg("customer_id")
        with self.lock:
            rows = [self._render_order(o) for o in self.orders
                    if (not wanted or o["status"] in wanted) and (not customer or o["customer"]["code"] == customer)]
        return Response.json(rows)

    def _find_order(self, request: Request) -> dict[str, Any] | None:
        wanted = request.path_params["order"]
        return next((o for o in self.orders if str(o["id"]) == wanted), None)

    def _order(self, request: Request) -> Response:
        order = self._find_order(request)
        if order is None:
            return Response.json({"message": "Order not found."}, status=404)
        return Response.json(self._render_order(order))

    def _order_status(self, request: Request) -> Response:
        order = self._find_order(request)
        if order is None:
            return Response.json({"message": "Order not found."}, status=404)
        if (request.arg("output") or "text") == "json":
            return Response.json({"status": order["status"].capitalize(), "updated_at": order["updated_at"].strftime("%Y-%m-%dT%H:%M:%SZ")})
        return Response.text(order["status"].capitalize())

    def _product_list(self, request: Request) -> Response:
        if request.headers.get("authorization") == f"Bearer {TOKEN_NO_PRODUCT_LIST}":
            return Response.json({"message": "This action requires the PRODUCT_LIST feature."}, status=403)
        since = request.arg("modified_since")
        refused = self._refuse_since(since, SINCE_EXAMPLE_FORM, "Y-m-d H:i")
        if refused:
            return refused
        since_dt = parse_since(since, self.naive_tz) if since else None
        min_count = int(request.arg("update_count") or 0)
        barcodes = set((request.arg("barcode") or "").split(",")) - {""}
        category = request.arg("category")
        rows = []
        with self.lock:
            for sku in sorted(self.products):
                p = self.products[sku]
                if since_dt and p["last_modified"] < since_dt:
                    continue
                if p["update_count"] < min_count or (barcodes and p["barcode"]["value"] not in barcodes):
                    continue
                if category and category not in {n["code"] for tree in ("categories-b2b", "categories-b2c") for group in p[tree].values() for n in group}:
                    continue
                rows.append({"sku": sku, "last_modified": php_datetime(p["last_modified"], p["_zone"]), "update_count": p["update_count"]})
        return Response.json(rows)

    def _refuse_since(self, since: str | None, form: "re.Pattern[str]", name: str) -> Response | None:
        if self.strict_since and since and not form.fullmatch(since):
            message = f"The modified since field must match the format {name}."
            return Response.json({"message": message, "errors": {"modified_since": [message]}}, status=422)
        return None

    def _product(self, request: Request) -> Response:
        product = self.products.get(request.path_params["product"])
        if product is None:
            return Response.json({"message": "Product not found."}, status=404)
        return Response.json(self._render_product(product))

    def _product_by_barcode(self, request: Request) -> Response:
        barcode = request.path_params["barcode"]
        for product in self.products.values():
            if product["barcode"]["value"] == barcode:
                return Response.json(self._render_product(product))
        return Response.json({"message": "Product not found."}, status=404)

    def _stock(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in ("color", "numeric", "absolute"):
            return Response.json({"message": f"No route for {request.path}"}, status=404)
        listtype = request.arg("listtype") or "nested"
        if listtype not in ("flat", "nested"):
            return Response.json({"message": "The selected listtype is invalid."}, status=422)
        since = request.arg("modified_since")
        refused = self._refuse_since(since, SINCE_ISO_8601, "ISO 8601")
        if refused:
            return refused
        since_dt = parse_since(since, self.naive_tz) if since else None
        pairs = []
        with self.lock:
            for sku in sorted(self.stock):
                entry = self.stock[sku]
                if since_dt and entry["modified"] < since_dt:
                    continue
                if kind == "color":
                    pairs.append((sku, "green" if entry["in_stock"] else "red"))
                else:
                    pairs.append((sku, 1 if entry["in_stock"] else 0))
        if listtype == "flat":
            return Response.json(dict(pairs))
        return Response.json([{sku: value} for sku, value in pairs])

    def _categories(self, request: Request) -> Response:
        if self.categories_shape == "keyed":
            return Response.json(copy.deepcopy(self.trees))
        if self.categories_shape in ("list", "data"):  # one unlabelled list of roots, like the doc's category example
            roots = [copy.deepcopy(root) for roots in self.trees.values() for root in roots]
            return Response.json(roots if self.categories_shape == "list" else {"data": roots, "links": {}, "meta": {}})
        return Response.json({f"categories-{tree}": {"All": copy.deepcopy(roots)} for tree, roots in self.trees.items()})

    def _category(self, request: Request) -> Response:
        return self._category_lookup(request.path_params["category"])

    def _category_lookup(self, code: str) -> Response:
        def walk(nodes):
            for node in nodes:
                if node["code"] == code:
                    return node
                found = walk(node["children"])
                if found:
                    return found
            return None

        for roots in self.trees.values():
            node = walk(roots)
            if node:
                return Response.json([node])
        return Response.json({"message": "Category not found."}, status=404)

    # -- admin ----------------------------------------------------------------------------------
    def category_nodes(self) -> list[tuple[str, dict[str, Any]]]:
        out = []

        def walk(tree, nodes):
            for node in nodes:
                out.append((tree, node))
                walk(tree, node["children"])

        for tree, roots in self.trees.items():
            walk(tree, roots)
        return out

    def counts(self) -> dict[str, int]:
        with self.lock:
            billing = sum(1 for o in self.orders if o["BillingAddress"])
            return {
                "companies": len(self.companies),
                "addresses": len(self.companies) + len(self.orders) + billing,
                "orders": len(self.orders),
                "order_products": sum(len(o["products"]) for o in self.orders),
                "shipments": sum(len(o["shipments"]) for o in self.orders),
                "products": len(self.products),
                "stock": len(self.stock),
                "categories": len(self.category_nodes()),
            }

    def mutate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`{"orders": [ids], "status": "shipped"}`, `{"products": [skus]}`, `{"stock": [skus]}`:
        change those records now (real time, after any earlier sync), or at `"at"` (ISO 8601) if given."""
        now = datetime.now(timezone.utc).replace(microsecond=0)
        if payload.get("at"):
            now = datetime.fromisoformat(payload["at"]).astimezone(timezone.utc)
        changed: dict[str, list] = {"orders": [], "products": [], "stock": []}
        with self.lock:
            for order in self.orders:
                if order["id"] in payload.get("orders", []):
                    order["updated_at"] = now
                    if payload.get("status"):
                        order["status"] = payload["status"]
                    changed["orders"].append(order["id"])
            for sku in payload.get("products", []):
                if sku in self.products:
                    self.products[sku]["last_modified"] = now
                    self.products[sku]["update_count"] += 1
                    changed["products"].append(sku)
            for sku in payload.get("stock", []):
                if sku in self.stock:
                    self.stock[sku] = {"in_stock": not self.stock[sku]["in_stock"], "modified": now}
                    self._sync_stock_fields(sku)
                    changed["stock"].append(sku)
        return changed
