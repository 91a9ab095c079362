"""write in-process and as the console script: bad records, checkpoints, unknown streams, faults,
the API's alternative readings, addresses, and secrets."""

from __future__ import annotations

import logging

import pytest
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from connector_testing import protocol_messages, run_cli, running_sandbox
from destination_yodify.destination import DestinationYodify

from yodify_dest_helpers import (
    catalog,
    catalog_obj,
    jsonl,
    make_config,
    oauth_config,
    order_records,
    record,
    state,
    to_messages,
    write_kinds,
)


def write(config, raw, streams=("orders", "shipments", "sku_inventory", "sku_prices", "addresses")):
    return list(DestinationYodify().write(config, catalog_obj(streams), to_messages(raw)))


def states_of(out) -> list:
    return [m.state.stream.stream_state.cursor for m in out if m.type.value == "STATE"]


def summary_line(caplog) -> str:
    return [r.getMessage() for r in caplog.records if "write summary" in r.getMessage()][-1]


# -- bad records --------------------------------------------------------------------------------
def bad_batch(server) -> list[dict]:
    sku = next(iter(server.api.store.skus.values()))
    good = order_records(server, 2, prefix="OK")
    return [
        record("orders", good[0]),
        record("orders", {"order_number": "BAD-SCHEMA", "items": []}),  # fails the schema (minItems)
        record("orders", {"order_number": "BAD-API", "items": [{"yodify_sku_id": 999999, "quantity": 1}]}),  # the API answers 400
        state("orders", 1),
        record("sku_inventory", {"sku_identifier": "NO-SUCH-SKU", "inventory": 3}),  # unknown SKU
        record("sku_prices", {"sku_identifier": sku["sku_identifier"], "list_price": -1}),  # fails the schema (minimum)
        record("shipments", {"order_number": "OK-00000", "tracking_number": "T1", "carrier": "Pigeon Post"}),  # unknown carrier
        record("shipments", {"order_number": "NO-SUCH-ORDER", "tracking_number": "T2", "carrier": "UPS"}),  # unknown order
        record("orders", good[1]),
        state("orders", 2),
    ]


def test_reject_mode_reports_each_bad_record_with_stream_key_and_message_and_counts_it(sandbox, caplog):
    config = make_config(sandbox)  # on_bad_record defaults to reject
    with caplog.at_level(logging.INFO, logger="airbyte"):
        out = write(config, bad_batch(sandbox))
    assert states_of(out) == [1, 2]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "Rejected record" in r.getMessage()]
    assert len(warnings) == 6
    text = "\n".join(warnings)
    assert "orders record order_number=BAD-SCHEMA: does not match the orders schema at items" in text
    assert "orders record order_number=BAD-API: Yodify refused it (POST /api/v1/Orders -> HTTP 400): " in text
    assert "SKU 999999 could not be found" in text  # the API's own message
    assert "sku_inventory record sku_identifier=NO-SUCH-SKU: no SKU has sku_identifier 'NO-SUCH-SKU'" in text
    assert "sku_prices record sku_identifier=" in text and "list_price" in text
    assert "shipments record tracking_number=T1: carrier 'Pigeon Post' is not in GET /api/v1/Carriers" in text
    assert "shipments record tracking_number=T2: no order has order_number 'NO-SUCH-ORDER'" in text
    line = summary_line(caplog)
    assert "orders: written 2 (created 2, updated 0), already present 0, rejected 2, failed 0" in line
    assert "shipments: written 0 (created 0, updated 0), already present 0, rejected 2, failed 0" in line
    assert "sku_inventory: written 0 (created 0, updated 0), already present 0, rejected 1" in line
    assert write_kinds(sandbox)["order_create"] == 2


def test_fail_mode_stops_at_the_first_bad_record_and_checkpoints_nothing_after_it(caplog):
    # orders are written concurrently: the writes already in flight when the bad one comes back
    # (at most 4 x max_concurrency) may land, none after; no state after the bad record goes out
    with running_sandbox("yodify", latency_ms=30) as sandbox:
        config = make_config(sandbox, on_bad_record="fail", max_concurrency=2)
        raw = [record("orders", order_records(sandbox, 1, prefix="FIRST")[0]), state("orders", "a"),
               record("orders", {"order_number": "BAD-API", "items": [{"yodify_sku_id": 999999, "quantity": 1}]})]
        raw += [record("orders", o) for o in order_records(sandbox, 40, prefix="NEVER")] + [state("orders", "b")]
        emitted = []
        with caplog.at_level(logging.INFO, logger="airbyte"), pytest.raises(AirbyteTracedException) as err:
            for message in DestinationYodify().write(config, catalog_obj(["orders"]), to_messages(raw)):
                emitted.append(message)
        assert states_of(emitted) == ["a"]
        assert "orders record order_number=BAD-API" in err.value.message and "SKU 999999 could not be found" in err.value.message
        assert "on_bad_record" in err.value.message
        assert err.value.failure_type.value == "config_error"
        numbers = {o["order_number"] for o in sandbox.api.store.orders.values()}
        assert "FIRST-00000" in numbers
        assert len([n for n in numbers if n.startswith("NEVER-")]) <= 4 * 2
        assert "failed 1" in summary_line(caplog)  # the summary still ends the sync


def test_fail_mode_as_console_script_exits_non_zero_with_a_clear_trace(sandbox):
    raw = [record("sku_prices", {"sku_identifier": "NOPE", "list_price": 3.0}), state("sku_prices", 1)]
    result = run_cli("destination-yodify", "write", config=make_config(sandbox, on_bad_record="fail"), catalog=catalog(["sku_prices"]), stdin=jsonl(raw))
    assert result.returncode != 0
    out = protocol_messages(result.stdout)
    traces = [m["trace"]["error"]["message"] for m in out if m["type"] == "TRACE"]
    assert traces and "sku_prices record sku_identifier=NOPE: no SKU has sku_identifier 'NOPE'" in traces[0]
    assert not [m for m in out if m["type"] == "STATE"]


# -- checkpoints --------------------------------------------------------------------------------
def test_state_goes_out_only_after_every_earlier_record_is_written(sandbox):
    skus = list(sandbox.api.store.skus.values())[:60]
    raw = []
    for n, sku in enumerate(skus):
        raw.append(record("sku_inventory", {"sku_identifier": sku["sku_identifier"], "inventory": 500 + n}))
        if n % 20 == 19:
            raw.append(state("sku_inventory", n))
    sandbox.latency_ms = 5  # writes in flight when the state arrives
    config = make_config(sandbox, max_concurrency=8)
    seen = []
    for message in DestinationYodify().write(config, catalog_obj(["sku_inventory"]), to_messages(raw)):
        if message.type.value == "STATE":
            n = message.state.stream.stream_state.cursor
            # at the moment the state is emitted, every SKU before it holds its value
            assert all(sandbox.api.store.skus[s["id"]]["inventory"] == 500 + k for k, s in enumerate(skus[: n + 1]))
            seen.append(n)
    assert seen == [19, 39, 59]


def test_unknown_streams_and_overwrite_are_refused_at_start(sandbox):
    with pytest.raises(AirbyteTracedException) as err:
        list(DestinationYodify().write(make_config(sandbox), catalog_obj(["orders", "products", "customers"]), []))
    assert "customers, products" in err.value.message and "orders, shipments, sku_inventory, sku_prices, addresses" in err.value.message
    with pytest.raises(AirbyteTracedException) as err:
        list(DestinationYodify().write(make_config(sandbox), catalog_obj(["orders"], mode="overwrite"), []))
    assert "overwrite" in err.value.message
    result = run_cli("destination-yodify", "write", config=make_config(sandbox), catalog=catalog(["inventory"]), stdin="")
    assert result.returncode != 0 and "cannot write the stream(s) inventory" in result.stdout
    assert sandbox.api.writes == []


# -- faults and readings ------------------------------------------------------------------------
def test_429_with_retry_after_is_waited_out_and_loses_nothing():
    with running_sandbox("yodify", faults=["429:4:0", "500:7"]) as server:
        skus = list(server.api.store.skus.values())[:50]
        raw = [record("sku_prices", {"sku_identifier": s["sku_identifier"], "list_price": 42.5}) for s in skus]
        raw += [record("orders", o) for o in order_records(server, 10, prefix="RL")] + [state("sku_prices", 1)]
        out = write(make_config(server, max_concurrency=4), raw)
        assert states_of(out) == [1]
        assert all(server.api.store.skus[s["id"]]["list_price"] == 42.5 for s in skus)
        assert write_kinds(server)["order_create"] == 10
        assert [r for r in server.api_requests() if r["status"] == 429]


@pytest.mark.parametrize("server_dated", [False, True], ids=["request-dated", "server-dated"])
def test_both_readings_of_ordered_date_create_once_under_commit500(server_dated):
    with running_sandbox("yodify", faults=["commit500:2@Orders$"]) as server:
        server.api.orders_server_dated = server_dated
        raw = [record("orders", o) for o in order_records(server, 30, prefix="RD")] + [state("orders", 1)]
        config = make_config(server, order_lookback_days=2)
        write(config, raw)
        write(config, raw)  # a retried sync
        numbers = [o["order_number"] for o in server.api.store.orders.values() if o["order_number"].startswith("RD-")]
        assert sorted(numbers) == sorted({n for n in numbers}) and len(numbers) == 30
        assert write_kinds(server)["order_create"] == 30


@pytest.mark.parametrize("options", [{"first_page": 0}, {"envelope_everywhere": True}, {"page_below_first": "reject"}],
                         ids=["page-base-0", "envelopes", "rejects-page-0"])
def test_other_list_readings(options):
    with running_sandbox("yodify", scale=3, faults=["commit500:3"], **options) as server:
        skus = list(server.api.store.skus.values())
        orders = order_records(server, 20, prefix="PB", dated=False)
        raw = [record("orders", o) for o in orders]
        raw += [record("shipments", {"order_number": o["order_number"], "tracking_number": f"PB-T{i}", "carrier": "usps"}) for i, o in enumerate(orders)]
        raw += [record("sku_inventory", {"sku_identifier": s["sku_identifier"], "inventory": 9}) for s in skus] + [state("orders", 1)]
        config = make_config(server, confirm_orders=True)
        write(config, raw)
        write(config, raw)
        kinds = write_kinds(server)
        assert kinds["order_create"] == 20 and kinds["shipment_create"] == 20
        assert all(s["inventory"] == 9 for s in server.api.store.skus.values())


def test_a_create_that_times_out_after_the_server_committed_is_not_repeated(caplog):
    # every 3rd request to /Orders is held 0.7 s by the server, which then commits; the client gives up after 0.3 s
    with running_sandbox("yodify", faults=["slow:3:700@Orders$"]) as server:
        raw = [record("orders", o) for o in order_records(server, 4, prefix="TO", dated=False)] + [state("orders", 1)]
        config = make_config(server, request_timeout_seconds=0.3, ambiguity_grace_seconds=0.8)
        with caplog.at_level(logging.INFO, logger="airbyte"):
            write(config, raw, streams=["orders"])
        timed_out = [r.getMessage() for r in caplog.records if r.getMessage().startswith("POST /api/v1/Orders: ReadTimeout; waiting")]
        assert timed_out  # a create really timed out after the server had taken it
        numbers = [o["order_number"] for o in server.api.store.orders.values() if o["order_number"].startswith("TO-")]
        assert len(numbers) == 4 and len(set(numbers)) == 4


def test_addresses_create_then_update_by_client_identifier_exactly_once():
    with running_sandbox("yodify", faults=["commit500:2@Addresses"]) as server:
        existing = next(iter(server.api.store.addresses.values()))
        raw = [
            record("addresses", {"client_identifier": "wh-1", "name": "Warehouse 1", "city": "Utrecht", "country_code": "NL", "is_warehouse": True}),
            record("addresses", {"client_identifier": "wh-2", "name": "Warehouse 2", "city": "Breda", "country_code": "NL"}),
            record("addresses", {"yodify_address_id": existing["id"], "phone_number": "+31 30 000 0000"}),
            state("addresses", 1),
        ]
        write(make_config(server), raw, streams=["addresses"])
        raw[0]["record"]["data"]["city"] = "Amersfoort"
        write(make_config(server), raw, streams=["addresses"])
        mine = [a for a in server.api.store.addresses.values() if (a["client_identifier"] or "").startswith("wh-")]
        assert sorted(a["client_identifier"] for a in mine) == ["wh-1", "wh-2"]
        assert next(a for a in mine if a["client_identifier"] == "wh-1")["city"] == "Amersfoort"
        assert server.api.store.addresses[existing["id"]]["phone_number"] == "+31 30 000 0000"
        assert write_kinds(server)["address_create"] == 2


def test_an_address_create_answered_200_without_a_body_is_looked_up_not_taken_on_trust(caplog):
    """The doc's other row for POST /Addresses ("200 OK ... None"): a 2xx without the object is no
    proof of a write; the destination finds the address by its key, then updates it in place."""
    caplog.set_level(logging.INFO, logger="airbyte")
    with running_sandbox("yodify") as server:
        server.api.address_created = "200-empty"
        raw = [record("addresses", {"client_identifier": "wh-e1", "name": "Warehouse", "city": "Utrecht"}),
               record("addresses", {"client_identifier": "wh-e1", "city": "Breda"}), state("addresses", 1)]
        write(make_config(server), raw, streams=["addresses"])
        mine = [a for a in server.api.store.addresses.values() if a["client_identifier"] == "wh-e1"]
        assert len(mine) == 1 and mine[0]["city"] == "Breda"
        assert write_kinds(server) == {"address_create": 1, "address_update": 1}
    assert "addresses: written 2 (created 1, updated 1)" in summary_line(caplog)


def test_oauth_write_as_console_script_never_prints_a_secret():
    with running_sandbox("yodify", faults=["500:5", "429:6:0"]) as server:
        config = oauth_config(server, retry_backoff_seconds=0.01)
        skus = list(server.api.store.skus.values())[:10]
        raw = [record("sku_inventory", {"sku_identifier": s["sku_identifier"], "inventory": 1}) for s in skus]
        raw += [record("orders", {"order_number": "BAD", "items": [{"yodify_sku_id": 999999, "quantity": 1}]}), state("sku_inventory", 1)]
        result = run_cli("destination-yodify", "write", config=config, catalog=catalog(["sku_inventory", "orders"]), stdin=jsonl(raw))
        assert result.returncode == 0, result.stdout[-2000:]
        issued = list(server.api.auth.issued)
        assert issued
        output = result.stdout + result.stderr
        for secret in ["yodify-sandbox-secret", *issued]:
            assert secret not in output
        assert [m for m in protocol_messages(result.stdout) if m["type"] == "STATE"]
