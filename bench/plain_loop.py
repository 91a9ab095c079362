"""The baseline a connector is measured against: a plain `requests` loop over the same requests.

Given the requests a connector run made (from the sandbox's `/_sandbox/requests` log), fetches each
once, in order, on one session, takes the stream's records out of each body (with the same record
expansion the manifest does) and writes one JSON line per record, each record once (by its primary
key, as the connector's windows and partitions do). No framework: what a hand-written script costs.

    .venv/bin/python bench/plain_loop.py PLAN.json OUT.jsonl     # PLAN: {supplier, stream, config, requests}

Prints one JSON line: {"records": N, "requests": N}.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable, Iterable
from urllib.parse import quote

import requests

Records = Callable[[str, Any], Iterable[dict]]


def _rows(body: Any, *keys: str) -> list:
    """A bare array, or the first of `keys` holding one in an envelope."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in keys:
            if isinstance(body.get(key), list):
                return body[key]
    return []


def _rec_plus_order_lines(path: str, body: Any) -> Iterable[dict]:
    for order in _rows(body, "orders"):
        for line in order.get("lines") or []:
            yield {**line, "order_id": order.get("id"), "start_date": order.get("start_date")}


def _yodify_order_items(path: str, body: Any) -> Iterable[dict]:
    for order in _rows(body, "data"):
        for item in order.get("items") or []:
            yield {**item, "order_id": order.get("id"), "order_number": order.get("order_number"), "ordered_date": order.get("ordered_date")}


def _netxl_products(path: str, body: Any) -> Iterable[dict]:
    return _rows(body, "products", "data", "items", "results")


def _m3_products(path: str, body: Any) -> Iterable[dict]:
    # the SKU list feeds the detail requests; each detail body is one record
    if path.rstrip("/").count("/") > 3 and isinstance(body, dict):
        yield body.get("data", body) if isinstance(body.get("data"), dict) else body


def _vidaxl_order_products(path: str, body: Any) -> Iterable[dict]:
    for row in _rows(body, "data", "orders"):
        order = row.get("order", row)  # unpaid orders (no submitted_at) too, as the connector syncs them
        for item in order.get("order_products") or []:
            yield {**item.get("order_product", item), "order_id": order.get("id"), "submitted_at": order.get("submitted_at")}


# (supplier, stream) -> (records of one body, primary key)
STREAMS: dict[tuple[str, str], tuple[Records, str]] = {
    ("rec-plus", "order_lines"): (_rec_plus_order_lines, "id"),
    ("yodify", "order_items"): (_yodify_order_items, "id"),
    ("netxl", "products"): (_netxl_products, "sku"),
    ("m3-wholesale", "products"): (_m3_products, "sku"),
    ("vidaxl", "order_products"): (_vidaxl_order_products, "id"),
}


def session_for(supplier: str, config: dict) -> requests.Session:
    session = requests.Session()
    if supplier == "rec-plus":
        session.auth = (config["username"], config["password"])
    elif supplier == "vidaxl":
        session.auth = (config["email"], config["api_token"])
    elif supplier == "netxl":
        session.headers["X-Api-Key"] = config["api_key"]
    elif supplier == "yodify":
        session.headers["Authorization"] = f"Bearer {config['credentials']['access_token']}"
    elif supplier == "m3-wholesale":
        session.headers["Authorization"] = f"Bearer {config['api_token']}"
    return session


def url_of(root: str, logged: dict) -> str:
    """The logged request's URL; the log holds the decoded query (`k=v&k=v`)."""
    pairs = [part.partition("=") for part in logged["query"].split("&") if part]
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, _, v in pairs)
    return root + logged["path"] + (f"?{query}" if query else "")


def main(plan_path: str, out_path: str) -> None:
    plan = json.loads(open(plan_path).read())
    records_of, key = STREAMS[(plan["supplier"], plan["stream"])]
    session = session_for(plan["supplier"], plan["config"])
    seen: set = set()
    written = 0
    with open(out_path, "w") as out:
        for logged in plan["requests"]:
            response = session.request(logged["method"], url_of(plan["root"], logged), timeout=120)
            response.raise_for_status()
            for record in records_of(logged["path"], response.json()):
                if record.get(key) in seen:
                    continue
                seen.add(record.get(key))
                out.write(json.dumps({"stream": plan["stream"], "data": record}) + "\n")
                written += 1
    print(json.dumps({"records": written, "requests": len(plan["requests"])}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
