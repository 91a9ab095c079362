"""The one table of what destination-yodify writes: per stream its key, the fields it sends, its
handler and whether its writes run concurrently. The writer, the schemas (`schemas/<name>.json`,
checked by `unit_tests/test_streams_table.py`) and the README's stream table follow it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Stream:
    name: str
    keys: tuple[str, ...]  # matching keys, first non-empty one names the record
    fields: tuple[str, ...]  # top-level fields sent to Yodify as they are
    handler: str  # the YodifyWriter method that writes one record
    concurrent: bool  # absolute updates of independent objects: written on the thread pool
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
        "write_order", concurrent=False,
    ),
    Stream(
        "shipments", ("tracking_number", "client_identifier"),
        ("client_identifier", "shipped_date", "estimated_delivery_date", "tracking_number", "tracking_url", "carrier", "shipment_type"),
        "write_shipment", concurrent=False,
    ),
    Stream(
        "sku_inventory", ("sku_identifier", "yodify_sku_id"),
        ("inventory", "unit_of_measure", "unit_of_measure_quantity", "allow_backorders", "always_in_stock", "lead_time_from", "lead_time_to"),
        "write_inventory", concurrent=True, sync_modes=("update",),
    ),
    Stream(
        "sku_prices", ("sku_identifier", "yodify_sku_id"),
        ("list_price", "sale_price", "is_on_sale", "sale_start_date", "sale_end_date"),
        "write_prices", concurrent=True, sync_modes=("update",),
    ),
    Stream(
        "addresses", ("client_identifier", "yodify_address_id"),
        ("client_identifier", "name", "first_name", "last_name", "company_name", "city", "state_code", "country_code",
         "street1", "street2", "postal_code", "phone_number", "is_warehouse"),
        "write_address", concurrent=False,
    ),
)}
