"""NetXL API sandbox (doc: shared/api-docs/netxl.txt), served at the root of the server.

Faithful to the doc where it speaks:
- The API key goes in the `X-Api-Key` header or in the query string (`?api_key=`, the doc's
  example is lost; both are accepted, as the doc says either works). A wrong or missing key
  answers 401 `{"message": ...}` (the doc's error body is `message`).
- Read commands: `GET /customer`, `/customer/credit`, `/customer/address`, `/product`,
  `/category` (a nested tree: `key`, `name`, `children`), `/attribute`, `/manufacturer`.
- `/product` has no pagination: the whole (filtered) catalogue in one body, streamed in chunks
  (`Response.stream`) so a 50,000 product catalogue is never built as one string. Filters:
  `manufacturer` (comma list, key or name), `category` (comma list, key or name, a category
  includes its subcategories), `inStock=true`, `query`, `sort` (price, availability, sku, name),
  `extra` (comma list of description, short_description, related, similar, description_html).
  Without `extra` a product has only the default fields.
- `Accept: text/csv` answers CSV (products only here); JSON otherwise.
- 429 as the doc describes it ("wait 5 minutes"): `throttle_next` makes the next N API requests
  answer 429 *without* a Retry-After header (the fault flags always send one).

Options for other readings of the doc:
- `list_envelope`: None (default: a list command's body is a bare JSON array), "resource"
  (`{"products": [...]}`, `{"categories": [...]}`, ...) or "data" (`{"data": [...]}`).
- `default_format`: "json" (default) or "csv": what a request with no JSON `Accept` header gets
  (the doc says browsers get CSV by default and recommends always sending `Accept`).
- `no_credit_account`: None (default: the account has credit terms), "404" or "400": the account
  has no credit account (`credit_terms`, optional in the doc, is left out of `/customer`) and
  `/customer/credit` answers that status with `{"message": "This customer does not have a credit
  account."}` (the doc does not say what it answers then).
- `catalogue_size`: products in the catalogue (default 300 per scale unit); products are made on
  the fly from (seed, index), so a large catalogue costs no memory in the sandbox.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator

from .. import data
from ..api import SupplierApi
from ..http import Request, Response

API_KEY = "netxl_sandbox_key"
EXTRAS = ("description", "short_description", "related", "similar", "description_html")
MANUFACTURERS = ["Grandstream", "Ubiquiti", "2N", "Yealink", "Fanvil", "Snom", "Cisco", "MikroTik"]
# (key, name, children)
CATEGORY_TREE = [
    ("voip", "VoIP", [
        ("ip-phones", "IP Phones", [("desk-phones", "Desk Phones", []), ("dect-phones", "DECT Phones", [])]),
        ("voip-adapters", "Voip Adapters", []),
        ("ip-hardware-pbx", "IP Hardware PBX", []),
    ]),
    ("networking", "Networking", [
        ("switches", "Switches", [("poe-switches", "PoE Switches", [("managed-poe", "Managed PoE Switches", [])])]),
        ("wireless", "Wireless", []),
    ]),
    ("door-entry", "Door Entry", []),
]
ATTRIBUTES = [
    {"key": "poe_ports", "name": "PoE Ports", "type": "int", "possible_values": [0, 4, 8, 16, 24, 48]},
    {"key": "range", "name": "Range (m)", "type": "int", "possible_values": [50, 100, 300, 400]},
    {"key": "colour", "name": "Colour", "type": "string", "possible_values": ["Black", "White", "Grey"]},
    {"key": "wifi", "name": "Wi-Fi", "type": "boolean", "possible_values": [True, False]},
    {"key": "lines", "name": "SIP Lines", "type": "int", "possible_values": [1, 2, 4, 6, 16]},
]
SORTS = {"price": "single_unit_cost", "availability": "_stock", "sku": "sku", "name": "name"}


def _walk(tree: list, parent: str | None = None) -> Iterator[tuple[str, str, str | None]]:
    for key, name, children in tree:
        yield key, name, parent
        yield from _walk(children, key)


def _tree_json(tree: list) -> list[dict]:
    return [{"key": k, "name": n, "children": _tree_json(c)} for k, n, c in tree]


class NetxlApi(SupplierApi):
    name = "netxl"
    connector = "source-netxl"
    secrets = ("netxl_sandbox_key",)

    @staticmethod
    def connector_config(base_url: str) -> dict[str, Any]:
        return {"api_key": "netxl_sandbox_key", "base_url": base_url}
    base_path = ""

    def __init__(
        self,
        list_envelope: str | None = None,
        default_format: str = "json",
        catalogue_size: int | None = None,
        no_credit_account: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if no_credit_account not in (None, "404", "400"):
            raise ValueError("no_credit_account must be None, '404' or '400'")
        self.no_credit_account = no_credit_account
        if list_envelope not in (None, "resource", "data"):
            raise ValueError("list_envelope must be None, 'resource' or 'data'")
        self.list_envelope = list_envelope
        self.default_format = default_format
        self.catalogue_size = catalogue_size if catalogue_size is not None else 300 * self.scale
        self.throttle_next = 0
        self.categories = list(_walk(CATEGORY_TREE))
        self.leaf_keys = [k for k, _, _ in self.categories]
        self.price_bumps: dict[int, float] = {}  # index -> price change (mutate)
        r = data.rng(self.seed, "netxl-account")
        first, last = data.person(r)
        self.customer = {
            "first_name": first, "last_name": last, "email_address": f"{first.lower()}@merchant.example",
            "accounts_email": "accounts@merchant.example", "trade_account": True,
            "credit_terms": {"terms": "30 days end of month", "credit_limit": 5000.0},
        }
        self.outstanding = [
            {"order_id": 81000 + i, "order_reference": f"NXL{81000 + i}", "customer_reference": f"PO-{i:04d}",
             "due_date": (self.now.date().replace(day=1)).isoformat(), "amount_due": round(r.uniform(20, 900), 2)}
            for i in range(1, 4 + 2 * self.scale)
        ]
        if no_credit_account:
            del self.customer["credit_terms"]
            self.outstanding = []
        self.addresses = []
        for i in range(1, 6 + 2 * self.scale):
            first, last = data.person(r)
            addr = data.address(r)
            self.addresses.append({
                "id": 4400 + i, "contact_name": f"{first} {last}", "company_name": (f"{last} Ltd" if i % 2 else None),
                "street_one": addr["street"], "street_two": (f"Unit {i}" if i % 3 == 0 else None), "street_three": None,
                "city": addr["town"], "state": (None if i % 2 else "Worcestershire"), "zip": addr["post_code"],
                "country_code": addr["country"], "contact_number": f"+4433004{3000 + i}",
            })
        for method, path, handler in [
            ("GET", "/customer", self._customer), ("GET", "/customer/credit", self._credit),
            ("GET", "/customer/address", self._addresses), ("GET", "/product", self._products),
            ("GET", "/category", self._categories), ("GET", "/attribute", self._attributes),
            ("GET", "/manufacturer", self._manufacturers),
        ]:
            self.router.add(method, path, handler)

    # -- auth, throttling, errors -----------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        with self.lock:
            if self.throttle_next > 0:
                self.throttle_next -= 1
                return Response.json({"message": "Too many requests, please wait 5 minutes and try again"}, status=429)
        key = request.headers.get("x-api-key") or request.arg("api_key") or request.arg("apikey")
        if key != API_KEY:
            return Response.json({"message": "Your API key is not valid, please check it and try again"}, status=401)
        return None

    def not_found(self, request: Request, method_not_allowed: bool = False) -> Response:
        return Response.json({"message": f"No command {request.method} {request.path}"}, status=405 if method_not_allowed else 404)

    def _wants_csv(self, request: Request) -> bool:
        accept = request.headers.get("accept", "")
        if "application/json" in accept:
            return False
        return "text/csv" in accept or "text/html" in accept or self.default_format == "csv"

    def _list(self, resource: str, items: list) -> Response:
        if self.list_envelope == "resource":
            return Response.json({resource: items})
        if self.list_envelope == "data":
            return Response.json({"data": items})
        return Response.json(items)

    # -- data ---------------------------------------------------------------------------------
    def product(self, index: int, extras: set[str] = frozenset(EXTRAS)) -> dict:  # type: ignore[assignment]
        r = data.rng(self.seed, "netxl-product", index)
        sku = f"NXL-{100000 + index}"
        single = round(r.uniform(5, 900), 2) + self.price_bumps.get(index, 0.0)
        stock = r.choice([0, 0, 3, 12, 40, 250])
        cats = [self.leaf_keys[index % len(self.leaf_keys)]]
        if index % 5 == 0:
            cats.append(self.leaf_keys[(index * 7 + 3) % len(self.leaf_keys)])
        record: dict[str, Any] = {
            "sku": sku, "ean": f"50{index:011d}", "weight_kg": round(r.uniform(0.1, 12), 3),
            "box_width_mm": r.randint(50, 600), "box_height_mm": r.randint(20, 400), "box_length_mm": r.randint(50, 800),
            "images": [{"url": f"https://cdn.netxl.example/{sku}/{n}.jpg", "position": n} for n in range(1 + index % 3)],
            "availability": {"stock": stock, "in_stock": stock > 0,
                             "incoming": ([{"quantity": 50, "expected": self.now.date().isoformat()}] if stock == 0 and index % 2 else [])},
            "single_unit_cost": round(single, 2), "five_plus_unit_cost": round(single * 0.97, 2), "ten_plus_unit_cost": round(single * 0.94, 2),
            "name": data.product_name(r), "manufacturer": MANUFACTURERS[index % len(MANUFACTURERS)],
            "store_url": f"https://www.netxl.example/product/{sku.lower()}", "categories": cats,
            "attributes": {"poe_ports": [0, 4, 8, 16, 24, 48][index % 6], "colour": ["Black", "White", "Grey"][index % 3]},
        }
        if "description" in extras:
            record["description"] = f"The {record['name']} from {record['manufacturer']}. " * 3
        if "description_html" in extras:
            record["description_html"] = f"<p>The {record['name']}</p>"
        if "short_description" in extras:
            record["short_description"] = f"{record['name']}, {record['manufacturer']}"
        if "related" in extras:
            record["related_products"] = [f"NXL-{100000 + (index + k) % self.catalogue_size}" for k in (1, 2)]
        if "similar" in extras:
            record["similar_products"] = [f"NXL-{100000 + (index + 3) % self.catalogue_size}"] if index % 2 else []
        return record

    def _category_closure(self, wanted: set[str]) -> set[str]:
        """Keys of the wanted categories (by key or name, case-insensitive) and all their descendants."""
        out: set[str] = set()
        for key, name, _ in self.categories:
            if key.lower() in wanted or name.lower() in wanted:
                out.add(key)
        changed = True
        while changed:
            changed = False
            for key, _, parent in self.categories:
                if parent in out and key not in out:
                    out.add(key)
                    changed = True
        return out

    def filtered_products(self, query: dict[str, str] | None = None, extras: set[str] = frozenset()) -> Iterator[dict]:  # type: ignore[assignment]
        """The catalogue as `/product` with these query parameters returns it (also used by tests)."""
        query = {k.lower(): v for k, v in (query or {}).items()}
        manufacturers = {m.strip().lower() for m in (query.get("manufacturer") or "").split(",") if m.strip()}
        categories = {c.strip().lower() for c in (query.get("category") or "").split(",") if c.strip()}
        allowed = self._category_closure(categories) if categories else None
        in_stock = (query.get("instock") or "").lower() == "true"
        text = (query.get("query") or "").lower()
        for index in range(self.catalogue_size):
            p = self.product(index, extras)
            if manufacturers and p["manufacturer"].lower() not in manufacturers:
                continue
            if allowed is not None and not allowed.intersection(p["categories"]):
                continue
            if in_stock and not p["availability"]["in_stock"]:
                continue
            if text and text not in p["name"].lower() and text not in p["sku"].lower():
                continue
            yield p

    # -- handlers -------------------------------------------------------------------------------
    def _customer(self, request: Request) -> Response:
        return Response.json(self.customer)

    def _credit(self, request: Request) -> Response:
        if self.no_credit_account:
            return Response.json({"message": "This customer does not have a credit account."},
                                 status=int(self.no_credit_account))
        outstanding = round(sum(o["amount_due"] for o in self.outstanding), 2)
        limit = self.customer["credit_terms"]["credit_limit"]
        return Response.json({"credit_limit": limit, "total_outstanding": outstanding,
                              "available_credit": round(limit - outstanding, 2), "outstanding_orders": self.outstanding})

    def _addresses(self, request: Request) -> Response:
        return self._list("addresses", self.addresses)

    def _categories(self, request: Request) -> Response:
        return self._list("categories", _tree_json(CATEGORY_TREE))

    def _attributes(self, request: Request) -> Response:
        return self._list("attributes", ATTRIBUTES)

    def _manufacturers(self, request: Request) -> Response:
        return self._list("manufacturers", [{"key": m.lower(), "name": m} for m in MANUFACTURERS])

    def _products(self, request: Request) -> Response:
        extras: set[str] = set()
        for value in request.args("extra"):
            extras.update(v.strip() for v in value.split(",") if v.strip())
        unknown = extras - set(EXTRAS)
        if unknown:
            return Response.json({"message": f"Unknown extra field(s): {', '.join(sorted(unknown))}"}, status=400)
        sort = request.arg("sort")
        if sort and sort not in SORTS:
            return Response.json({"message": "sort must be one of price, availability, sku or name"}, status=400)
        query = {k: request.arg(k) or "" for k in ("manufacturer", "category", "inStock", "query")}
        products: Iterator[dict] = self.filtered_products(query, extras)
        if sort:
            key = SORTS[sort]
            products = iter(sorted(products, key=lambda p: p["availability"]["stock"] if key == "_stock" else p[key]))
        if self._wants_csv(request):
            return Response.stream(lambda: self._csv_chunks(products), content_type="text/csv; charset=utf-8")
        return Response.stream(lambda: self._json_chunks(products), content_type="application/json; charset=utf-8")

    def _json_chunks(self, products: Iterator[dict], batch: int = 200) -> Iterator[str]:
        opening, closing = "[", "]"
        if self.list_envelope == "resource":
            opening, closing = '{"products":[', "]}"
        elif self.list_envelope == "data":
            opening, closing = '{"data":[', "]}"
        yield opening
        buffer: list[str] = []
        first = True
        for product in products:
            buffer.append(json.dumps(product, separators=(",", ":")))
            if len(buffer) >= batch:
                yield ("" if first else ",") + ",".join(buffer)
                first, buffer = False, []
        if buffer:
            yield ("" if first else ",") + ",".join(buffer)
        yield closing

    def _csv_chunks(self, products: Iterator[dict]) -> Iterator[str]:
        columns = ["sku", "ean", "name", "manufacturer", "single_unit_cost", "five_plus_unit_cost", "ten_plus_unit_cost", "stock"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for p in products:
            writer.writerow([p["sku"], p["ean"], p["name"], p["manufacturer"], p["single_unit_cost"],
                             p["five_plus_unit_cost"], p["ten_plus_unit_cost"], p["availability"]["stock"]])
            if out.tell() > 16384:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    # -- admin ------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {
            "products": self.catalogue_size,
            "categories": len(self.categories),
            "attributes": len(ATTRIBUTES),
            "manufacturers": len(MANUFACTURERS),
            "addresses": len(self.addresses),
            "accounts": 1,
            "credit": 0 if self.no_credit_account else 1,
            "outstanding_orders": len(self.outstanding),
        }

    def mutate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`{"products": N}` raises the price of the first N products by 1.00 (prices are live data)."""
        n = int(payload.get("products", 1))
        with self.lock:
            for index in range(min(n, self.catalogue_size)):
                self.price_bumps[index] = self.price_bumps.get(index, 0.0) + 1.0
        return {"products": [f"NXL-{100000 + i}" for i in range(min(n, self.catalogue_size))]}
