"""How each input stream becomes Yodify API calls, exactly once.

One `YodifyWriter` per sync. `submit(stream, record)` validates the record and writes it: orders,
shipments and addresses in line (they depend on each other and need look-ups first), SKU inventory
and prices on a bounded thread pool (they are absolute values, so independent and safe to retry).
`flush()` waits until every submitted record is written or reported; the destination emits a STATE
message only after `flush()` returns.

Exactly-once rules (README, "Exactly once"):
- A write that creates something (POST order, shipment, address) is never retried blind. Before it,
  the writer looks the key up (order_number / client_identifier, tracking_number, client_identifier);
  after an ambiguous failure (timeout, dropped connection, 5xx, unreadable 2xx) it looks again and
  only re-sends when the object is still absent.
- Writes of absolute values (UpdateInventory, UpdatePrice, PUT address, confirm after a status check)
  are idempotent and retried on 5xx/network errors by the HTTP client. AdjustInventory is never used.
- 429 is retried for every method: the request was refused before processing.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, wait, FIRST_COMPLETED
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Mapping

import jsonschema
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from connector_common.dates import parse_datetime
from connector_common.http_client import (
    AmbiguousWriteError,
    ApiError,
    HttpClient,
    TransientError,
    token_provider_from_config,
)

from .streams import ORDER_ITEM_FIELDS, SHIPMENT_ITEM_FIELDS, STREAMS
from .yodify_api import (
    API,
    AddressIndex,
    Carriers,
    OrderIndex,
    ShipmentIndex,
    SkuIndex,
    now_utc,
    window,
)

SCHEMAS_DIR = Path(__file__).parent / "schemas"
CREATE_ATTEMPTS = 5
ORDER_DATE_MARGIN = timedelta(days=1)
AMBIGUITY_MARGIN = timedelta(minutes=10)

log = logging.getLogger("airbyte")


class BadRecord(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_schemas() -> dict[str, dict]:
    return {name: json.loads((SCHEMAS_DIR / f"{name}.json").read_text()) for name in STREAMS}


def moment_of(value: Any) -> datetime | None:
    """A record's date as an aware datetime, or None when it has none (or none we can read)."""
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def record_key(stream: str, record: Mapping[str, Any]) -> str:
    return STREAMS[stream].key(record)


def build_client(config: Mapping[str, Any], max_concurrency: int = 8) -> HttpClient:
    read_timeout = float(config.get("request_timeout_seconds") or 60)
    return HttpClient(
        config["base_url"],
        token_provider_from_config(config["credentials"]),
        timeout=(min(10.0, read_timeout), read_timeout),
        # SKU writes are absolute and safe to repeat; under concurrency one request can meet
        # several 5xx in a row, so allow more attempts than the client's default
        max_retries=10,
        backoff_base=float(config.get("retry_backoff_seconds", 0.5)),
        backoff_cap=20.0,
        pool_size=max_concurrency + 4,
        user_agent="airbyte-destination-yodify/0.1.0",
    )


def _pick(record: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: record[f] for f in fields if f in record}


class Summary:
    OUTCOMES = ("created", "updated", "existing", "skipped", "failed")

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(self.OUTCOMES, 0))
        self.lock = threading.Lock()

    def add(self, stream: str, outcome: str) -> None:
        with self.lock:
            self.counts[stream][outcome] += 1

    def as_dict(self) -> dict[str, dict[str, int]]:
        with self.lock:
            return {s: {"written": c["created"] + c["updated"], **c} for s, c in sorted(self.counts.items())}

    def line(self) -> str:
        parts = []
        for stream, c in self.as_dict().items():
            parts.append(
                f"{stream}: written {c['written']} (created {c['created']}, updated {c['updated']}), "
                f"already present {c['existing']}, skipped {c['skipped']}, failed {c['failed']}"
            )
        return "Yodify write summary: " + ("; ".join(parts) if parts else "no records")


class YodifyWriter:
    def __init__(self, config: Mapping[str, Any], client: HttpClient | None = None, logger: logging.Logger = log) -> None:
        self.config = config
        self.logger = logger
        self.max_concurrency = int(config.get("max_concurrency") or 8)
        self.client = client or build_client(config, self.max_concurrency)
        self.on_bad_record = config.get("on_bad_record") or "fail"
        self.confirm_orders = bool(config.get("confirm_orders", False))
        self.lookback = timedelta(days=int(config.get("order_lookback_days") or 30))
        self.send_email_default = bool(config.get("send_shipment_email", False))
        grace = config.get("ambiguity_grace_seconds")
        self.grace = 30.0 if grace is None else float(grace)
        self.sleep = time.sleep
        self.schemas = load_schemas()
        self.validators = {n: jsonschema.Draft7Validator(s) for n, s in self.schemas.items()}
        self.orders = OrderIndex(self.client)
        self.shipments = ShipmentIndex(self.client)
        self.skus = SkuIndex(self.client)
        self.carriers = Carriers(self.client)
        self.addresses = AddressIndex(self.client)
        self.summary = Summary()
        self.pool = ThreadPoolExecutor(max_workers=self.max_concurrency, thread_name_prefix="yodify-write")
        self.pending: "OrderedDict[Future, tuple[str, str]]" = OrderedDict()
        self.pending_by_key: dict[tuple[str, str], Future] = {}
        self._lookback_done = False
        self.handlers: dict[str, Callable[[dict], str]] = {s.name: getattr(self, s.handler) for s in STREAMS.values()}

    # -- record flow ------------------------------------------------------------------------------
    def validate(self, stream: str, record: Any) -> None:
        if not isinstance(record, dict):
            raise BadRecord("the record is not a JSON object")
        error = jsonschema.exceptions.best_match(self.validators[stream].iter_errors(record))
        if error is not None:
            where = "/".join(map(str, error.absolute_path)) or "record"
            raise BadRecord(f"does not match the {stream} schema at {where}: {error.message}")

    def submit(self, stream: str, record: dict) -> None:
        key = record_key(stream, record)
        try:
            self.validate(stream, record)
        except BadRecord as bad:
            self.bad(stream, key, bad.message)
            return
        if STREAMS[stream].concurrent:
            self._submit_async(stream, key, record)
            return
        self._finish(stream, key, lambda: self.handlers[stream](record))

    def _finish(self, stream: str, key: str, work: Callable[[], str]) -> None:
        try:
            outcome = work()
        except BadRecord as bad:
            self.bad(stream, key, bad.message)
            return
        except ApiError as err:
            self.bad(stream, key, f"the API refused it ({err.method} {err.path} -> HTTP {err.status}): {err.message}")
            return
        self.summary.add(stream, outcome)

    def _submit_async(self, stream: str, key: str, record: dict) -> None:
        # writes to the same SKU keep their input order: wait for the earlier one first
        earlier = self.pending_by_key.get((stream, key))
        if earlier is not None and not earlier.done():
            wait([earlier])
        while len(self.pending) >= self.max_concurrency * 4:
            self._reap(block=True)
        future = self.pool.submit(self._run_captured, stream, record)
        self.pending[future] = (stream, key)
        self.pending_by_key[(stream, key)] = future
        self._reap(block=False)

    def _run_captured(self, stream: str, record: dict) -> tuple[str, Exception | None]:
        try:
            return self.handlers[stream](record), None
        except (BadRecord, ApiError, TransientError, AirbyteTracedException) as exc:
            return "", exc
        except Exception as exc:  # noqa: BLE001 - reported on the main thread
            return "", exc

    def _reap(self, block: bool) -> None:
        if block and self.pending:
            wait(list(self.pending), return_when=FIRST_COMPLETED)
        for future in [f for f in self.pending if f.done()]:
            stream, key = self.pending.pop(future)
            if self.pending_by_key.get((stream, key)) is future:
                del self.pending_by_key[(stream, key)]
            outcome, exc = future.result()
            if exc is None:
                self.summary.add(stream, outcome)
                continue

            def reraise(exc: Exception = exc) -> str:
                raise exc

            self._finish(stream, key, reraise)

    def flush(self) -> None:
        """Return once every record submitted so far is written or reported (raises on a failure)."""
        while self.pending:
            self._reap(block=True)

    def close(self) -> None:
        # on a failure, let in-flight writes finish (they are idempotent) but start no new ones
        for future in list(self.pending):
            future.cancel()
        self.pool.shutdown(wait=True)
        self.client.close()

    def bad(self, stream: str, key: str, message: str) -> None:
        text = f"{stream} record {key}: {message}"
        if self.on_bad_record == "skip":
            self.summary.add(stream, "skipped")
            self.logger.warning(f"Skipped bad record. {text}")
            return
        self.summary.add(stream, "failed")
        raise AirbyteTracedException(
            message=f"A bad record stopped the sync. {text}. Fix the record, or set on_bad_record to 'skip' to skip and count such records.",
            internal_message=text,
            failure_type=FailureType.config_error,
        )

    # -- orders ------------------------------------------------------------------------------------
    def _order_windows(self, ordered: Any, force: bool = False) -> None:
        if not self._lookback_done:
            now = now_utc()
            self.orders.ensure(now - self.lookback, now + ORDER_DATE_MARGIN)
            self._lookback_done = True
        moment = moment_of(ordered)
        if moment is not None:
            self.orders.ensure(*window(moment, ORDER_DATE_MARGIN), force=force)

    def _order_body(self, record: dict) -> dict:
        body = _pick(record, STREAMS["orders"].fields)
        customer = record.get("customer") or {}
        if not body.get("customer_id") and customer.get("id"):
            body["customer_id"] = customer["id"]
        if body.get("account_id") is None and customer.get("account_id") is not None:
            body["account_id"] = customer["account_id"]
        items = []
        for n, item in enumerate(record["items"]):
            line = _pick(item, ORDER_ITEM_FIELDS)
            if line.get("sku_id") is None:
                ident = item.get("sku_identifier")
                sku_id = self.skus.lookup(str(ident)) if ident else None
                if sku_id is None:
                    raise BadRecord(f"items/{n}: no SKU has sku_identifier {ident!r}")
                line["sku_id"] = sku_id
            items.append(line)
        body["items"] = items
        return body

    def write_order(self, record: dict) -> str:
        number = record.get("order_number") or None
        client_id = record.get("client_identifier") or None
        if not number and not client_id:
            raise BadRecord("order_number and client_identifier are both empty; one is needed to write the order exactly once")
        body = self._order_body(record)
        self._order_windows(record.get("ordered_date"))
        existing = self.orders.find(number, client_id)
        if existing is not None:
            self._confirm(existing)
            return "existing"
        created = self._create(
            lambda: self.client.request("POST", f"{API}/Orders", json=body, idempotent=False),
            lambda started: self._find_order_after(started, record, number, client_id),
        )
        self.orders.add({**created, "order_number": created.get("order_number") or number, "client_identifier": created.get("client_identifier") or client_id})
        self._confirm(created)
        return "created"

    def _find_order_after(self, started, record: dict, number: str | None, client_id: str | None) -> dict | None:
        # the order may be dated by the server (now) or by our ordered_date: look in both places again
        self.orders.ensure(started - AMBIGUITY_MARGIN, now_utc() + AMBIGUITY_MARGIN, force=True)
        self._order_windows(record.get("ordered_date"), force=True)
        return self.orders.find(number, client_id)

    def _confirm(self, order: dict) -> None:
        if not self.confirm_orders or order.get("order_status") != "New":
            return
        order_id = order["id"]
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                updated = self.client.request("PUT", f"{API}/Orders/confirm/{order_id}", json={}, idempotent=False)
                order.update(updated or {"order_status": "Processing"})
                return
            except (AmbiguousWriteError, ApiError) as exc:
                current = self.client.get(f"{API}/Orders/{order_id}")
                if isinstance(current, dict) and current.get("order_status") not in (None, "New"):
                    order.update(current)
                    return
                if isinstance(exc, ApiError):
                    raise BadRecord(f"order {order_id} was created but could not be confirmed: {exc.message}") from None
        raise TransientError(f"order {order_id}: confirm kept failing")

    def _create(self, send: Callable[[], Any], look: Callable[[Any], dict | None]) -> dict:
        """POST once; after an ambiguous failure, look for the object and re-send only if it is absent."""
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            started = now_utc()
            try:
                created = send()
                return created if isinstance(created, dict) else {}
            except AmbiguousWriteError as exc:
                if not exc.reason.startswith(("HTTP", "unreadable")):
                    # a timed-out or cut-off request may still be running on the server: give it time to finish
                    self.logger.info(f"{exc}; waiting {self.grace:.1f}s before checking whether it was committed")
                    self.sleep(self.grace)
                else:
                    self.logger.info(f"{exc}; checking whether it was committed before trying again")
                found = look(started)
                if found is not None:
                    return found
        raise TransientError(f"a create kept failing after {CREATE_ATTEMPTS} attempts, and the object is still absent")

    # -- shipments ---------------------------------------------------------------------------------
    def _order_id_for(self, record: dict) -> int:
        if record.get("order_id") is not None:
            return int(record["order_id"])
        number = record.get("order_number")
        self._order_windows(record.get("order_date"))
        order = self.orders.find(number, None)
        if order is None:
            self.orders.ensure_everything()
            order = self.orders.find(number, None)
        if order is None:
            raise BadRecord(f"no order has order_number {number!r}")
        return int(order["id"])

    def write_shipment(self, record: dict) -> str:
        tracking = record.get("tracking_number") or None
        client_id = record.get("client_identifier") or None
        if not tracking and not client_id:
            raise BadRecord("tracking_number and client_identifier are both empty; one is needed to write the shipment exactly once")
        order_id = self._order_id_for(record)
        shipment_type = record.get("shipment_type") or "Tracked"
        carrier_value = record.get("carrier")
        carrier = None
        if carrier_value:
            match = self.carriers.match(str(carrier_value))
            if match is None and shipment_type == "Tracked":
                raise BadRecord(f"carrier {carrier_value!r} is not in GET /api/v1/Carriers (known: {', '.join(self.carriers.known())})")
            carrier = match.get("slug") or match.get("name") if match else carrier_value
        elif shipment_type == "Tracked":
            raise BadRecord("a Tracked shipment needs a carrier")
        if self.shipments.find(order_id, tracking, client_id) is not None:
            return "existing"
        body = {**_pick(record, STREAMS["shipments"].fields), "order_id": order_id, "shipment_type": shipment_type, "carrier": carrier}
        body["send_email"] = record["send_email"] if record.get("send_email") is not None else self.send_email_default
        if record.get("items"):
            body["items"] = [
                _pick(item, SHIPMENT_ITEM_FIELDS) for item in record["items"]
            ]
        created = self._create(
            lambda: self.client.request("POST", f"{API}/orders/{order_id}/shipments", json=body, idempotent=False),
            lambda started: self.shipments.find(order_id, tracking, client_id, force=True),
        )
        self.shipments.add(order_id, {**created, "tracking_number": created.get("tracking_number") or tracking, "client_identifier": created.get("client_identifier") or client_id})
        return "created"

    # -- SKUs --------------------------------------------------------------------------------------
    def _sku_id(self, record: dict) -> int:
        if record.get("sku_id") is not None:
            return int(record["sku_id"])
        ident = record.get("sku_identifier")
        sku_id = self.skus.lookup(str(ident)) if ident else None
        if sku_id is None:
            raise BadRecord(f"no SKU has sku_identifier {ident!r}")
        return sku_id

    def write_inventory(self, record: dict) -> str:
        return self._update_sku(record, "UpdateInventory", STREAMS["sku_inventory"].fields)

    def write_prices(self, record: dict) -> str:
        return self._update_sku(record, "UpdatePrice", STREAMS["sku_prices"].fields)

    def _update_sku(self, record: dict, action: str, fields: tuple[str, ...]) -> str:
        """PUT the record's `fields` to `/SKUs/<action>/{id}` (an idempotent update: safe to repeat)."""
        body = _pick(record, fields)
        if not body:
            raise BadRecord(f"nothing to update: none of {', '.join(fields)} is present")
        self.client.request("PUT", f"{API}/SKUs/{action}/{self._sku_id(record)}", json=body)
        return "updated"

    # -- addresses ---------------------------------------------------------------------------------
    def write_address(self, record: dict) -> str:
        body = _pick(record, STREAMS["addresses"].fields)
        if record.get("id") is not None:
            self.client.request("PUT", f"{API}/Addresses/{int(record['id'])}", json=body)
            return "updated"
        client_id = record.get("client_identifier")
        if not client_id:
            raise BadRecord("id and client_identifier are both empty; one is needed to write the address exactly once")
        existing = self.addresses.find(str(client_id))
        if existing is not None:
            self.client.request("PUT", f"{API}/Addresses/{existing['id']}", json=body)
            return "updated"
        if record.get("is_primary") is not None:
            body["is_primary"] = record["is_primary"]
        created = self._create(
            lambda: self.client.request("POST", f"{API}/Addresses", json=body, idempotent=False),
            lambda started: self.addresses.find(str(client_id), force=True),
        )
        self.addresses.add({**created, "client_identifier": created.get("client_identifier") or client_id})
        return "created"
