"""GET routes of the Yodify sandbox (owned by source-yodify).

Faithful to the digest: PascalCase paths (matched case-insensitively, as ASP.NET Core does),
`Page`/`Limit` paging (Limit 1..100, default 100; the first page is `api.first_page`, and a page
number below it is read as the first page, as a clamping server would), repeated-key arrays
(`Statuses=New&Statuses=Processing`, `Ids=1&Ids=2`; a comma-joined value is not a valid status and
gets a 400; other readings: `api.array_params`), inclusive `CreatedOnMin`/`CreatedOnMax`, `SinceId` (strictly after), ascending ids,
and two response shapes: Orders, Shipments, Products, Brands and Carriers answer a bare JSON array
(unless `api.envelope_everywhere`), every other list the `{object, data, has_more, total_items,
url, count}` envelope. Errors are `ValidationProblemDetails`. `Expand` is accepted and ignored:
the docs list no values for it.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from ...http import Request, Response
from .store import ORDER_STATUSES, QUOTE_STATUSES, SHIPMENT_STATUSES, parse_iso

MAX_LIMIT = 100
P = "/api/v1"


class BadRequest(Exception):
    def __init__(self, errors: dict[str, list[str]], detail: str | None = None) -> None:
        super().__init__(detail or "")
        self.errors, self.detail = errors, detail


def problem(request: Request, errors: dict[str, list[str]], detail: str | None = None, status: int = 400) -> Response:
    return Response.json(
        {
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            "title": "One or more validation errors occurred.",
            "status": status,
            "detail": detail,
            "instance": request.path,
            "errors": errors,
        },
        status=status,
    )


def _int_arg(request: Request, name: str) -> int | None:
    value = request.arg(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise BadRequest({name: [f"The value '{value}' is not valid for {name}."]})


def _date_arg(request: Request, name: str):
    value = request.arg(name)
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise BadRequest({name: [f"The value '{value}' is not valid for {name}."]})


def _array_args(api, request: Request, name: str) -> list[str]:
    """An array parameter as the server reads it (`api.array_params`): "repeat" (documented:
    `Statuses=New&Statuses=Processing`), "first" (only the first of repeated keys counts) or
    "comma" (one comma-joined value, `Statuses=New,Processing`; of repeated keys the first counts)."""
    values = request.args(name)
    style = api.array_params
    if style == "first":
        return values[:1]
    if style == "comma":
        return [v for v in values[0].split(",") if v] if values else []
    return values


def _enum_args(api, request: Request, name: str, allowed: list[str]) -> list[str]:
    values = _array_args(api, request, name)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise BadRequest({name: [f"The value '{v}' is not valid." for v in bad]})
    return values


def _created_filter(request: Request, created: Callable[[dict], str | None]) -> Callable[[dict], bool]:
    low, high = _date_arg(request, "CreatedOnMin"), _date_arg(request, "CreatedOnMax")
    exact_low = _date_arg(request, "Created")  # "a filter on the object created field": read as a minimum
    if low and high and low > high:
        raise BadRequest({"CreatedOnMin": ["CreatedOnMin must be less than or equal to CreatedOnMax."]})
    low = max(d for d in (low, exact_low) if d) if (low or exact_low) else None

    def keep(record: dict) -> bool:
        value = created(record)
        if value is None:
            return not (low or high)
        moment = parse_iso(value)
        return (low is None or moment >= low) and (high is None or moment <= high)

    return keep


_STORED_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{3})Z$")


def restyle_timestamps(api, value: Any) -> Any:
    """Every timestamp in `value` written as `api.timestamps` says (the store keeps `...00.123Z`):
    "dotnet" `2024-01-01T00:00:00.1230000Z` (.NET's round-trip format, 7 fraction digits), "naive"
    `2024-01-01T00:00:00.123` (UTC without an offset), "dotnet-naive" `2024-01-01T00:00:00.1230000`."""
    style = api.timestamps
    if style == "millis":
        return value
    if isinstance(value, dict):
        return {k: restyle_timestamps(api, v) for k, v in value.items()}
    if isinstance(value, list):
        return [restyle_timestamps(api, v) for v in value]
    if isinstance(value, str):
        match = _STORED_TIMESTAMP.match(value)
        if match:
            fraction = match.group(2) + ("0000" if style.startswith("dotnet") else "")
            return f"{match.group(1)}.{fraction}" + ("" if style.endswith("naive") else "Z")
    return value


def _page(api, request: Request, records: list[dict], shape: str) -> Response:
    limit = _int_arg(request, "Limit")
    if limit is None:
        limit = MAX_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest({"Limit": [f"Limit must be between 1 and {MAX_LIMIT}."]})
    page = _int_arg(request, "Page")
    if page is not None and page < api.first_page and api.page_below_first == "reject":
        raise BadRequest({"Page": [f"Page must be at least {api.first_page}."]})
    page = api.first_page if page is None else max(page, api.first_page)
    offset = (page - api.first_page) * limit
    chunk = restyle_timestamps(api, records[offset : offset + limit])
    if shape == "array" and not api.envelope_everywhere:
        return Response.json(chunk)
    return Response.json({
        "object": "list", "data": chunk, "has_more": offset + len(chunk) < len(records),
        "total_items": len(records), "url": request.path, "count": len(chunk),
    })


def _by_ids(api, request: Request, records: Iterable[dict]) -> list[dict]:
    ids = _array_args(api, request, "Ids")
    if not ids:
        return list(records)
    wanted = set()
    for value in ids:
        try:
            wanted.add(str(int(value)))
        except ValueError:
            raise BadRequest({"Ids": [f"The value '{value}' is not valid."]})
    return [r for r in records if str(r["id"]) in wanted]


def register(api) -> None:
    st = api.store
    add = lambda path, handler: api.router.add("GET", P + path, _guard(api, handler), case_insensitive=True)  # noqa: E731

    def simple_list(name: str, shape: str = "envelope", where: Callable[[Request], Callable[[dict], bool]] | None = None):
        def handler(request: Request) -> Response:
            keep = where(request) if where else (lambda r: True)
            records = [r for r in _by_ids(api, request, getattr(st, name).values()) if keep(r)]
            return _page(api, request, records, shape)

        return handler

    def detail(name: str, label: str):
        def handler(request: Request) -> Response:
            key = request.path_params["id"]
            collection = getattr(st, name)
            record = collection.get(key)
            if record is None and key.lstrip("-").isdigit():
                record = collection.get(int(key))
            if record is None:
                return problem(request, {"id": [f"{label} {key} could not be found."]}, f"{label} could not be retrieved.")
            return Response.json(restyle_timestamps(api, record))

        return handler

    def since_id(request: Request) -> Callable[[dict], bool]:
        after = _int_arg(request, "SinceId")
        return (lambda r: True) if after is None else (lambda r: int(r["id"]) > after)

    def all_of(*parts: Callable[[Request], Callable[[dict], bool]]):
        def where(request: Request) -> Callable[[dict], bool]:
            checks = [p(request) for p in parts]
            return lambda r: all(c(r) for c in checks)

        return where

    def statuses(field: str, allowed: list[str]):
        def where(request: Request) -> Callable[[dict], bool]:
            wanted = set(_enum_args(api, request, "Statuses", allowed))
            return (lambda r: True) if not wanted else (lambda r: r.get(field) in wanted)

        return where

    def created(field_or_fn):
        getter = field_or_fn if callable(field_or_fn) else (lambda r: r.get(field_or_fn))
        return lambda request: _created_filter(request, getter)

    def brand(request: Request) -> Callable[[dict], bool]:
        wanted = _int_arg(request, "BrandId")
        return (lambda r: True) if wanted is None else (lambda r: _brand_of(st, r) == wanted)

    add("/Accounts", simple_list("accounts"))
    add("/Accounts/{id}", detail("accounts", "Account"))
    add("/AccountUsers", simple_list("account_users"))
    add("/AccountUsers/{id}", detail("account_users", "Account user"))
    add("/Addresses", simple_list("addresses"))
    add("/Addresses/{id}", detail("addresses", "Address"))
    add("/BrandDiscounts", simple_list("brand_discounts"))
    add("/BrandDiscounts/{id}", detail("brand_discounts", "Brand discount"))
    add("/Brands", simple_list("brands", "array"))
    add("/Brands/{id}", detail("brands", "Brand"))
    add("/Carriers", simple_list("carriers", "array"))
    add("/Carriers/{id}", detail("carriers", "Carrier"))
    add("/DiscountLevels", simple_list("discount_levels"))
    add("/DiscountLevels/{id}", detail("discount_levels", "Discount level"))
    add("/PriceDiscounts", simple_list("price_discounts"))
    add("/PriceDiscounts/{id}", detail("price_discounts", "Price discount"))
    add("/QuantityDiscounts", simple_list("quantity_discounts"))
    add("/QuantityDiscounts/{id}", detail("quantity_discounts", "Quantity discount"))
    add("/ShippingRates", simple_list("shipping_rates"))
    add("/ShippingRates/{id}", detail("shipping_rates", "Shipping rate"))
    add("/Orders", simple_list("orders", "array", all_of(statuses("order_status", ORDER_STATUSES), created("ordered_date"), since_id)))
    add("/Orders/{id}", detail("orders", "Order"))
    add("/Shipments", simple_list("shipments", "array", all_of(statuses("status", SHIPMENT_STATUSES), created("created_on"), since_id)))
    add("/Shipments/{id}", detail("shipments", "Shipment"))
    add("/Products", simple_list("products", "array", all_of(created("created_on"), brand)))
    add("/Products/{id}", detail("products", "Product"))
    add("/SKUs", simple_list("skus", "envelope", all_of(created("created_on"), brand, since_id)))
    add("/SKUs/{id}", detail("skus", "SKU"))
    add("/Quotes", simple_list("quotes", "envelope", all_of(
        statuses("quote_status", QUOTE_STATUSES), created(lambda r: st.quote_created.get(r["id"])), since_id)))
    add("/Quotes/{id}", detail("quotes", "Quote"))
    add("/QuoteDocuments", simple_list("quote_documents", "envelope", all_of(
        created(lambda r: st.quote_created.get(_quote_of(st, r["id"]))), since_id)))
    add("/QuoteDocuments/{id}", detail("quote_documents", "Quote document"))

    def discount_level_by_name(request: Request) -> Response:
        name = request.path_params["name"]
        found = next((d for d in st.discount_levels.values() if (d["name"] or "").lower() == name.lower()), None)
        if found is None:
            return problem(request, {"name": [f"Discount level '{name}' could not be found."]}, "Discount level could not be retrieved.")
        return Response.json(found)

    add("/DiscountLevels/GetByName/{name}", discount_level_by_name)

    def order_shipments(request: Request) -> Response:
        order = st.order(request.path_params["orderId"])
        if order is None:
            return problem(request, {"orderId": [f"Order {request.path_params['orderId']} could not be found."]}, "Shipments could not be retrieved.")
        keep = all_of(statuses("status", SHIPMENT_STATUSES), created("created_on"), since_id)(request)
        records = [s for s in _by_ids(api, request, order.get("shipments") or []) if keep(s)]
        return _page(api, request, records, "envelope")  # the one shipments list that is enveloped

    def order_shipment(request: Request) -> Response:
        order = st.order(request.path_params["orderId"])
        wanted = request.path_params["id"]
        found = next((s for s in (order or {}).get("shipments") or [] if str(s["id"]) == wanted), None)
        if found is None:
            return problem(request, {"id": [f"Shipment {wanted} could not be found."]}, "Shipment could not be retrieved.")
        return Response.json(found)

    add("/orders/{orderId}/shipments", order_shipments)
    add("/orders/{orderId}/shipments/{id}", order_shipment)

    def search(request: Request) -> Response:
        term = (request.arg("Term") or "").lower()
        types = _enum_args(api, request, "Types", ["Product", "Brand", "Category", "Inventory"]) or ["Product", "Brand"]
        results = []
        if "Product" in types:
            results += [{"id": p["id"], "object": "search_result", "name": p["name"], "short_name": p["short_name"],
                         "primary_image": p["primary_image"], "url": p["url"], "short_description": p["short_description"],
                         "brand_name": st.brands[p["brand_id"]]["name"], "type": "Product", "related": []}
                        for p in st.products.values() if term in (p["name"] or "").lower()]
        if "Brand" in types:
            results += [{"id": b["id"], "object": "search_result", "name": b["name"], "short_name": b["alias"], "primary_image": None,
                         "url": None, "short_description": None, "brand_name": b["name"], "type": "Brand", "related": []}
                        for b in st.brands.values() if term in (b["name"] or "").lower()]
        return _page(api, request, results, "envelope")

    add("/Search", search)


def _brand_of(store, record: dict) -> int | None:
    if "brand_id" in record:
        return record["brand_id"]
    product = store.products.get(record.get("store_product_id"))
    return product["brand_id"] if product else None


def _quote_of(store, document_id: int) -> int | None:
    for quote in store.quotes.values():
        if any(d["id"] == document_id for d in quote.get("documents") or []):
            return quote["id"]
    return None


def _guard(api, handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Run a read under the API lock and turn validation failures into ValidationProblemDetails."""

    def run(request: Request) -> Response:
        try:
            with api.lock:
                return handler(request)
        except BadRequest as error:
            return problem(request, error.errors, error.detail)

    return run
