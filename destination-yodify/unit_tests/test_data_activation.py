"""Issue 12 over real HTTP against the Yodify sandbox: discover, upsert by matching key exactly
once (updates, cancellations, confirm-on-ship, tracking edits), references by matching key only,
rejected records (local JSONL and a real local S3-compatible server), and exactly-once under
commit-then-500 faults and a kill between a write and its state."""

from __future__ import annotations

import json
import logging
import subprocess
import time
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from connector_testing import protocol_messages, run_cli, running_sandbox
from connector_testing.runs import VENV_BIN
from destination_yodify.destination import DestinationYodify

from yodify_dest_helpers import catalog, catalog_obj, jsonl, make_config, order_records, record, state, to_messages, write_kinds

OBJECTS = ("orders", "shipments", "sku_inventory", "sku_prices", "addresses")


def write(config, raw, streams=OBJECTS, mode="append_dedup"):
    return list(DestinationYodify().write(config, catalog_obj(streams, mode=mode), to_messages(raw)))


def mine(server, prefix):
    return [o for o in server.api.store.orders.values() if (o["order_number"] or "").startswith(prefix)]


# -- discover -----------------------------------------------------------------------------------
def test_discover_answers_one_destination_catalog_with_every_object_its_modes_and_matching_keys(sandbox):
    result = run_cli("destination-yodify", "discover", config=make_config(sandbox))
    assert result.returncode == 0, result.stderr[-2000:]
    messages = [m for m in protocol_messages(result.stdout) if m["type"] == "DESTINATION_CATALOG"]
    assert len(messages) == 1
    ops = messages[0]["destination_catalog"]["operations"]
    by = {(o["object_name"], o["sync_mode"]): o for o in ops}
    assert {o["object_name"] for o in ops} == set(OBJECTS)
    assert ("orders", "append_dedup") in by and ("orders", "update") in by and ("sku_inventory", "update") in by
    assert ("sku_inventory", "append_dedup") not in by  # SKUs are never created
    assert by[("orders", "append_dedup")]["matching_keys"] == [["order_number"], ["client_identifier"]]
    assert by[("shipments", "update")]["matching_keys"] == [["tracking_number"], ["client_identifier"]]
    assert by[("sku_prices", "update")]["matching_keys"] == [["sku_identifier"], ["yodify_sku_id"]]
    shipments = by[("shipments", "append_dedup")]["json_schema"]["properties"]
    assert "order_id" not in shipments and "yodify_order_id" in shipments and shipments["order_number"]["description"]
    assert sandbox.api.writes == []


# -- upsert -------------------------------------------------------------------------------------
@pytest.mark.parametrize("put_semantics", ["partial", "replace"])
def test_a_second_sync_updates_changed_orders_in_place_and_writes_nothing_unchanged(put_semantics):
    with running_sandbox("yodify") as server:
        server.api.put_semantics = put_semantics
        orders = order_records(server, 4, prefix="UP")
        write(make_config(server), [record("orders", o) for o in orders] + [state("orders", 1)], ["orders"])
        orders[0]["shipping_instructions"] = "Leave at the back door"
        orders[1]["shipping_address"] = {**orders[1]["shipping_address"], "city": "Malvern"}
        sku = list(server.api.store.skus.values())[7]
        orders[2]["items"] = [{"sku_identifier": sku["sku_identifier"], "quantity": 5, "price_per_unit": 2.0}]
        for _ in range(2):  # the second run changes nothing
            write(make_config(server), [record("orders", o) for o in orders] + [state("orders", 2)], ["orders"])
        kinds = write_kinds(server)
        assert kinds["order_create"] == 4 and kinds["order_update"] == 3
        by_number = {o["order_number"]: o for o in mine(server, "UP-")}
        assert len(by_number) == 4
        assert by_number["UP-00000"]["shipping_instructions"] == "Leave at the back door"
        assert by_number["UP-00001"]["shipping_address"]["city"] == "Malvern"
        assert by_number["UP-00001"]["shipping_address"]["street1"] == "1 High Street"  # kept under either reading
        assert [(i["sku_id"], i["quantity"]) for i in by_number["UP-00002"]["items"]] == [(sku["id"], 5)]
        assert by_number["UP-00003"]["currency_code"] == "USD" and by_number["UP-00000"]["total"] == 12.0


def test_cancel_cancels_an_order_without_shipments_and_rejects_one_with_a_shipment(tmp_path, caplog):
    with running_sandbox("yodify") as server:
        orders = order_records(server, 2, prefix="CX")
        config = make_config(server, rejected_records={"storage_type": "Local", "path": str(tmp_path / "rejected.jsonl")})
        raw = [record("orders", o) for o in orders]
        raw.append(record("shipments", {"order_number": "CX-00001", "tracking_number": "CX-T1", "carrier": "ups"}))
        write(config, raw + [state("orders", 1)], ["orders", "shipments"])
        cancel = [record("orders", {**o, "order_status": "Cancelled", "cancel_message": "Out of stock"}) for o in orders]
        with caplog.at_level(logging.INFO, logger="airbyte"):
            out = write(config, cancel + [state("orders", 2)], ["orders"])
        assert [m for m in out if m.type.value == "STATE"]  # the rejected one did not stop the sync
        by_number = {o["order_number"]: o for o in mine(server, "CX-")}
        assert by_number["CX-00000"]["order_status"] == "Cancelled"
        assert by_number["CX-00001"]["order_status"] != "Cancelled"
        assert [w["message"] for w in server.api.writes if w["kind"] == "order_cancel"] == ["Out of stock"]
        rejected = [json.loads(line) for line in (tmp_path / "rejected.jsonl").read_text().splitlines()]
        assert len(rejected) == 1 and rejected[0]["object"] == "orders" and rejected[0]["key"] == "order_number=CX-00001"
        assert "refund" in rejected[0]["reason"] and rejected[0]["record"]["order_number"] == "CX-00001"
        write(config, cancel + [state("orders", 3)], ["orders"])  # again: nothing more
        assert write_kinds(server)["order_cancel"] == 1


def test_with_the_defaults_a_shipment_for_a_new_order_confirms_it_first_and_processing_confirms():
    with running_sandbox("yodify") as server:
        orders = order_records(server, 2, prefix="CF")
        raw = [record("orders", o) for o in orders]
        raw.append(record("shipments", {"order_number": "CF-00000", "tracking_number": "CF-T0", "carrier": "FedEx"}))
        raw.append(record("orders", {**orders[1], "order_status": "Processing"}))
        write(make_config(server), raw + [state("orders", 1)])
        by_number = {o["order_number"]: o for o in mine(server, "CF-")}
        assert by_number["CF-00000"]["order_status"] == "Shipped" and by_number["CF-00001"]["order_status"] == "Processing"
        assert write_kinds(server)["order_confirm"] == 2 and write_kinds(server)["shipment_create"] == 1


def test_without_confirming_the_rejected_shipment_says_what_to_change(tmp_path):
    with running_sandbox("yodify") as server:
        path = tmp_path / "r.jsonl"
        config = make_config(server, confirm_orders_for_shipments=False, rejected_records={"storage_type": "Local", "path": str(path)})
        raw = [record("orders", order_records(server, 1, prefix="NC")[0]),
               record("shipments", {"order_number": "NC-00000", "tracking_number": "NC-T", "carrier": "ups"}), state("orders", 1)]
        write(config, raw)
        reason = json.loads(path.read_text().splitlines()[0])["reason"]
        assert "confirm_orders_for_shipments" in reason and write_kinds(server)["shipment_create"] == 0


def test_a_shipment_matched_by_client_identifier_gets_its_tracking_corrected_in_place():
    with running_sandbox("yodify") as server:
        order = order_records(server, 1, prefix="TR")[0]
        ship = {"order_number": "TR-00000", "client_identifier": "ship-1", "tracking_number": "1Z-WRONG", "carrier": "ups",
                "tracking_url": "https://ups.example/1Z-WRONG"}
        write(make_config(server), [record("orders", order), record("shipments", ship), state("orders", 1)])
        fixed = {**ship, "tracking_number": "1Z-RIGHT", "tracking_url": "https://ups.example/1Z-RIGHT", "estimated_delivery_date": "2026-12-09T00:00:00Z"}
        for _ in range(2):
            write(make_config(server), [record("shipments", fixed), state("shipments", 1)], ["shipments"])
        shipments = [s for s in server.api.store.shipments.values() if s["client_identifier"] == "ship-1"]
        assert len(shipments) == 1
        assert shipments[0]["tracking_number"] == "1Z-RIGHT" and shipments[0]["tracking_url"].endswith("1Z-RIGHT")
        assert shipments[0]["estimated_delivery_date"] == "2026-12-09T00:00:00Z"
        assert write_kinds(server)["shipment_update"] == 1 and write_kinds(server)["shipment_create"] == 1


# -- references ---------------------------------------------------------------------------------
def test_a_supplier_order_id_is_never_taken_for_a_yodify_id(tmp_path):
    with running_sandbox("yodify") as server:
        victim = next(iter(server.api.store.orders.values()))
        path = tmp_path / "r.jsonl"
        config = make_config(server, rejected_records={"storage_type": "Local", "path": str(path)})
        # as the vidaXL and M3 shipments streams carry it: the supplier's order id under order_id
        raw = [record("shipments", {"order_id": victim["id"], "tracking_number": "SUP-1", "carrier": "ups"}),
               record("sku_inventory", {"sku_id": 1, "inventory": 3}), state("shipments", 1)]
        write(config, raw, ["shipments", "sku_inventory"])
        assert write_kinds(server)["shipment_create"] == 0 and not [s for s in server.api.store.shipments.values() if s["tracking_number"] == "SUP-1"]
        reasons = [json.loads(line)["reason"] for line in path.read_text().splitlines()]
        assert len(reasons) == 2 and all("yodify_" in r or "schema" in r for r in reasons), reasons


# -- rejected records in S3 ---------------------------------------------------------------------
@pytest.fixture
def s3():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test-key", aws_secret_access_key="test-secret")
    client.create_bucket(Bucket="rejects")
    try:
        yield endpoint, client
    finally:
        server.stop()


def test_rejected_records_land_in_an_s3_compatible_bucket_and_the_sync_goes_on(sandbox, s3):
    endpoint, client = s3
    config = make_config(sandbox, rejected_records={
        "storage_type": "S3", "s3_bucket_name": "rejects", "bucket_path": "yodify/rejected", "s3_bucket_region": "us-east-1",
        "access_key_id": "test-key", "secret_access_key": "test-secret", "s3_endpoint": endpoint})
    sku = next(iter(sandbox.api.store.skus.values()))
    raw = [record("sku_inventory", {"sku_identifier": "NOPE", "inventory": 1}),
           record("orders", {"order_number": "BAD-API", "items": [{"yodify_sku_id": 999999, "quantity": 1}]}),
           record("sku_inventory", {"sku_identifier": sku["sku_identifier"], "inventory": 77}), state("sku_inventory", 1)]
    result = run_cli("destination-yodify", "write", config=config, catalog=catalog(["sku_inventory", "orders"]), stdin=jsonl(raw))
    assert result.returncode == 0, result.stdout[-3000:]
    assert [m for m in protocol_messages(result.stdout) if m["type"] == "STATE"]
    assert sandbox.api.store.skus[sku["id"]]["inventory"] == 77
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="rejects").get("Contents", [])]
    assert keys and all(k.startswith("yodify/rejected/") and k.endswith(".jsonl") for k in keys)
    lines = [json.loads(line) for k in keys for line in client.get_object(Bucket="rejects", Key=k)["Body"].read().decode().splitlines()]
    by_key = {line["key"]: line for line in lines}
    assert set(by_key) == {"sku_identifier=NOPE", "order_number=BAD-API"}
    assert "no SKU has sku_identifier 'NOPE'" in by_key["sku_identifier=NOPE"]["reason"]
    assert "SKU 999999 could not be found" in by_key["order_number=BAD-API"]["reason"]
    assert by_key["order_number=BAD-API"]["object"] == "orders"
    assert "test-secret" not in result.stdout + result.stderr
    assert "rejected 1" in [m["log"]["message"] for m in protocol_messages(result.stdout) if m["type"] == "LOG" and "summary" in m["log"]["message"]][-1]


# -- exactly once -------------------------------------------------------------------------------
def update_batch(server, prefix):
    orders = order_records(server, 3, prefix=prefix)
    first = [record("orders", o) for o in orders]
    first += [record("shipments", {"order_number": o["order_number"], "client_identifier": f"{prefix}-s{i}", "tracking_number": f"{prefix}-T{i}", "carrier": "ups"})
              for i, o in enumerate(orders[:2])]
    first.append(record("addresses", {"client_identifier": f"{prefix}-wh", "name": "Warehouse", "city": "Utrecht", "country_code": "NL"}))
    skus = list(server.api.store.skus.values())[:5]
    second = [record("orders", {**orders[0], "shipping_instructions": "Ring twice"}),
              record("orders", {**orders[2], "order_status": "Cancelled"}),
              record("shipments", {"order_number": orders[1]["order_number"], "client_identifier": f"{prefix}-s1", "tracking_number": f"{prefix}-T1b", "carrier": "ups"}),
              record("addresses", {"client_identifier": f"{prefix}-wh", "city": "Zeist"})]
    second += [record("sku_inventory", {"sku_identifier": s["sku_identifier"], "inventory": 900 + n}) for n, s in enumerate(skus)]
    second += [record("sku_prices", {"sku_identifier": s["sku_identifier"], "list_price": 50 + n}) for n, s in enumerate(skus)]
    return first, second, skus


def assert_written_once(server, prefix, skus):
    kinds = write_kinds(server)
    assert kinds["order_create"] == 3 and kinds["shipment_create"] == 2 and kinds["address_create"] == 1
    assert kinds["order_update"] == 1 and kinds["order_cancel"] == 1 and kinds["shipment_update"] == 1 and kinds["address_update"] == 1
    assert kinds["order_confirm"] == 2  # each order confirmed before its first shipment, once
    assert kinds["sku_inventory"] == 5 and kinds["sku_price"] == 5
    by_number = {o["order_number"]: o for o in mine(server, prefix + "-")}
    assert len(by_number) == 3 and by_number[f"{prefix}-00000"]["shipping_instructions"] == "Ring twice"
    assert by_number[f"{prefix}-00002"]["order_status"] == "Cancelled"
    assert sorted(s["tracking_number"] for s in server.api.store.shipments.values() if (s["client_identifier"] or "").startswith(prefix)) == [f"{prefix}-T0", f"{prefix}-T1b"]
    assert all(server.api.store.skus[s["id"]]["inventory"] == 900 + n and server.api.store.skus[s["id"]]["list_price"] == 50 + n for n, s in enumerate(skus))


def test_every_write_kind_lands_once_under_commit_then_500_on_every_second_write():
    with running_sandbox("yodify", faults=["commit500:2"]) as server:
        first, second, skus = update_batch(server, "EX")
        config = make_config(server)
        write(config, first + [state("orders", 1)])
        write(config, second + [state("orders", 2)])
        write(config, second + [state("orders", 3)])  # the same batch again (a re-run from the last state): nothing more
        assert server.faults.summary()[0]["fired"] >= 10
        assert_written_once(server, "EX", skus)


def test_a_kill_between_a_write_and_its_state_then_a_re_run_from_the_last_state_writes_each_once(tmp_path):
    with running_sandbox("yodify", latency_ms=20) as server:
        first, second, skus = update_batch(server, "KL")
        messages = first + [state("orders", 1)] + second + [state("orders", 2)]
        config_path, catalog_path = tmp_path / "config.json", tmp_path / "catalog.json"
        config_path.write_text(json.dumps(make_config(server, max_concurrency=1)))
        catalog_path.write_text(json.dumps(catalog(OBJECTS, mode="append_dedup")))
        proc = subprocess.Popen([str(VENV_BIN / "destination-yodify"), "write", "--config", str(config_path), "--catalog", str(catalog_path)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        proc.stdin.write(jsonl(messages))
        proc.stdin.close()
        deadline = time.monotonic() + 60
        # kill it once it has written part of the second batch, before that batch's state
        while not any(w["kind"] in ("order_update", "order_cancel") for w in server.api.writes) and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.kill()
        out = proc.stdout.read()
        proc.wait()
        states = [m["state"]["stream"]["stream_state"]["cursor"] for m in protocol_messages(out) if m["type"] == "STATE"]
        assert 2 not in states and any(w["kind"] == "order_update" for w in server.api.writes)
        # the platform re-sends every record after the last state it received
        rest = messages[messages.index(state("orders", states[-1])) + 1:] if states else messages
        result = run_cli("destination-yodify", "write", config=make_config(server), catalog=catalog(OBJECTS, mode="append_dedup"), stdin=jsonl(rest))
        assert result.returncode == 0, result.stdout[-2000:]
        assert_written_once(server, "KL", skus)
