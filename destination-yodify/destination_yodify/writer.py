"""How each object's records become Yodify API calls: upsert by matching key, exactly once.

One `YodifyWriter` per sync. `submit(object, record)` validates the record and writes it, on a
bounded thread pool for the objects the stream table marks `concurrent` (orders, shipments, SKU
inventory and prices), in line for the others (addresses). A write first waits for every earlier
one still in flight that shares one of its ordering keys (`Stream.ordered_by`: an order's
number or client identifier, a shipment's order and pickup address, a SKU's id), so records for
one object apply in input order and never at once, while different objects are written together.
`flush()` waits until every submitted record is written or rejected, and stores the rejected ones;
the destination emits a STATE message only after `flush()` returns.

Exactly-once rules (README, "Exactly once"):
- Compare before writing: an object found by its matching key is changed only in the fields whose
  value differs; nothing is sent when nothing differs (a re-run, or a re-sent checkpoint, is a no-op).
- No write is re-sent blind. Every POST and PUT goes out as not idempotent; after an ambiguous
  failure (timeout, dropped connection, 5xx, a 2xx without the object: empty, an error object, not
  JSON) the writer re-reads the object and re-sends only while the write has not landed, backing
  off as the HTTP client's retries do.
- Absolute values only: UpdateInventory, never the relative AdjustInventory.
- Records for one object apply in input order, one at a time.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import jsonschema
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from connector_common.dates import parse_datetime
from connector_common.transport import CONNECT_TIMEOUT_KEY, READ_TIMEOUT_KEY, TIMEOUT_SPEC_PROPERTIES, timeouts_from_config
from connector_common.http_client import (
    AmbiguousWriteError,
    ApiError,
    HttpClient,
    TransientError,
    backoff_delay,
    token_provider_from_config,
)

from .rejected import RejectedRecords
from .streams import ORDER_UPDATABLE, RENAMED, SHIPMENT_UPDATABLE, STREAMS
from .yodify_api import API, AddressIndex, Carriers, OrderIndex, ShipmentIndex, SkuIndex, now_utc, window

SCHEMAS_DIR = Path(__file__).parent / "schemas"
GRACE_TIMEOUTS = 2  # the look-up after a timed-out write waits this many read timeouts at least
ORDER_DATE_MARGIN = timedelta(days=1)
AMBIGUITY_MARGIN = timedelta(minutes=10)
UPSERT, UPDATE = "append_dedup", "update"
DEFAULT_READ_TIMEOUT = 60.0  # a write answers within a minute; the grace after a timed-out one is twice this
LEGACY_READ_TIMEOUT_KEY = "request_timeout_seconds"
# the timeout settings every connector takes, with this destination's read default
TIMEOUT_PROPERTIES = {
    CONNECT_TIMEOUT_KEY: dict(TIMEOUT_SPEC_PROPERTIES[CONNECT_TIMEOUT_KEY], order=12),
    READ_TIMEOUT_KEY: dict(TIMEOUT_SPEC_PROPERTIES[READ_TIMEOUT_KEY], default=DEFAULT_READ_TIMEOUT, order=13, description=(
        "How long to wait for the next bytes of an answer before retrying (a write that times out is never re-sent "
        "blind: the destination waits at least twice this, then looks whether it landed). Replaces "
        "request_timeout_seconds, which is still read when this is not set.")),
}

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


def timeouts(config: Mapping[str, Any]) -> tuple[float, float]:
    """(connect, read) seconds from the settings every connector takes (`transport`); this
    destination's older `request_timeout_seconds` is the read timeout where `read_timeout_seconds`
    is not set, and the connect timeout is never longer than the read timeout unless set."""
    legacy = config.get(LEGACY_READ_TIMEOUT_KEY)
    defaults = {READ_TIMEOUT_KEY: DEFAULT_READ_TIMEOUT if legacy is None else legacy}
    connect, read = timeouts_from_config({**defaults, **{k: v for k, v in config.items() if v is not None}})
    return (connect if CONNECT_TIMEOUT_KEY in config else min(connect, read)), read


def build_client(config: Mapping[str, Any], max_concurrency: int = 8) -> HttpClient:
    return HttpClient(
        config["base_url"],
        token_provider_from_config(config["credentials"]),
        timeout=timeouts(config),
        # under concurrency one request can meet several 5xx in a row: more attempts than the default
        max_retries=10,
        backoff_base=float(config.get("retry_backoff_seconds", 0.5)),
        backoff_cap=20.0,
        pool_size=max_concurrency + 4,
        user_agent="airbyte-destination-yodify/0.1.0",
    )


def same(wanted: Any, current: Any) -> bool:
    """Whether Yodify already holds `wanted`: numbers by value, date-times by instant, objects by
    the fields `wanted` names (a null names nothing), lists item by item."""
    if wanted is None:
        return True
    if isinstance(wanted, bool) or isinstance(current, bool):
        return wanted == current
    if isinstance(wanted, (int, float)) and isinstance(current, (int, float)):
        return abs(float(wanted) - float(current)) < 1e-9
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(same(v, current.get(k)) for k, v in wanted.items())
    if isinstance(wanted, list):
        return isinstance(current, list) and len(wanted) == len(current) and all(same(a, b) for a, b in zip(wanted, current))
    if isinstance(wanted, str) and isinstance(current, str) and wanted != current:
        a, b = moment_of(wanted), moment_of(current)
        return a is not None and b is not None and "T" in wanted and a == b
    return wanted == current


def changes(wanted: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if v is not None and not same(v, current.get(k))}


def _pick(record: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The record's `fields` under the API's names (yodify_customer_id is sent as customer_id)."""
    return {RENAMED.get(f, f): record[f] for f in fields if f in record}


class Summary:
    OUTCOMES = ("created", "updated", "existing", "rejected", "failed")

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
                f"already present {c['existing']}, rejected {c['rejected']}, failed {c['failed']}"
            )
        return "Yodify write summary: " + ("; ".join(parts) if parts else "no records")


class YodifyWriter:
    def __init__(self, config: Mapping[str, Any], client: HttpClient | None = None, logger: logging.Logger = log,
                 modes: Mapping[str, str] | None = None) -> None:
        self.config = config
        self.logger = logger
        self.modes = dict(modes or {})
        self.max_concurrency = int(config.get("max_concurrency") or 8)
        self.client = client or build_client(config, self.max_concurrency)
        self.on_bad_record = "fail" if config.get("on_bad_record") == "fail" else "reject"
        self.rejected = RejectedRecords(config.get("rejected_records"))
        self.confirm_orders = bool(config.get("confirm_orders", False))
        self.confirm_for_shipments = bool(config.get("confirm_orders_for_shipments", True))
        self.lookback = timedelta(days=int(config.get("order_lookback_days") or 30))
        self.send_email_default = bool(config.get("send_shipment_email", False))
        # A timed-out request can still commit while the server works on it. The look-up before a
        # re-send waits at least twice the read timeout (the server has had three timeouts' time in
        # all); the config may lengthen that wait, never shorten it.
        grace = config.get("ambiguity_grace_seconds")
        self.grace = max(GRACE_TIMEOUTS * self.client.timeout[1], 0.0 if grace is None else float(grace))
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
        self.pending: "OrderedDict[Future, tuple[str, str, list[tuple[str, str]], dict]]" = OrderedDict()
        self.pending_by_key: dict[tuple[str, str], Future] = {}  # ordering key -> the last write holding it
        now = now_utc()
        self.lookback_window = (now - self.lookback, now + ORDER_DATE_MARGIN)
        self._order_locks: dict[int, threading.Lock] = {}
        self._order_locks_lock = threading.Lock()
        self.handlers: dict[str, Callable[[dict], str]] = {s.name: getattr(self, s.handler) for s in STREAMS.values()}

    def mode(self, stream: str) -> str:
        return UPDATE if self.modes.get(stream) == UPDATE else UPSERT

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
            keys = self.ordering_keys(stream, record)
        except BadRecord as bad:
            self.bad(stream, key, bad.message, record)
            return
        earlier = {f for k in keys if (f := self.pending_by_key.get(k)) is not None and not f.done()}
        if not STREAMS[stream].concurrent:
            wait(earlier)
            self._finish(stream, key, record, lambda: self.handlers[stream](record))
            return
        while len(self.pending) >= self.max_concurrency * 4:
            self._reap(block=True)
        future = self.pool.submit(self._run_captured, stream, record, earlier)
        self.pending[future] = (stream, key, keys, record)
        for k in keys:
            self.pending_by_key[k] = future
        self._reap(block=False)

    def ordering_keys(self, stream: str, record: dict) -> list[tuple[str, str]]:
        """The keys this record must not share with a write in flight (`Stream.ordered_by`). A SKU is
        resolved to its id first (a look-up in the SKU list read once), so both its names are one key."""
        keys = set()
        for kind, field in STREAMS[stream].ordered_by:
            if record.get(field) not in (None, ""):
                keys.add((kind, str(self._sku_id(record) if kind == "sku" else record[field])))
        return sorted(keys)

    @contextmanager
    def _one_writer(self, order_id: Any) -> Iterator[None]:
        """Writes to one Yodify order never overlap, even from records that name it by different keys."""
        with self._order_locks_lock:
            lock = self._order_locks.setdefault(int(order_id), threading.Lock())
        with lock:
            yield

    def _finish(self, stream: str, key: str, record: Any, work: Callable[[], str]) -> None:
        try:
            outcome = work()
        except BadRecord as bad:
            self.bad(stream, key, bad.message, record)
            return
        except ApiError as err:
            self.bad(stream, key, f"Yodify refused it ({err.method} {err.path} -> HTTP {err.status}): {err.message}", record)
            return
        self.summary.add(stream, outcome)

    def _run_captured(self, stream: str, record: dict, earlier: set[Future]) -> tuple[str, Exception | None]:
        # wait on the pool, not in submit, so later records for other keys are not held up. No
        # deadlock: the pool starts tasks in submission order, so every write waited for has started
        wait(earlier)
        try:
            return self.handlers[stream](record), None
        except Exception as exc:  # noqa: BLE001 - reported on the main thread
            return "", exc

    def _reap(self, block: bool) -> None:
        if block and self.pending:
            wait(list(self.pending), return_when=FIRST_COMPLETED)
        for future in [f for f in self.pending if f.done()]:
            stream, key, keys, record = self.pending.pop(future)
            for k in keys:
                if self.pending_by_key.get(k) is future:
                    del self.pending_by_key[k]
            outcome, exc = future.result()
            if exc is None:
                self.summary.add(stream, outcome)
                continue

            def reraise(exc: Exception = exc) -> str:
                raise exc

            self._finish(stream, key, record, reraise)

    def flush(self) -> None:
        """Return once every record submitted so far is written or rejected, and the rejected ones stored."""
        while self.pending:
            self._reap(block=True)
        self.rejected.flush()

    def close(self) -> None:
        # on a failure, let in-flight writes finish (each is checked before it is re-sent) but start no new ones
        for future in list(self.pending):
            future.cancel()
        self.pool.shutdown(wait=True)
        self.client.close()
        try:
            self.rejected.flush()
        except Exception as err:  # noqa: BLE001 - the sync's own error, if any, matters more
            self.logger.error(f"Could not store rejected records: {err}")

    def bad(self, stream: str, key: str, message: str, record: Any = None) -> None:
        text = f"{stream} record {key}: {message}"
        if self.on_bad_record == "fail":
            self.summary.add(stream, "failed")
            raise AirbyteTracedException(
                message=f"A bad record stopped the sync. {text}. Fix the record, or set on_bad_record to 'reject' to reject and count such records.",
                internal_message=text,
                failure_type=FailureType.config_error,
            )
        self.summary.add(stream, "rejected")
        self.rejected.add(stream, key, message, record)
        where = f" (stored in {self.rejected.where})" if self.rejected.where else ""
        self.logger.warning(f"Rejected record{where}. {text}")

    # -- writing once -----------------------------------------------------------------------------
    def _create_once(self, stream: str, send: Callable[[], Any], look: Callable[[Any], Any], held: Callable[[Any], int]) -> dict:
        """`_write_once` for a create. When it was re-sent after a timed-out attempt, that attempt may
        still commit later than any wait: count what Yodify holds with the key (`held(since)`) after
        one more grace, so the summary and a warning tell the truth."""
        first = now_utc()
        resent_after_timeout: list[bool] = []
        created = self._write_once(send, look, resent_after_timeout)
        if resent_after_timeout:
            self.sleep(self.grace)
            count = held(first)
            if count > 1:
                self.logger.warning(
                    f"Yodify holds {count} {stream} with this key: a timed-out create committed after the destination "
                    "had re-sent it. Remove the extra one in Yodify, and raise ambiguity_grace_seconds for this server."
                )
                for _ in range(count - 1):
                    self.summary.add(stream, "created")
        return created

    def _write_once(self, send: Callable[[], Any], look: Callable[[Any], Any], resent_after_timeout: list[bool] | None = None) -> Any:
        """Send a write; after an ambiguous failure, `look(started)` for its effect and re-send only
        while it is absent. Re-sends back off as the HTTP client's retries do. A re-send after a
        timed-out attempt (which may still commit) is noted in `resent_after_timeout`."""
        attempts = self.client.max_retries + 1
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self.sleep(backoff_delay(attempt - 1, self.client.backoff_base, self.client.backoff_cap))
            started = now_utc()
            try:
                done = send()
                return done if isinstance(done, dict) else {}
            except AmbiguousWriteError as exc:
                if not exc.reason.startswith("HTTP"):
                    # a timed-out or cut-off request may still be running on the server: give it time to finish
                    self.logger.info(f"{exc}; waiting {self.grace:.1f}s before checking whether it was committed")
                    self.sleep(self.grace)
                    timed_out = True
                else:
                    self.logger.info(f"{exc}; checking whether it was committed before trying again")
                    timed_out = False
                found = look(started)
                if found is not None:
                    return found
                if timed_out and resent_after_timeout is not None:
                    resent_after_timeout.append(True)
        raise TransientError(f"a write kept failing after {attempts} attempts, and Yodify still does not hold it")

    def _put_once(self, path: str, body: dict, reread: str, landed: Callable[[dict], bool]) -> dict:
        def look(_started: Any) -> dict | None:
            current = self.client.get(reread)
            return current if isinstance(current, dict) and landed(current) else None

        return self._write_once(lambda: self.client.request("PUT", path, json=body, idempotent=False), look)

    # -- orders ------------------------------------------------------------------------------------
    def _order_windows(self, ordered: Any, force: bool = False) -> None:
        self.orders.ensure(*self.lookback_window)  # read once: fixed when the sync starts
        moment = moment_of(ordered)
        if moment is not None:
            self.orders.ensure(*window(moment, ORDER_DATE_MARGIN), force=force)

    def _lines(self, items: list[dict], where: str = "items") -> list[dict]:
        lines = []
        for n, item in enumerate(items):
            line = _pick(item, ("client_identifier", "quantity", "model_number", "price_per_unit", "seller_price_per_unit", "unit_of_measure"))
            if item.get("yodify_product_id") is not None:
                line["product_id"] = item["yodify_product_id"]
            if item.get("yodify_sku_id") is not None:
                line["sku_id"] = int(item["yodify_sku_id"])
            else:
                ident = item.get("sku_identifier")
                sku_id = self.skus.lookup(str(ident)) if ident else None
                if sku_id is None:
                    raise BadRecord(f"{where}/{n}: no SKU has sku_identifier {ident!r}")
                line["sku_id"] = sku_id
            lines.append(line)
        return lines

    def write_order(self, record: dict) -> str:
        number = record.get("order_number") or None
        client_id = record.get("client_identifier") or None
        if not number and not client_id:
            raise BadRecord("order_number and client_identifier are both empty; one is needed to match the order")
        self._order_windows(record.get("ordered_date"))
        existing = self.orders.find(number, client_id)
        if existing is not None:
            with self._one_writer(existing["id"]):
                return self._update_order(existing, record)
        if self.mode("orders") == UPDATE:
            raise BadRecord(f"no order has {record_key('orders', record)}; the update sync mode never creates: use append_dedup (upsert) to create it")
        if not record.get("items"):
            raise BadRecord("the order does not exist yet and has no items; a new order needs at least one item")
        body = {**_pick(record, STREAMS["orders"].fields), "items": self._lines(record["items"])}
        body.pop("cancel_message", None)
        created = self._create_once(
            "orders",
            lambda: self.client.request("POST", f"{API}/Orders", json=body, idempotent=False),
            lambda started: self._find_order_after(started, record, number, client_id),
            lambda since: self._orders_held(since, record, number, client_id),
        )
        created = {**created, "order_number": created.get("order_number") or number, "client_identifier": created.get("client_identifier") or client_id}
        self.orders.add(created)
        if self.confirm_orders:
            self._confirm(created)
        return "created"

    def _find_order_after(self, started, record: dict, number: str | None, client_id: str | None) -> dict | None:
        # the order may be dated by the server (now) or by our ordered_date: look in both places again
        self.orders.ensure(started - AMBIGUITY_MARGIN, now_utc() + AMBIGUITY_MARGIN, force=True)
        self._order_windows(record.get("ordered_date"), force=True)
        return self.orders.find(number, client_id)

    def _orders_held(self, since: datetime, record: dict, number: str | None, client_id: str | None) -> int:
        windows = [(since - AMBIGUITY_MARGIN, now_utc() + AMBIGUITY_MARGIN)]
        moment = moment_of(record.get("ordered_date"))
        if moment is not None:
            windows.append(window(moment, ORDER_DATE_MARGIN))
        return self.orders.count(windows, number, client_id)

    def _full_order(self, order: dict) -> dict:
        """The order with its items: lists may leave nested objects out unless expanded."""
        if not order.get("items"):
            fetched = self.client.get(f"{API}/Orders/{order['id']}", {"Expand": ["items"]})
            if isinstance(fetched, dict):
                order.update(fetched)
        return order

    def _update_order(self, order: dict, record: dict) -> str:
        status = record.get("order_status")
        if status == "Cancelled":
            if order.get("order_status") == "Cancelled":
                return "existing"
            self._cancel(order, record)
            return "updated"
        wanted = {k: v for k, v in _pick(record, STREAMS["orders"].fields).items() if v is not None and k in ORDER_UPDATABLE}
        if record.get("order_number") is None:
            wanted.pop("client_identifier", None)  # it is the key that found the order
        current = {**order, "account_id": (order.get("customer") or {}).get("account_id", order.get("account_id"))}
        diff = changes(wanted, current)
        if record.get("items"):
            order = self._full_order(order)
            lines = self._lines(record["items"])
            have = [{"sku_id": i.get("sku_id"), "quantity": i.get("quantity"), "price_per_unit": i.get("price_per_unit")} for i in order.get("items") or []]
            if not same([{k: line.get(k) for k in ("sku_id", "quantity", "price_per_unit")} for line in lines], have):
                if self.shipments.load(int(order["id"])):
                    self.logger.warning(f"orders record {record_key('orders', record)}: items not changed, the order already has a shipment")
                else:
                    diff["items"] = lines
        wrote = False
        if diff:
            body = {k: order.get(k) for k in ORDER_UPDATABLE if k in order}
            body["account_id"] = current["account_id"]
            for k in ("shipping_address", "billing_address"):
                if isinstance(body.get(k), dict):
                    body[k] = {f: v for f, v in body[k].items() if f not in ("id", "object", "created_on")}
            body.update(diff)
            fields = {k: v for k, v in diff.items() if k != "items"}
            updated = self._put_once(
                f"{API}/Orders/{order['id']}", body, f"{API}/Orders/{order['id']}",
                lambda now: not changes(fields, {**now, "account_id": (now.get("customer") or {}).get("account_id")}) and ("items" not in diff or len(now.get("items") or []) == len(diff["items"])),
            )
            order.update(updated or {})
            self.orders.add(order)
            wrote = True
        if order.get("order_status") == "New" and (status == "Processing" or self.confirm_orders):
            self._confirm(order)
            wrote = True
        return "updated" if wrote else "existing"

    def _confirm(self, order: dict) -> None:
        if order.get("order_status") != "New":
            return
        order_id = order["id"]
        try:
            updated = self._put_once(f"{API}/Orders/confirm/{order_id}", {}, f"{API}/Orders/{order_id}",
                                     lambda now: now.get("order_status") not in (None, "New"))
        except ApiError as exc:
            current = self.client.get(f"{API}/Orders/{order_id}")
            if isinstance(current, dict) and current.get("order_status") not in (None, "New"):
                order.update(current)
                return
            raise BadRecord(f"order {order.get('order_number') or order_id} could not be confirmed: {exc.message}") from None
        order.update(updated or {"order_status": "Processing"})

    def _cancel(self, order: dict, record: dict) -> None:
        order_id = int(order["id"])
        if self.shipments.load(order_id, force=True):
            raise BadRecord(
                f"order {order.get('order_number') or order_id} has a shipment, so Yodify cannot cancel it: "
                "refund it in Yodify instead (the API has no refund call)"
            )
        updated = self._put_once(f"{API}/Orders/cancel/{order_id}", {"message": record.get("cancel_message")},
                                 f"{API}/Orders/{order_id}", lambda now: now.get("order_status") == "Cancelled")
        order.update(updated or {"order_status": "Cancelled"})

    # -- shipments ---------------------------------------------------------------------------------
    def _order_for(self, record: dict) -> dict:
        if record.get("yodify_order_id") is not None:
            try:
                order = self.client.get(f"{API}/Orders/{int(record['yodify_order_id'])}")
            except ApiError:
                order = None
            if not isinstance(order, dict) or order.get("id") is None:
                raise BadRecord(f"no order has yodify_order_id {record['yodify_order_id']!r}")
            # the index's copy is kept current by this sync's own writes (maybe in flight now): it wins
            known = self.orders.find(order.get("order_number"), order.get("client_identifier"))
            if known is not None and known.get("id") == order["id"]:
                return known
            self.orders.add(order)
            return order
        number = record.get("order_number") or None
        client_id = record.get("order_client_identifier") or None
        if not number and not client_id:
            raise BadRecord("the shipment names no order: set order_number or order_client_identifier (a Yodify id only as yodify_order_id)")
        self._order_windows(record.get("order_date"))
        order = self.orders.find(number, client_id)
        if order is None:
            self.orders.ensure_everything()
            order = self.orders.find(number, client_id)
        if order is None:
            name = f"order_number {number!r}" if number else f"client_identifier {client_id!r}"
            raise BadRecord(f"no order has {name}")
        return order

    def _shipment_items(self, order: dict, items: list[dict]) -> list[dict]:
        order = self._full_order(order)
        by_sku = {line.get("sku_id"): line for line in order.get("items") or []}
        out = []
        for n, item in enumerate(items):
            if item.get("yodify_order_item_id") is not None:
                line_id = int(item["yodify_order_item_id"])
            else:
                sku_id = item.get("yodify_sku_id")
                if sku_id is None:
                    sku_id = self.skus.lookup(str(item.get("sku_identifier")))
                line = by_sku.get(sku_id)
                if line is None:
                    raise BadRecord(f"items/{n}: the order has no line with SKU {item.get('sku_identifier') or sku_id!r}")
                line_id = line["id"]
            out.append({"order_item_id": line_id, **({"quantity": item["quantity"]} if item.get("quantity") else {})})
        return out

    def write_shipment(self, record: dict) -> str:
        tracking = record.get("tracking_number") or None
        client_id = record.get("client_identifier") or None
        if not tracking and not client_id:
            raise BadRecord("tracking_number and client_identifier are both empty; one is needed to match the shipment")
        order = self._order_for(record)
        with self._one_writer(order["id"]):
            return self._write_shipment(order, record, tracking, client_id)

    def _write_shipment(self, order: dict, record: dict, tracking: str | None, client_id: str | None) -> str:
        order_id = int(order["id"])
        shipment_type = record.get("shipment_type") or "Tracked"
        carrier_value = record.get("carrier")
        carrier = None
        if carrier_value:
            match = self.carriers.match(str(carrier_value))
            if match is None and shipment_type == "Tracked":
                raise BadRecord(f"carrier {carrier_value!r} is not in GET /api/v1/Carriers (known: {', '.join(self.carriers.known())})")
            carrier = match.get("slug") or match.get("name") if match else carrier_value
        wanted = {**_pick(record, SHIPMENT_UPDATABLE), "carrier": carrier, "shipment_type": record.get("shipment_type")}
        if record.get("pickup_address_client_identifier"):
            address = self.addresses.find(str(record["pickup_address_client_identifier"]))
            if address is None:
                raise BadRecord(f"no address has client_identifier {record['pickup_address_client_identifier']!r}")
            wanted["address_id"] = address["id"]
        elif record.get("yodify_pickup_address_id") is not None:
            wanted["address_id"] = int(record["yodify_pickup_address_id"])
        existing = self.shipments.find(order_id, tracking, client_id)
        if existing is not None:
            return self._update_shipment(order_id, existing, wanted)
        if self.mode("shipments") == UPDATE:
            raise BadRecord(f"order {order.get('order_number') or order_id} has no shipment {record_key('shipments', record)}; the update sync mode never creates: use append_dedup (upsert)")
        if carrier is None and shipment_type == "Tracked":
            raise BadRecord("a Tracked shipment needs a carrier")
        if order.get("order_status") == "New":
            if not self.confirm_for_shipments:
                raise BadRecord(
                    f"order {order.get('order_number') or order_id} is New and Yodify adds shipments only to confirmed orders: "
                    "set confirm_orders_for_shipments to true, or confirm the order in Yodify"
                )
            self._confirm(order)
        body = {**{k: v for k, v in wanted.items() if v is not None}, "order_id": order_id, "shipment_type": shipment_type, "carrier": carrier}
        body["send_email"] = record["send_email"] if record.get("send_email") is not None else self.send_email_default
        if record.get("items"):
            body["items"] = self._shipment_items(order, record["items"])
        created = self._create_once(
            "shipments",
            lambda: self.client.request("POST", f"{API}/orders/{order_id}/shipments", json=body, idempotent=False),
            lambda started: self.shipments.find(order_id, tracking, client_id, force=True),
            lambda since: self.shipments.count(order_id, tracking, client_id),
        )
        self.shipments.add(order_id, {**created, "tracking_number": created.get("tracking_number") or tracking, "client_identifier": created.get("client_identifier") or client_id})
        return "created"

    def _update_shipment(self, order_id: int, shipment: dict, wanted: dict) -> str:
        current = dict(shipment)
        held, sent = current.get("carrier"), wanted.get("carrier")
        if isinstance(held, str) and isinstance(sent, str):
            # Yodify may hold the carrier's name where we send its slug: the same carrier is no change
            same_carrier = held.lower() == sent.lower() or (self.carriers.match(held) or {}).get("id", object()) == (self.carriers.match(sent) or {}).get("id")
            if same_carrier:
                wanted = {**wanted, "carrier": None}
        diff = changes(wanted, current)
        if not diff:
            return "existing"
        body = {k: shipment.get(k) for k in (*SHIPMENT_UPDATABLE, "carrier", "shipment_type", "address_id")}
        body.update(diff)
        path = f"{API}/orders/{order_id}/shipments/{shipment['id']}"
        updated = self._put_once(path, body, path, lambda now: not changes(diff, now))
        shipment.update(updated or diff)
        self.shipments.add(order_id, shipment)
        return "updated"

    # -- SKUs --------------------------------------------------------------------------------------
    def _sku_id(self, record: dict) -> int:
        if record.get("yodify_sku_id") is not None:
            sku_id = int(record["yodify_sku_id"])
            if self.skus.get(sku_id) is None:
                raise BadRecord(f"no SKU has yodify_sku_id {sku_id}")
            return sku_id
        ident = record.get("sku_identifier")
        sku_id = self.skus.lookup(str(ident)) if ident else None
        if sku_id is None:
            raise BadRecord(f"no SKU has sku_identifier {ident!r}")
        return sku_id

    def write_inventory(self, record: dict) -> str:
        return self._update_sku("sku_inventory", record, self._sku_id(record))

    def write_prices(self, record: dict) -> str:
        return self._update_sku("sku_prices", record, self._sku_id(record))

    def _update_sku(self, stream: str, record: dict, sku_id: int) -> str:
        """Set the record's values that differ from the SKU's (nulls leave a value as it is)."""
        fields = STREAMS[stream].fields
        wanted = {f: record[f] for f in fields if record.get(f) is not None}
        if not wanted:
            raise BadRecord(f"nothing to update: none of {', '.join(fields)} has a value")
        diff = changes(wanted, self.skus.get(sku_id) or {})
        if not diff:
            return "existing"
        action = "UpdateInventory" if stream == "sku_inventory" else "UpdatePrice"
        updated = self._put_once(f"{API}/SKUs/{action}/{sku_id}", diff, f"{API}/SKUs/{sku_id}", lambda now: not changes(diff, now))
        self.skus.put({**(self.skus.get(sku_id) or {}), **diff, **(updated or {})})
        return "updated"

    # -- addresses ---------------------------------------------------------------------------------
    def write_address(self, record: dict) -> str:
        fields = STREAMS["addresses"].fields
        wanted = {k: v for k, v in _pick(record, fields).items() if v is not None}
        if record.get("yodify_address_id") is not None:
            existing = self.addresses.by_id(int(record["yodify_address_id"]))
            if existing is None:
                raise BadRecord(f"no address has yodify_address_id {record['yodify_address_id']}")
        else:
            client_id = record.get("client_identifier")
            if not client_id:
                raise BadRecord("client_identifier is empty; it is needed to match the address")
            existing = self.addresses.find(str(client_id))
        if existing is not None:
            diff = changes(wanted, existing)
            if not diff:
                return "existing"
            body = {**{k: existing.get(k) for k in fields}, **diff}
            path = f"{API}/Addresses/{existing['id']}"
            updated = self._put_once(path, body, path, lambda now: not changes(diff, now))
            existing.update(updated or diff)
            return "updated"
        if self.mode("addresses") == UPDATE:
            raise BadRecord(f"no address has {record_key('addresses', record)}; the update sync mode never creates: use append_dedup (upsert)")
        body = dict(wanted)
        if record.get("is_primary") is not None:
            body["is_primary"] = record["is_primary"]
        created = self._create_once(
            "addresses",
            lambda: self.client.request("POST", f"{API}/Addresses", json=body, idempotent=False),
            lambda started: self.addresses.find(str(client_id), force=True),
            lambda since: self.addresses.count(str(client_id)),
        )
        self.addresses.add({**created, "client_identifier": created.get("client_identifier") or client_id})
        return "created"
