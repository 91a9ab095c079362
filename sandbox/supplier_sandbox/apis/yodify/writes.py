"""POST/PUT routes of the Yodify sandbox (owned by destination-yodify).

Routes (digest section 5): `POST /api/v1/Orders`, `PUT /api/v1/Orders/{id}`, `PUT /api/v1/Orders/confirm/{id}`,
`PUT /api/v1/Orders/cancel/{id}`, `POST /api/v1/orders/{orderId}/shipments`, `PUT /api/v1/orders/{orderId}/shipments/{id}`, `PUT /api/v1/SKUs/UpdateInventory/{id}`,
`PUT /api/v1/SKUs/UpdatePrice/{id}`, `PUT /api/v1/SKUs/AdjustInventory/{id}` (relative; served so a
test can prove the destination never calls it), `POST /api/v1/Addresses` (201) and
`PUT /api/v1/Addresses/{id}`.

Like the real API as documented, nothing here is idempotent: a second POST with the same
`order_number` or `tracking_number` creates a second object. Every committed write is recorded with
`api.record_write(kind, ...)`; the `commit500` fault lets a handler commit and then answers 500.
Validation failures and unknown ids answer 400 `ValidationProblemDetails` (the doc reports a
missing record that way). A read-only token (`READ_ONLY_TOKEN`) passes authentication but gets 403
on every write, so `check` can be tested for "the token can write".

Choices where the doc is silent (each an option on the API object, set after construction):
- `api.orders_server_dated` (False): the order keeps the request's `ordered_date` when given (else
  now). True: the server stamps `ordered_date` with the creation time and ignores the request's.
- `api.shipments_need_confirmed_order` (True): "Once an Order is confirmed, Shipments can be added":
  a shipment on a `New` order is refused with 400.

- `api.put_semantics` ("partial"): the doc does not say whether a PUT replaces the object or
  changes only what it names. "partial": fields absent or null in the body are left as they are.
  "replace": every updatable field absent from the body becomes null (items and addresses are
  kept unless given).
- `api.address_created` ("201"): `POST /api/v1/Addresses` answers "201 Created with Address"; the
  status table also lists "200 OK ... None": "200-empty" answers 200 without a body.
- Order items can be changed by PUT only while the order has no shipment (400 otherwise); a
  cancel is refused once the order has a shipment ("The Order will need to be refunded").

Timing options for the destination's ambiguity tests (0 = off):
- `api.commit_delay_seconds`: every create (POST) waits this long before it commits, without
  holding the store lock, like a slow backend that still commits after the client timed out.
- `api.create_outage_seconds`: the first create opens an outage of this many seconds in which every
  create answers 503 without committing (a server that fails for a while, not for one request).
"""

from __future__ import annotations

import time
from typing import Any

from ...http import Request, Response
from .store import ORDER_STATUSES, parse_iso

P = "/api/v1"
READ_ONLY_TOKEN = "yodify-sandbox-readonly-token"
SHIPMENT_TYPES = ("Tracked", "Custom", "Pickup")
ADDRESS_FIELDS = ("client_identifier", "name", "first_name", "last_name", "company_name", "city", "state_code", "country_code", "street1", "street2", "postal_code", "phone_number", "is_warehouse")


class Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]], title: str = "One or more validation errors occurred.") -> None:
        super().__init__(title)
        self.errors, self.title = errors, title


def _problem(request: Request, errors: dict[str, list[str]], title: str, status: int = 400) -> Response:
    return Response.json(
        {"type": "https://tools.ietf.org/html/rfc7231#section-6.5.1", "title": title, "status": status,
         "detail": None, "instance": request.path, "errors": errors},
        status=status,
    )


def _body(request: Request) -> dict:
    try:
        body = request.json()
    except (ValueError, UnicodeDecodeError):
        raise Invalid({"body": ["The request body is not valid JSON."]}) from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise Invalid({"body": ["The request body must be a JSON object."]})
    return body


def _number(body: dict, field: str, minimum: float | None = None, integer: bool = False) -> Any:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise Invalid({field: [f"The value '{value}' is not valid for {field}."]})
    if minimum is not None and value < minimum:
        raise Invalid({field: [f"{field} must be at least {minimum}."]})
    return value


def _date(body: dict, field: str) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    try:
        parse_iso(str(value))
    except ValueError:
        raise Invalid({field: [f"The value '{value}' is not a valid date-time."]}) from None
    return str(value)


def _bool(body: dict, field: str) -> Any:
    value = body.get(field)
    if value is not None and not isinstance(value, bool):
        raise Invalid({field: [f"The value '{value}' is not valid for {field}."]})
    return value


def register(api) -> None:
    st = api.store
    api.orders_server_dated = getattr(api, "orders_server_dated", False)
    api.shipments_need_confirmed_order = getattr(api, "shipments_need_confirmed_order", True)
    api.put_semantics = getattr(api, "put_semantics", "partial")
    api.address_created = getattr(api, "address_created", "201")
    api.commit_delay_seconds = getattr(api, "commit_delay_seconds", 0.0)
    api.create_outage_seconds = getattr(api, "create_outage_seconds", 0.0)
    outage = {"until": None}
    if hasattr(api, "auth"):
        api.auth.static_tokens.add(READ_ONLY_TOKEN)

    def route(method: str, path: str):
        def wrap(handler):
            def guarded(request: Request) -> Response:
                if request.headers.get("authorization", "").partition(" ")[2].strip() == READ_ONLY_TOKEN:
                    return Response(403, b"", {})  # documented: 403 Forbidden, no body
                if method == "POST" and api.create_outage_seconds:
                    now = time.monotonic()
                    with api.lock:
                        if outage["until"] is None:
                            outage["until"] = now + api.create_outage_seconds
                    if now < outage["until"]:
                        return Response.json({"title": "Service Unavailable", "status": 503}, status=503)
                if method == "POST" and api.commit_delay_seconds:
                    time.sleep(api.commit_delay_seconds)
                try:
                    with api.lock:
                        return handler(request)
                except Invalid as bad:
                    return _problem(request, bad.errors, bad.title)

            api.router.add(method, P + path, guarded, case_insensitive=True)
            return handler

        return wrap

    def not_found(label: str, key: Any) -> Invalid:
        return Invalid({"id": [f"{label} {key} could not be found."]}, f"{label} could not be updated.")

    # -- orders ---------------------------------------------------------------------------------
    @route("POST", "/Orders")
    def create_order(request: Request) -> Response:
        body = _body(request)
        items = body.get("items")
        if not isinstance(items, list) or not items:
            raise Invalid({"items": ["An order needs at least one item."]}, "Order could not be created.")
        status = body.get("order_status") or "New"
        if status not in ORDER_STATUSES:
            raise Invalid({"order_status": [f"The value '{status}' is not valid."]}, "Order could not be created.")
        for field in ("subtotal", "freight", "tax", "discount", "tax_rate", "total"):
            _number(body, field, minimum=0)
        ordered = _date(body, "ordered_date")
        lines = []
        oid = st.next_id("orders")
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise Invalid({f"items[{n}]": ["An item must be an object."]}, "Order could not be created.")
            quantity = item.get("quantity")
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
                raise Invalid({f"items[{n}].quantity": ["Quantity must be a whole number of at least 1."]}, "Order could not be created.")
            sku = st.sku(item.get("sku_id")) if item.get("sku_id") is not None else None
            if sku is None:
                raise Invalid({f"items[{n}].sku_id": [f"SKU {item.get('sku_id')} could not be found."]}, "Order could not be created.")
            price = item.get("price_per_unit")
            price = sku["list_price"] if price is None else price
            lines.append({
                "id": st.next_id("order_items"), "object": "orderitem", "client_identifier": item.get("client_identifier"),
                "sku_id": sku["id"], "sku": None, "order_id": oid, "product_id": item.get("product_id") or sku["store_product_id"],
                "product": None, "quantity": quantity, "model_number": item.get("model_number") or sku["manufacturer_part_number"],
                "price_per_unit": price, "seller_price_per_unit": item.get("seller_price_per_unit") or price,
                "add_ons": [], "unit_of_measure": item.get("unit_of_measure") or sku.get("unit_of_measure"),
            })
        now = st.timestamp()
        subtotal = body.get("subtotal")
        if subtotal is None:
            subtotal = round(sum(line["quantity"] * line["price_per_unit"] for line in lines), 2)
        money = {f: body.get(f) or 0.0 for f in ("freight", "tax", "discount", "tax_rate")}
        total = body.get("total") if body.get("total") is not None else round(subtotal + money["freight"] + money["tax"] - money["discount"], 2)

        def address(value: Any) -> dict | None:
            if not isinstance(value, dict):
                return None
            return {"client_identifier": value.get("client_identifier"), "id": st.next_id("order_addresses"), "object": "address",
                    "created_on": now, **{k: value.get(k) for k in ADDRESS_FIELDS[1:-1]}, "is_primary": False, "is_warehouse": False}

        order = {
            "id": oid, "object": "order", "client_identifier": body.get("client_identifier"), "shopping_cart_id": None,
            "order_number": body.get("order_number"), "customer_id": body.get("customer_id"),
            "customer": {"id": body.get("customer_id"), "object": "customer", "account_id": body.get("account_id")},
            "items": lines, "shipping_address": address(body.get("shipping_address")), "billing_address": address(body.get("billing_address")),
            "shipments": [], "shipping_instructions": body.get("shipping_instructions"), "shipping_method": body.get("shipping_method"),
            "currency_code": body.get("currency_code") or "USD", "seller_currency_code": body.get("seller_currency_code") or "USD",
            "order_status": status, "payment_method": "Account", "subtotal": subtotal, **money, "transaction_fee": 0.0,
            "total": total, "exchange_rate": 1.0, "seller_subtotal": subtotal, "seller_freight": money["freight"],
            "seller_tax": money["tax"], "seller_discount": money["discount"], "seller_transaction_fee": 0.0, "seller_total": total,
            "ordered_date": now if (api.orders_server_dated or not ordered) else ordered,
            "additional_information": body.get("additional_information") or {"tax_id": None, "purchase_order_number": None, "fields": [], "comments": None},
            "url": f"https://shop.example.com/orders/{oid}",
        }
        st.add_order(order)
        api.record_write("order_create", id=oid, order_number=order["order_number"], client_identifier=order["client_identifier"])
        return Response.json(order)

    @route("PUT", "/Orders/confirm/{id}")
    def confirm_order(request: Request) -> Response:
        _body(request)
        order = st.order(request.path_params["id"])
        if order is None:
            raise not_found("Order", request.path_params["id"])
        if order["order_status"] != "New":
            raise Invalid({"order_status": [f"Only New orders can be confirmed; this one is {order['order_status']}."]}, "Order could not be updated.")
        order["order_status"] = "Processing"
        api.record_write("order_confirm", id=order["id"], order_number=order["order_number"])
        return Response.json(order)

    ORDER_SCALARS = ("client_identifier", "customer_id", "shipping_instructions", "shipping_method", "currency_code",
                     "seller_currency_code", "subtotal", "freight", "tax", "discount", "tax_rate", "total")

    def put_changes(target: dict, body: dict, fields: tuple[str, ...]) -> dict:
        """The fields a PUT sets, under the chosen reading of the doc (see the module doc)."""
        if api.put_semantics == "replace":
            return {f: body.get(f) for f in fields}
        return {f: body[f] for f in fields if body.get(f) is not None}

    @route("PUT", "/Orders/{id}")
    def update_order(request: Request) -> Response:
        order = st.order(request.path_params["id"])
        if order is None:
            raise not_found("Order", request.path_params["id"])
        body = _body(request)
        for field in ("subtotal", "freight", "tax", "discount", "tax_rate", "total"):
            _number(body, field, minimum=0)
        changes = put_changes(order, body, ORDER_SCALARS)
        if "account_id" in body or api.put_semantics == "replace":
            order["customer"] = {**(order.get("customer") or {}), "account_id": body.get("account_id")}
        for field in ("shipping_address", "billing_address", "additional_information"):
            if isinstance(body.get(field), dict):
                changes[field] = {**(order.get(field) or {}), **body[field]}
        items = body.get("items")
        if items is not None:
            current = [(i["sku_id"], i["quantity"], i["price_per_unit"]) for i in order["items"]]
            wanted = [(i.get("sku_id"), i.get("quantity"), i.get("price_per_unit")) for i in items if isinstance(i, dict)]
            if wanted != current:
                if order.get("shipments"):
                    raise Invalid({"items": ["Items cannot be changed once the order has a shipment."]}, "Order could not be updated.")
                lines = []
                for n, item in enumerate(items):
                    sku = st.sku(item.get("sku_id")) if isinstance(item, dict) and item.get("sku_id") is not None else None
                    quantity = item.get("quantity") if isinstance(item, dict) else None
                    if sku is None:
                        raise Invalid({f"items[{n}].sku_id": [f"SKU {item.get('sku_id')} could not be found."]}, "Order could not be updated.")
                    if not isinstance(quantity, int) or quantity < 1:
                        raise Invalid({f"items[{n}].quantity": ["Quantity must be a whole number of at least 1."]}, "Order could not be updated.")
                    price = item.get("price_per_unit")
                    lines.append({
                        "id": st.next_id("order_items"), "object": "orderitem", "client_identifier": item.get("client_identifier"),
                        "sku_id": sku["id"], "sku": None, "order_id": order["id"], "product_id": sku["store_product_id"], "product": None,
                        "quantity": quantity, "model_number": item.get("model_number") or sku["manufacturer_part_number"],
                        "price_per_unit": sku["list_price"] if price is None else price,
                        "seller_price_per_unit": item.get("seller_price_per_unit") or price, "add_ons": [],
                        "unit_of_measure": item.get("unit_of_measure") or sku.get("unit_of_measure"),
                    })
                changes["items"] = lines
        order.update(changes)
        api.record_write("order_update", id=order["id"], order_number=order["order_number"], fields=sorted(changes))
        return Response.json(order)

    @route("PUT", "/Orders/cancel/{id}")
    def cancel_order(request: Request) -> Response:
        body = _body(request)
        order = st.order(request.path_params["id"])
        if order is None:
            raise not_found("Order", request.path_params["id"])
        if order.get("shipments"):
            raise Invalid({"id": ["This order has a shipment, so it cannot be cancelled; it will need to be refunded."]}, "Order could not be cancelled.")
        if order["order_status"] == "Cancelled":
            raise Invalid({"order_status": ["The order is already cancelled."]}, "Order could not be cancelled.")
        order["order_status"] = "Cancelled"
        api.record_write("order_cancel", id=order["id"], order_number=order["order_number"], message=body.get("message"))
        return Response.json(order)

    # -- shipments ------------------------------------------------------------------------------
    SHIPMENT_FIELDS = ("client_identifier", "shipped_date", "estimated_delivery_date", "tracking_number", "tracking_url", "carrier", "shipment_type", "address_id")

    @route("PUT", "/orders/{orderId}/shipments/{id}")
    def update_shipment(request: Request) -> Response:
        body = _body(request)
        order = st.order(request.path_params["orderId"])
        if order is None:
            raise not_found("Order", request.path_params["orderId"])
        shipment = next((s for s in order.get("shipments") or [] if str(s["id"]) == str(request.path_params["id"])), None)
        if shipment is None:
            raise not_found("Shipment", request.path_params["id"])
        _date(body, "shipped_date"), _date(body, "estimated_delivery_date")
        changes = put_changes(shipment, body, SHIPMENT_FIELDS)
        kind = changes.get("shipment_type") or shipment["shipment_type"]
        if kind not in SHIPMENT_TYPES:
            raise Invalid({"shipment_type": [f"The value '{kind}' is not valid."]}, "Shipment could not be updated.")
        changes["shipment_type"] = kind
        carrier = changes.get("carrier", shipment.get("carrier"))
        if kind == "Tracked" and (not carrier or st.carrier(carrier) is None):
            raise Invalid({"carrier": [f"Carrier '{carrier}' does not match any value in /api/v1/Carriers."]}, "Shipment could not be updated.")
        shipment.update(changes)
        stored = st.shipments.get(shipment["id"])
        if stored is not None and stored is not shipment:
            stored.update(changes)
        api.record_write("shipment_update", id=shipment["id"], order_id=order["id"], tracking_number=shipment["tracking_number"], fields=sorted(changes))
        return Response.json(shipment)

    @route("POST", "/orders/{orderId}/shipments")
    def create_shipment(request: Request) -> Response:
        body = _body(request)
        order = st.order(request.path_params["orderId"])
        if order is None:
            raise not_found("Order", request.path_params["orderId"])
        if api.shipments_need_confirmed_order and order["order_status"] == "New":
            raise Invalid({"order_id": ["Shipments can only be added once the order is confirmed."]}, "Shipment could not be created.")
        kind = body.get("shipment_type") or "Tracked"
        if kind not in SHIPMENT_TYPES:
            raise Invalid({"shipment_type": [f"The value '{kind}' is not valid."]}, "Shipment could not be created.")
        carrier = body.get("carrier")
        if kind == "Tracked":
            match = st.carrier(carrier) if carrier else None
            if match is None:
                raise Invalid({"carrier": [f"Carrier '{carrier}' does not match any value in /api/v1/Carriers."]}, "Shipment could not be created.")
        shipped, eta = _date(body, "shipped_date"), _date(body, "estimated_delivery_date")
        by_id = {item["id"]: item for item in order["items"]}
        shipped_qty: dict[int, int] = {}
        for earlier in order.get("shipments") or []:
            for it in earlier.get("items") or []:
                shipped_qty[it["order_item_id"]] = shipped_qty.get(it["order_item_id"], 0) + (it.get("quantity") or 0)
        requested = body.get("items") or [{"order_item_id": i} for i in by_id if shipped_qty.get(i, 0) < by_id[i]["quantity"]]
        sid = st.next_id("shipments")
        items = []
        for n, it in enumerate(requested):
            line = by_id.get(it.get("order_item_id")) if isinstance(it, dict) else None
            if line is None:
                raise Invalid({f"items[{n}].order_item_id": [f"Order item {it} is not on order {order['id']}."]}, "Shipment could not be created.")
            remaining = line["quantity"] - shipped_qty.get(line["id"], 0)
            qty = it.get("quantity") or remaining
            items.append({"id": sid * 100 + n, "object": "shipmentitem", "order_item_id": line["id"], "sku_id": line["sku_id"], "quantity": qty})
        now = st.timestamp()
        shipment = {
            "id": sid, "object": "shipment", "client_identifier": body.get("client_identifier"), "order_id": order["id"],
            "shipped_date": shipped or now, "estimated_delivery_date": eta, "tracking_number": body.get("tracking_number"),
            "tracking_url": body.get("tracking_url"), "carrier": carrier, "items": items, "add_ons": [], "shipment_type": kind,
            "created_on": now, "trackings": [], "address": order.get("shipping_address"), "status": "New",
        }
        st.add_shipment(order["id"], shipment)
        total_shipped = sum(shipped_qty.values()) + sum(i["quantity"] for i in items)
        order["order_status"] = "Shipped" if total_shipped >= sum(i["quantity"] for i in order["items"]) else "PartiallyShipped"
        api.record_write("shipment_create", id=sid, order_id=order["id"], tracking_number=shipment["tracking_number"],
                         client_identifier=shipment["client_identifier"], send_email=bool(body.get("send_email")))
        return Response.json(shipment)

    # -- SKUs -----------------------------------------------------------------------------------
    def sku_for(request: Request) -> dict:
        sku = st.sku(request.path_params["id"])
        if sku is None:
            raise not_found("SKU", request.path_params["id"])
        return sku

    def apply_sku_changes(sku: dict, kind: str, changes: dict) -> Response:
        """Apply an update's fields (nulls leave a field as it is), date the SKU, record the write."""
        changes = {k: v for k, v in changes.items() if v is not None}
        sku.update(changes)
        st.touch_sku(sku)
        api.record_write(kind, id=sku["id"], sku_identifier=sku["sku_identifier"], **changes)
        return Response.json(sku)

    @route("PUT", "/SKUs/UpdateInventory/{id}")
    def update_inventory(request: Request) -> Response:
        sku = sku_for(request)
        body = _body(request)
        changes = {
            "inventory": _number(body, "inventory"), "unit_of_measure": body.get("unit_of_measure"),
            "unit_of_measure_quantity": _number(body, "unit_of_measure_quantity", minimum=0),
            "allow_backorders": _bool(body, "allow_backorders"), "always_in_stock": _bool(body, "always_in_stock"),
            "lead_time_from": _number(body, "lead_time_from", minimum=0, integer=True),
            "lead_time_to": _number(body, "lead_time_to", minimum=0, integer=True),
        }
        if changes["inventory"] is not None:
            changes["inventory"] = float(changes["inventory"])
        return apply_sku_changes(sku, "sku_inventory", changes)

    @route("PUT", "/SKUs/UpdatePrice/{id}")
    def update_price(request: Request) -> Response:
        sku = sku_for(request)
        body = _body(request)
        changes = {
            "list_price": _number(body, "list_price", minimum=0), "sale_price": _number(body, "sale_price", minimum=0),
            "is_on_sale": _bool(body, "is_on_sale"), "sale_start_date": _date(body, "sale_start_date"),
            "sale_end_date": _date(body, "sale_end_date"),
        }
        return apply_sku_changes(sku, "sku_price", changes)

    @route("PUT", "/SKUs/AdjustInventory/{id}")
    def adjust_inventory(request: Request) -> Response:
        sku = sku_for(request)
        delta = _number(_body(request), "inventory_adjustment") or 0
        sku["inventory"] = float(sku.get("inventory") or 0) + delta
        st.touch_sku(sku)
        api.record_write("sku_adjust", id=sku["id"], sku_identifier=sku["sku_identifier"], inventory_adjustment=delta)
        return Response.json(sku)

    # -- addresses ------------------------------------------------------------------------------
    @route("POST", "/Addresses")
    def create_address(request: Request) -> Response:
        body = _body(request)
        country = body.get("country_code")
        if country is not None and (not isinstance(country, str) or len(country) != 2):
            raise Invalid({"country_code": ["country_code must be a two-letter ISO 3166-1 code."]}, "Address could not be created.")
        aid = st.next_id("addresses")
        address = {"client_identifier": None, "id": aid, "object": "address", "created_on": st.timestamp(),
                   **{k: body.get(k) for k in ADDRESS_FIELDS}, "is_primary": bool(body.get("is_primary")),
                   "is_warehouse": bool(body.get("is_warehouse"))}
        st.addresses[aid] = address
        api.record_write("address_create", id=aid, client_identifier=address["client_identifier"])
        if api.address_created == "200-empty":
            return Response(200, b"", {})
        return Response.json(address, status=201)

    @route("PUT", "/Addresses/{id}")
    def update_address(request: Request) -> Response:
        address = st.address(request.path_params["id"])
        if address is None:
            raise not_found("Address", request.path_params["id"])
        body = _body(request)
        country = body.get("country_code")
        if country is not None and (not isinstance(country, str) or len(country) != 2):
            raise Invalid({"country_code": ["country_code must be a two-letter ISO 3166-1 code."]}, "Address could not be updated.")
        address.update({k: body[k] for k in ADDRESS_FIELDS if body.get(k) is not None})  # is_primary is not updateable
        api.record_write("address_update", id=address["id"], client_identifier=address["client_identifier"])
        return Response.json(address)


