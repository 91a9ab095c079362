"""The one table of what destination-yodify writes: per stream its key, the fields it sends, its
handler, whether its writes run concurrently and which records wait for each other. The writer,
the schemas (`schemas/<name>.json`, checked by `unit_tests/test_streams_table.py`) and the
README's stream table follow it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Stream:
    name: str
    keys: tuple[str, ...]  # matching keys, first non-empty one names the record
    fields: tuple[str, ...]  # top-level fields sent to Yodify as they are
    handler: str  # the YodifyWriter method that writes one record
    concurrent: bool  # written on the thread pool (else in line, on the main thread); see ordered_by
    # (kind, field): records of any stream whose fields give the same (kind, value) are written one
    # after another in input order, never at once; kind "sku" is the SKU's resolved id
    ordered_by: tuple[tuple[str, str], ...]
    # upsert (append_dedup) and update-only; SKUs exist already, so they are only updated
    sync_modes: tuple[str, ...] = ("append_dedup", "update")

    def key(self, record: Mapping[str, Any]) -> str:
        for field in self.keys:
            if isinstance(record, Mapping) and record.get(field) not in (None, ""):
                return f"{field}={record[field]}"
        return "(no key)"


# Yodify's own ids are read only under names that say so; sent under the API's names
RENAMED = {"yodify_customer_id": "customer_id", "yodify_account_id": "account_id"}
# what a PUT may change on an existing order / shipment (never: the matching key, ordered_date, status)
ORDER_UPDATABLE = ("client_identifier", "customer_id", "account_id", "shipping_address", "billing_address", "shipping_instructions",
                   "shipping_method", "currency_code", "seller_currency_code", "subtotal", "freight", "tax", "discount", "tax_rate",
                   "total", "additional_information")
SHIPMENT_UPDATABLE = ("client_identifier", "shipped_date", "estimated_delivery_date", "tracking_number", "tracking_url")

STREAMS: dict[str, Stream] = {s.name: s for s in (
    Stream(
        "orders", ("order_number", "client_identifier"),
        ("client_identifier", "order_number", "yodify_customer_id", "yodify_account_id", "shipping_address", "billing_address",
         "shipping_instructions", "shipping_method", "currency_code", "seller_currency_code", "order_status",
         "subtotal", "freight", "tax", "discount", "tax_rate", "total", "ordered_date", "additional_information"),
        # different orders are independent; every record names its order by both keys it carries, so
        # two records for one order share at least one (a record is matched by one of its own keys)
        "write_order", concurrent=True, ordered_by=(("order", "order_number"), ("order_client", "client_identifier")),
    ),
    Stream(
        "shipments", ("tracking_number", "client_identifier"),
        ("client_identifier", "shipped_date", "estimated_delivery_date", "tracking_number", "tracking_url", "carrier", "shipment_type"),
        # a shipment waits for the records of its order (it may confirm it) and its pickup address, so
        # shipments of one order stay in input order; shipments of different orders are independent
        "write_shipment", concurrent=True,
        ordered_by=(("order", "order_number"), ("order_client", "order_client_identifier"), ("order_id", "yodify_order_id"),
                    ("address", "pickup_address_client_identifier"), ("address_id", "yodify_pickup_address_id")),
    ),
    Stream(
        "sku_inventory", ("sku_identifier", "yodify_sku_id"),
        ("inventory", "unit_of_measure", "unit_of_measure_quantity", "allow_backorders", "always_in_stock", "lead_time_from", "lead_time_to"),
        # absolute values of independent SKUs; both names of one SKU are resolved to its id, one key
        "write_inventory", concurrent=True, ordered_by=(("sku", "sku_identifier"), ("sku", "yodify_sku_id")), sync_modes=("update",),
    ),
    Stream(
        "sku_prices", ("sku_identifier", "yodify_sku_id"),
        ("list_price", "sale_price", "is_on_sale", "sale_start_date", "sale_end_date"),
        "write_prices", concurrent=True, ordered_by=(("sku", "sku_identifier"), ("sku", "yodify_sku_id")), sync_modes=("update",),
    ),
    Stream(
        "addresses", ("client_identifier", "yodify_address_id"),
        ("client_identifier", "name", "first_name", "last_name", "company_name", "city", "state_code", "country_code",
         "street1", "street2", "postal_code", "phone_number", "is_warehouse"),
        # in line: `is_primary` ("your main address") on one address changes the others, an ambiguous
        # create re-reads the whole unfiltered list, and an account has a handful of addresses
        "write_address", concurrent=False, ordered_by=(("address", "client_identifier"), ("address_id", "yodify_address_id")),
    ),
)}
