"""Helpers for destination-yodify tests: configs, catalogs and message builders (imported by file path)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable

from airbyte_cdk.models import AirbyteMessageSerializer, ConfiguredAirbyteCatalogSerializer


STATIC_TOKEN = "yodify-sandbox-token"
STREAMS = ("orders", "shipments", "sku_inventory", "sku_prices", "addresses")


def make_config(server, **extra: Any) -> dict:
    return {
        "base_url": server.url,
        "credentials": {"auth_type": "access_token", "access_token": STATIC_TOKEN},
        "ambiguity_grace_seconds": 0,
        "retry_backoff_seconds": 0.02,
        **extra,
    }


def oauth_config(server, secret: str = "yodify-sandbox-secret", **extra: Any) -> dict:
    return {
        "base_url": server.url,
        "credentials": {
            "auth_type": "oauth2_client_credentials", "client_id": "yodify-sandbox-client", "client_secret": secret,
            "token_url": server.root_url + server.api.token_url, "scope": "yodify",
        },
        "ambiguity_grace_seconds": 0,
        "retry_backoff_seconds": 0.02,
        **extra,
    }


def catalog(streams: Iterable[str] = STREAMS, mode: str = "append") -> dict:
    return {"streams": [
        {"stream": {"name": n, "json_schema": {"type": "object"}, "supported_sync_modes": ["full_refresh", "incremental"]},
         "sync_mode": "incremental", "destination_sync_mode": mode}
        for n in streams
    ]}


def catalog_obj(streams: Iterable[str] = STREAMS, mode: str = "append"):
    return ConfiguredAirbyteCatalogSerializer.load(catalog(streams, mode))


def record(stream: str, data: dict) -> dict:
    return {"type": "RECORD", "record": {"stream": stream, "data": data, "emitted_at": 1700000000000}}


def state(stream: str, value: Any) -> dict:
    return {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": {"cursor": value}}}}


def jsonl(messages: Iterable[dict]) -> str:
    return "\n".join(json.dumps(m) for m in messages) + "\n"


def to_messages(raw: Iterable[dict]):
    return [AirbyteMessageSerializer.load(m) for m in raw]


def write_kinds(server) -> Counter:
    return Counter(w["kind"] for w in server.api.writes)


def order_records(server, n: int, prefix: str = "SHOP", dated: bool = True) -> list[dict]:
    skus = list(server.api.store.skus.values())
    out = []
    for i in range(n):
        sku = skus[i % len(skus)]
        data = {
            "order_number": f"{prefix}-{i:05d}",
            "client_identifier": f"{prefix.lower()}-{i}",
            "yodify_customer_id": "e49fe4dd-b087-439f-8897-bcfc84b5dacc", "yodify_account_id": 1,
            "items": [{"sku_identifier": sku["sku_identifier"], "quantity": 1 + i % 3, "price_per_unit": 10.5}],
            "shipping_address": {"first_name": "Anna", "last_name": "Smith", "street1": "1 High Street", "city": "Worcester", "postal_code": "WR1 1AB", "country_code": "GB"},
            "currency_code": "USD", "subtotal": 10.5, "freight": 1.0, "tax": 0.5, "total": 12.0,
            "additional_information": {"purchase_order_number": f"PO-{i}", "comments": "", "fields": [{"name": "channel", "value": "web"}]},
        }
        if dated:
            data["ordered_date"] = f"2026-0{1 + i % 9}-1{i % 10}T10:00:00Z"
        out.append(data)
    return out
