"""The Yodify sandbox's seeded data and its lookups (owned by source-yodify; writes.py uses it).

`YodifyStore` holds every record as a plain dict shaped exactly as the API returns it (snake_case
keys, the documented `object` names, ISO 8601 UTC timestamps with milliseconds and `Z`). Records are
deterministic for a given (scale, seed, now). Ids ascend with creation time, as `SinceId` implies.

Attributes (each `dict[int | str, dict]` keyed by the record's `id`, in ascending id order):

    orders            Order records. Each embeds `customer`, `items` (OrderItem, `order_id` set),
                      `shipping_address`, `billing_address`, `shipments` (the *same* dict objects
                      as in `shipments`) and `additional_information`. `ordered_date` is the
                      creation date (the API's only order timestamp).
    shipments         Shipment records (`order_id`, `items` [ShipmentItem], `trackings`
                      [ShipmentTracking], `created_on`, `status`, `address`).
    products          Product records (`brand` and `quantity_discount` stay null unless expanded).
    skus              Sku records (`modified_on` moves forward on every change).
    brands            Brand records.
    carriers          Carrier records (`slug`, `name`).
    addresses         Address records of the seller's own locations (warehouses, pickup points).
    accounts          Account records (`user_accounts` embeds that account's AccountUsers).
    account_users     AccountUser records; their `id` is a string, as documented.
    discount_levels   DiscountLevel records.
    brand_discounts   BrandDiscount records.
    price_discounts   PriceDiscount records (object "discount"); `sku_ids` is not exposed.
    quantity_discounts QuantityDiscount records (object "QuantityDiscount", with `tiers`).
    shipping_rates    ShippingRate records.
    quotes            Quote records (no `created_on`; `documents` embeds QuoteDocuments).
    quote_documents   QuoteDocument records (`id`, `object`, `url`, `file_name`).

    quote_created     dict[quote id, ISO timestamp]: the creation time the API filters quotes
                      on but does not return.

Lookups (call them with `api.lock` held when mixing reads and writes):
`order(id)`, `order_by_number(order_number)`, `order_by_client_identifier(ci)`, `sku(id)`,
`sku_by_identifier(sku_identifier)`, `carrier(slug_or_name)`, `address(id)`, `account(id)`,
`shipment(id)`, `order_shipments(order_id)`.

Changes: `next_id(kind)` gives a fresh id for a collection, `add_order(order)`,
`add_shipment(order_id, shipment)`, `touch_sku(sku)` (sets `modified_on` to a fresh instant),
`timestamp()` (a fresh ISO instant, strictly later than every earlier one it gave).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from ...data import DROPSHIP_ORDERS, FIRST, LAST, SHARED_CATALOGUE, STREETS, TOWNS, WORDS, rng

ORDER_STATUSES = [
    "New", "Processing", "Shipped", "PartiallyShipped", "Complete", "Cancelled", "Received",
    "RefundRequested", "Refunded", "RefundRejected", "StockConfirmed", "StockPartiallyConfirmed",
    "ReadyForPickup", "PartiallyReadyForPickup",
]
# statuses after which an order is not expected to change any more
FINAL_ORDER_STATUSES = ["Complete", "Cancelled", "Refunded", "RefundRejected"]
SHIPMENT_STATUSES = [
    "New", "Pending", "InfoReceived", "InTransit", "OutForDelivery", "AttemptFail", "Delivered",
    "AvailableForPickup", "Exception", "Expired", "ReturnToSender", "PickedUp", "Unknown",
]
QUOTE_STATUSES = ["New", "Active", "Expired", "Cancelled", "Complete", "Accepted", "AcceptedOrdered", "QuoteSent", "Declined", "Draft", "Closed"]
PAYMENT_TERMS = ["NET7", "NET10", "NET15", "NET30", "NET60", "NET90", "CreditCard", "DueOnReceipt"]
CARRIERS = [("FedEx", "FedEx"), ("UPS", "UPS"), ("DHLExpress", "DHL Express"), ("USPS", "USPS"), ("CanadaPost", "Canada Post"), ("Purolator", "Purolator")]
STATES = {"GB": "WR", "NL": "UT", "BE": "VA", "DE": "NW", "FR": "AR"}


def iso(moment: datetime) -> str:
    """The API's timestamp format: UTC, milliseconds, `Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime:
    """Parse what a client may send as a date-time filter (with or without offset / `Z`)."""
    text = value.strip().replace(" ", "+") if value else value
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


class YodifyStore:
    # base record counts at scale 1 (orders span three pages of 100 at scale 1)
    N_ORDERS = 240
    N_PRODUCTS = 45
    N_ACCOUNTS = 12
    N_QUOTES = 30

    def __init__(self, scale: int, seed: int, now: datetime) -> None:
        self.scale, self.seed, self.now = scale, seed, now
        self._clock = now
        self._clock_lock = threading.Lock()
        self._ids: dict[str, int] = {}
        self.brands: dict[int, dict] = {}
        self.carriers: dict[int, dict] = {}
        self.addresses: dict[int, dict] = {}
        self.shipping_rates: dict[int, dict] = {}
        self.discount_levels: dict[int, dict] = {}
        self.brand_discounts: dict[int, dict] = {}
        self.quantity_discounts: dict[int, dict] = {}
        self.price_discounts: dict[int, dict] = {}
        self.accounts: dict[int, dict] = {}
        self.account_users: dict[str, dict] = {}
        self.products: dict[int, dict] = {}
        self.skus: dict[int, dict] = {}
        self.orders: dict[int, dict] = {}
        self.shipments: dict[int, dict] = {}
        self.quotes: dict[int, dict] = {}
        self.quote_documents: dict[int, dict] = {}
        self.quote_created: dict[int, str] = {}
        self._seed()

    # -- ids and time -------------------------------------------------------------------------
    def next_id(self, kind: str) -> int:
        """A fresh id for collection `kind` (e.g. "orders"); ids ascend per collection."""
        self._ids[kind] = self._ids.get(kind, 0) + 1
        return self._ids[kind]

    def timestamp(self) -> str:
        """Now, as the API writes it; strictly later than any earlier call (ms resolution)."""
        with self._clock_lock:
            moment = max(datetime.now(timezone.utc), self._clock + timedelta(milliseconds=1))
            moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
            self._clock = moment
            return iso(moment)

    # -- lookups ------------------------------------------------------------------------------
    def order(self, order_id: int | str) -> dict | None:
        return self.orders.get(_int(order_id))

    def order_by_number(self, order_number: str) -> dict | None:
        return next((o for o in self.orders.values() if o.get("order_number") == order_number), None)

    def order_by_client_identifier(self, client_identifier: str) -> dict | None:
        return next((o for o in self.orders.values() if client_identifier and o.get("client_identifier") == client_identifier), None)

    def shipment(self, shipment_id: int | str) -> dict | None:
        return self.shipments.get(_int(shipment_id))

    def order_shipments(self, order_id: int | str) -> list[dict]:
        order = self.order(order_id)
        return list(order["shipments"]) if order else []

    def sku(self, sku_id: int | str) -> dict | None:
        return self.skus.get(_int(sku_id))

    def sku_by_identifier(self, sku_identifier: str) -> dict | None:
        return next((s for s in self.skus.values() if s.get("sku_identifier") == sku_identifier), None)

    def carrier(self, slug_or_name: str) -> dict | None:
        wanted = (slug_or_name or "").lower()
        return next((c for c in self.carriers.values() if wanted in (c["slug"].lower(), c["name"].lower())), None)

    def address(self, address_id: int | str) -> dict | None:
        return self.addresses.get(_int(address_id))

    def account(self, account_id: int | str) -> dict | None:
        return self.accounts.get(_int(account_id))

    # -- changes ------------------------------------------------------------------------------
    def add_order(self, order: dict) -> dict:
        """Store a new order (its `id` must come from `next_id("orders")`); returns it."""
        order.setdefault("shipments", [])
        self.orders[order["id"]] = order
        return order

    def add_shipment(self, order_id: int, shipment: dict) -> dict:
        """Store a new shipment and embed it in its order (`id` from `next_id("shipments")`)."""
        shipment["order_id"] = int(order_id)
        self.shipments[shipment["id"]] = shipment
        order = self.order(order_id)
        if order is not None:
            order.setdefault("shipments", []).append(shipment)
        return shipment

    def touch_sku(self, sku: dict) -> dict:
        sku["modified_on"] = self.timestamp()
        return sku

    # -- seeding ------------------------------------------------------------------------------
    def _seed(self) -> None:
        s, r = self.scale, rng(self.seed, "yodify")
        start = self.now - timedelta(days=400)

        def created(r_: Any, days_ago_max: int = 380) -> datetime:
            return (self.now - timedelta(seconds=r_.randint(86400 * 30, days_ago_max * 86400))).replace(microsecond=r_.randint(0, 999) * 1000)

        for slug, name in CARRIERS:
            cid = self.next_id("carriers")
            self.carriers[cid] = {"id": cid, "object": "carrier", "slug": slug, "name": name}

        for i in range(8 * s):
            bid = self.next_id("brands")
            name = f"{WORDS[i % len(WORDS)]} {WORDS[(i * 7 + 3) % len(WORDS)]} {bid}"
            self.brands[bid] = {
                "client_identifier": None, "name": name, "alias": name.lower().replace(" ", "-"), "id": bid,
                "object": "brand", "created_on": iso(start + timedelta(hours=bid)),
            }

        for i in range(6 * s):
            aid = self.next_id("addresses")
            town, postal, country = TOWNS[i % len(TOWNS)]
            self.addresses[aid] = {
                "client_identifier": f"loc-{aid}", "id": aid, "object": "address", "created_on": iso(start + timedelta(hours=aid)),
                "name": "Main Office" if aid == 1 else f"Warehouse {aid}", "first_name": None, "last_name": None,
                "company_name": "Sandbox Supplies Ltd", "city": town, "state_code": STATES.get(country), "country_code": country,
                "street1": f"{10 + aid} {STREETS[aid % len(STREETS)]}", "street2": None, "postal_code": postal,
                "phone_number": f"+44 1905 {100000 + aid}", "is_primary": aid == 1, "is_warehouse": aid != 1,
            }

        for i in range(4):
            rid = self.next_id("shipping_rates")
            self.shipping_rates[rid] = {
                "id": rid, "object": "shippingrate", "client_identifier": None, "name": f"Rate {rid}",
                "shipping_economy": 5.0 + rid, "shipping_economy_additional": 1.5, "is_free_shipping": rid == 4,
                "economy_days_from": 3, "economy_days_to": 7,
                "shipping_priority": 12.5 + rid, "shipping_priority_additional": 2.0, "is_free_shipping_priority": False,
                "priority_days_from": 1, "priority_days_to": 2,
                "international_shipping_economy": 25.0, "international_shipping_economy_additional": 5.0,
                "is_free_international_shipping": False, "international_economy_days_from": 7, "international_economy_days_to": 21,
                "international_shipping_priority": 45.0, "international_shipping_priority_additional": 9.0,
                "is_free_international_shipping_priority": False, "international_priority_days_from": 3, "international_priority_days_to": 6,
                "is_default": rid == 1, "notes": None,
            }

        for i, name in enumerate(["Retail", "Silver", "Gold", "Platinum"]):
            lid = self.next_id("discount_levels")
            self.discount_levels[lid] = {
                "id": lid, "object": "discountlevel", "client_identifier": None, "name": name,
                "description": f"{name} customers", "brand_discounts": [], "accounts": [],
                "created_on": iso(start + timedelta(days=i)),
            }
        for bid in list(self.brands):
            for lid in (2, 3):
                did = self.next_id("brand_discounts")
                bd = {
                    "id": did, "object": "branddiscount", "client_identifier": None, "brand_id": bid, "brand": None,
                    "discount_level_id": lid, "discount_level": None, "percent_discount": float(5 * lid),
                    "created_on": iso(start + timedelta(days=2, hours=did)),
                }
                self.brand_discounts[did] = bd
                self.discount_levels[lid]["brand_discounts"].append(bd)

        for i in range(3):
            qid = self.next_id("quantity_discounts")
            self.quantity_discounts[qid] = {
                "client_identifier": None, "id": qid, "object": "QuantityDiscount", "created_on": iso(start + timedelta(days=3, hours=qid)),
                "name": f"Bulk {qid}", "is_active": qid != 3, "combine_with_other_products_using_same_discount": False,
                "apply_to_sale_price": qid == 1, "show_percentage_off": True, "show_product_discounts": True, "show_sku_discounts": False,
                "calculation": ["OverrideDiscountLevelPercentDiscount", "CascadePercentDiscount", "CombinePercentDiscount"][i],
                "tiers": [{"id": qid * 10 + t, "quantity": 10 * t, "percent_discount": float(2 * t)} for t in (1, 2, 3)],
                "discount_levels": [],
            }

        for i in range(self.N_ACCOUNTS * s):
            aid = self.next_id("accounts")
            town, postal, country = TOWNS[r.randrange(len(TOWNS))]
            account = {
                "client_identifier": None, "id": aid, "object": "account", "discount_level": None,
                "created_on": iso(start + timedelta(days=5, hours=aid)), "discount_level_id": 1 + aid % 4,
                "name": f"{r.choice(LAST)} Trading {aid}", "account_number": f"ACC-{1000 + aid}",
                "payment_terms": PAYMENT_TERMS[aid % len(PAYMENT_TERMS)], "custom_payment_terms": None,
                "customer_type": "Business", "industry": r.choice(["Retail", "Hospitality", "Education", None]),
                "city": town, "state_code": STATES.get(country), "country_code": country, "postal_code": postal,
                "street1": f"{r.randint(1, 250)} {r.choice(STREETS)}", "street2": None,
                "email": f"accounts{aid}@example.com", "phone_number": f"+31 30 {200000 + aid}", "user_accounts": [],
            }
            self.accounts[aid] = account
            for u in range(2):
                uid = str(12320 + self.next_id("account_users"))
                first, last = r.choice(FIRST), r.choice(LAST)
                user = {
                    "client_identifier": None, "id": uid, "object": "accountuser", "discount_level": None, "account": None,
                    "created_on": iso(start + timedelta(days=6, hours=aid, minutes=u)), "account_id": aid,
                    "discount_level_id": account["discount_level_id"], "first_name": first, "last_name": last,
                    "salutation": r.choice(["Mr", "Ms", None]), "email": f"user{uid}@example.com", "title": "Buyer",
                    "department": "Purchasing", "phone_number": None,
                }
                self.account_users[uid] = user
                account["user_accounts"].append(user)

        for i in range(self.N_PRODUCTS * s):
            pid = self.next_id("products")
            bid = 1 + (pid - 1) % len(self.brands)
            name = " ".join(r.sample(WORDS, 3))
            made = created(r)
            self.products[pid] = {
                "id": pid, "library_product_id": 900000 + pid if pid % 3 else None, "object": "product", "client_identifier": None,
                "name": name, "short_name": name.split()[0], "short_description": f"A {name.lower()}.",
                "primary_image": f"https://images.example.com/p/{pid}.jpg", "brand_id": bid, "brand": None,
                "quantity_discount_id": 1 if pid % 5 == 0 else None, "quantity_discount": None, "created_on": iso(made),
                "url": f"https://shop.example.com/products/{pid}",
            }
            for v in range(1 + pid % 2):
                sid = self.next_id("skus")
                price = round(r.uniform(5, 400), 2)
                self.skus[sid] = {
                    "id": sid, "object": "sku", "client_identifier": None, "store_product_id": pid,
                    "library_product_id": self.products[pid]["library_product_id"], "product": None, "brand": None,
                    "sku_identifier": f"SKU-{pid:04d}-{v + 1}", "manufacturer_part_number": f"MPN{sid:05d}",
                    "short_description": name, "description": f"{name}, variant {v + 1}.",
                    "list_price": price, "sale_price": round(price * 0.8, 2) if sid % 4 == 0 else None, "is_on_sale": sid % 4 == 0,
                    "sale_start_date": None, "sale_end_date": None, "sale_maximum_quantity": None, "sale_minimum_quantity": None,
                    "sale_label": "Sale" if sid % 4 == 0 else None, "inventory": float(r.randint(0, 500)),
                    "unit_of_measure": "EACH", "unit_of_measure_quantity": 1.0, "inventory_alert": 5,
                    "is_featured": sid % 7 == 0, "always_in_stock": False, "shipping_rate_id": 1 + sid % 4, "shipping_rate": None,
                    "address_id": 2, "address": None, "quantity_discount_id": None, "quantity_discount": None,
                    "allow_backorders": sid % 3 == 0, "lead_time_from": 2, "lead_time_to": 5, "lead_time_message": None,
                    "price_discounts": [], "is_non_refundable": False, "is_non_refundable_message": None,
                    "length": 30.0, "width": 20.0, "height": 10.0, "weight": 1500.0, "classification": None,
                    "unspsc_classification": None, "price_visibility": "InheritFromProduct",
                    "created_on": iso(made), "modified_on": iso(made + timedelta(days=r.randint(0, 20))),
                    "login_for_pricing_message": None, "in_stock_message": "In stock", "out_of_stock_message": "Out of stock",
                    "request_quote": False,
                }
        for sid in list(self.skus)[::4]:
            did = self.next_id("price_discounts")
            pd = {"id": did, "object": "discount", "client_identifier": None, "percent_discount": 7.5, "discount_level_id": 3}
            self.price_discounts[did] = pd
            self.skus[sid]["price_discounts"].append(pd)

        sku_ids = list(self.skus)
        n_orders = self.N_ORDERS * s
        # ordered dates ascend with the id over the last 120 days
        span = 120 * 86400
        for i in range(n_orders):
            oid = self.next_id("orders")
            ordered = self.now - timedelta(seconds=span - (span * i) // n_orders - r.randint(0, 600))
            ordered = ordered.replace(microsecond=r.randint(0, 999) * 1000)
            self.add_order(self._make_order(oid, ordered, r, sku_ids))

        for i in range(self.N_QUOTES * s):
            qid = self.next_id("quotes")
            made = self.now - timedelta(days=90 - (90 * i) // (self.N_QUOTES * s), hours=r.randint(0, 5))
            self.quote_created[qid] = iso(made)
            docs = []
            for d in range(qid % 3):
                did = self.next_id("quote_documents")
                doc = {"id": did, "object": "quotedocument", "url": f"https://files.example.com/quotes/{qid}/{did}.pdf", "file_name": f"quote-{qid}-{d + 1}.pdf"}
                self.quote_documents[did] = doc
                docs.append(doc)
            account = self.accounts[1 + qid % len(self.accounts)]
            status = QUOTE_STATUSES[qid % len(QUOTE_STATUSES)]
            self.quotes[qid] = {
                "id": qid, "object": "quote", "client_identifier": None, "quote_number": f"Q-{10000 + qid}",
                "customer_id": _guid(self.seed, "customer", account["id"]), "customer": self._customer(account),
                "items": [self._quote_item(qid, n, r, sku_ids) for n in range(1 + qid % 3)],
                "currency_code": "USD", "seller_currency_code": "USD", "quote_status": status,
                "activation_date": iso(made), "sent_to_customer_date": iso(made + timedelta(days=1)) if status != "Draft" else None,
                "customer_reference": f"REF-{qid}", "completion_date": None, "order_id": None, "expiry_days": 30,
                "expiry_date": iso(made + timedelta(days=30)), "address": None, "store_comments": None, "customer_comments": None,
                "documents": docs, "url": f"https://shop.example.com/quotes/{qid}", "attachment_url": None,
            }
        self._seed_shared_catalogue()

    def _seed_shared_catalogue(self) -> None:
        """The SKUs the store shares with the supplier sandboxes and the orders vidaXL drop-ships
        (data.SHARED_CATALOGUE, data.DROPSHIP_ORDERS): seeded last, from their own generator, so every
        other record stays as it was."""
        r = rng(self.seed, "yodify-shared")
        template = self.skus[1]
        shared: list[int] = []
        for ident, mpn in SHARED_CATALOGUE:
            pid = self.next_id("products")
            made = self.now - timedelta(days=60, hours=pid)
            name = " ".join(r.sample(WORDS, 3))
            self.products[pid] = {**self.products[1], "id": pid, "library_product_id": None, "name": name,
                                  "short_name": name.split()[0], "short_description": f"A {name.lower()}.",
                                  "primary_image": f"https://images.example.com/p/{pid}.jpg", "brand_id": 1,
                                  "quantity_discount_id": None, "created_on": iso(made), "url": f"https://shop.example.com/products/{pid}"}
            sid = self.next_id("skus")
            price = round(r.uniform(5, 400), 2)
            self.skus[sid] = {**template, "id": sid, "store_product_id": pid, "library_product_id": None, "sku_identifier": ident,
                              "manufacturer_part_number": mpn, "short_description": name, "description": f"{name}.",
                              "list_price": price, "sale_price": None, "is_on_sale": False, "sale_label": None,
                              "inventory": 0.0, "price_discounts": [], "created_on": iso(made), "modified_on": iso(made)}
            shared.append(sid)
        for n, number in enumerate(DROPSHIP_ORDERS):
            oid = self.next_id("orders")
            ordered = (self.now - timedelta(minutes=len(DROPSHIP_ORDERS) - n)).replace(microsecond=0)
            order = self._make_order(oid, ordered, r, shared, status="Processing")
            order["order_number"] = number
            self.add_order(order)

    def _customer(self, account: dict) -> dict:
        user = account["user_accounts"][0]
        return {
            "id": _guid(self.seed, "customer", account["id"]), "object": "customer", "first_name": user["first_name"],
            "last_name": user["last_name"], "company_name": account["name"], "email_address": user["email"],
            "phone_number": account["phone_number"], "account_id": account["id"], "account_name": account["name"],
            "account_number": account["account_number"], "discount_level_id": account["discount_level_id"],
            "discount_level_name": self.discount_levels[account["discount_level_id"]]["name"],
        }

    def _postal_address(self, r: Any, first: str, last: str, made: str) -> dict:
        town, postal, country = TOWNS[r.randrange(len(TOWNS))]
        return {
            "client_identifier": None, "id": self.next_id("order_addresses"), "object": "address", "created_on": made,
            "name": None, "first_name": first, "last_name": last, "company_name": None, "city": town,
            "state_code": STATES.get(country), "country_code": country, "street1": f"{r.randint(1, 250)} {r.choice(STREETS)}",
            "street2": None, "postal_code": postal, "phone_number": None, "is_primary": False, "is_warehouse": False,
        }

    def _quote_item(self, qid: int, n: int, r: Any, sku_ids: list[int]) -> dict:
        sku = self.skus[sku_ids[(qid * 3 + n) % len(sku_ids)]]
        return {
            "id": qid * 10 + n, "object": "quoteitem", "client_identifier": None, "sku_id": sku["id"], "sku": None,
            "quote_id": qid, "product_id": sku["store_product_id"], "product": None, "quantity": 1 + n * 5,
            "model_number": sku["manufacturer_part_number"], "price_per_unit": sku["list_price"],
            "seller_price_per_unit": sku["list_price"], "add_ons": [], "optional": False, "minimum_quantity": None,
            "maximum_quantity": None, "store_comments": None, "customer_comments": None, "lead_time_from": 2,
            "lead_time_to": 5, "options": [],
        }

    def _make_order(self, oid: int, ordered: datetime, r: Any, sku_ids: list[int], status: str | None = None) -> dict:
        age_days = (self.now - ordered).days
        # old orders are mostly settled; recent ones still move
        if status is not None:
            pass
        elif age_days > 30:
            status = r.choice(["Complete"] * 6 + ["Cancelled", "Refunded", "Shipped", "RefundRejected"])
        else:
            status = r.choice(["New", "Processing", "Processing", "StockConfirmed", "PartiallyShipped", "Shipped", "Complete", "ReadyForPickup"])
        account = self.accounts[1 + oid % len(self.accounts)]
        customer = self._customer(account)
        made = iso(ordered)
        items = []
        subtotal = 0.0
        for n in range(1 + r.randrange(4)):
            sku = self.skus[r.choice(sku_ids)]
            qty = r.randint(1, 6)
            price = sku["list_price"]
            subtotal += qty * price
            items.append({
                "id": self.next_id("order_items"), "object": "orderitem", "client_identifier": None, "sku_id": sku["id"], "sku": None,
                "order_id": oid, "product_id": sku["store_product_id"], "product": None, "quantity": qty,
                "model_number": sku["manufacturer_part_number"], "price_per_unit": price, "seller_price_per_unit": price,
                "add_ons": [], "unit_of_measure": "EACH",
            })
        subtotal = round(subtotal, 2)
        freight = 15.99
        tax = round(subtotal * 0.05, 2)
        total = round(subtotal + freight + tax, 2)
        shipping = self._postal_address(r, customer["first_name"], customer["last_name"], made)
        order = {
            "id": oid, "object": "order", "client_identifier": None, "shopping_cart_id": 50000 + oid,
            "order_number": f"ORD-{100000 + oid:09d}", "customer_id": customer["id"], "customer": customer, "items": items,
            "shipping_address": shipping, "billing_address": dict(shipping, id=self.next_id("order_addresses")),
            "shipments": [], "shipping_instructions": "", "shipping_method": "Standard Shipping", "currency_code": "USD",
            "seller_currency_code": "USD", "order_status": status, "payment_method": r.choice(["CreditCard", "Account", "Account"]),
            "subtotal": subtotal, "freight": freight, "tax": tax, "discount": 0.0, "tax_rate": 0.05, "transaction_fee": 0.0,
            "total": total, "exchange_rate": 1.0, "seller_subtotal": subtotal, "seller_freight": freight, "seller_tax": tax,
            "seller_discount": 0.0, "seller_transaction_fee": 0.0, "seller_total": total, "ordered_date": made,
            "additional_information": {"tax_id": None, "purchase_order_number": f"PO-{80000 + oid}" if oid % 3 == 0 else None, "fields": [], "comments": ""},
            "url": f"https://shop.example.com/orders/{oid}",
        }
        if status in ("Shipped", "PartiallyShipped", "Complete", "Refunded", "RefundRejected"):
            shipped = items if status != "PartiallyShipped" else items[:1]
            for k, group in enumerate([shipped] if len(shipped) < 3 else [shipped[:1], shipped[1:]]):
                when = ordered + timedelta(days=1 + k, hours=r.randint(0, 12))
                when = min(when, ordered + (self.now - ordered) * (k + 1) / 3)  # never after `now`
                self.shipments_seed(order, group, when, r, delivered=status != "Shipped")
        return order

    def shipments_seed(self, order: dict, items: list[dict], when: datetime, r: Any, delivered: bool) -> None:
        sid = self.next_id("shipments")
        slug, _ = CARRIERS[sid % len(CARRIERS)]
        town = order["shipping_address"]["city"]
        trackings = [
            {"object": "shipmenttracking", "message": "Shipment information received", "status": "InfoReceived", "city": None, "country": None, "state": None, "zip": None, "date": iso(when)},
            {"object": "shipmenttracking", "message": "In transit", "status": "InTransit", "city": "Memphis", "country": "US", "state": "TN", "zip": "38118", "date": iso(when + timedelta(hours=20))},
        ]
        if delivered:
            trackings.append({"object": "shipmenttracking", "message": "Delivered", "status": "Delivered", "city": town, "country": order["shipping_address"]["country_code"], "state": None, "zip": order["shipping_address"]["postal_code"], "date": iso(when + timedelta(days=2))})
        shipment = {
            "id": sid, "object": "shipment", "client_identifier": None, "order_id": order["id"], "shipped_date": iso(when),
            "estimated_delivery_date": iso(when + timedelta(days=3)), "tracking_number": f"1Z{sid:010d}",
            "tracking_url": f"https://track.example.com/{slug}/1Z{sid:010d}", "carrier": slug,
            "items": [{"id": sid * 100 + n, "object": "shipmentitem", "order_item_id": it["id"], "sku_id": it["sku_id"], "quantity": it["quantity"]} for n, it in enumerate(items)],
            "add_ons": [], "shipment_type": "Tracked", "created_on": iso(when), "trackings": trackings,
            "address": order["shipping_address"], "status": "Delivered" if delivered else "InTransit",
        }
        self.shipments[sid] = shipment
        order["shipments"].append(shipment)


def _int(value: int | str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _guid(seed: int, *salt: object) -> str:
    r = rng(seed, "guid", *salt)
    h = "%032x" % r.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"
