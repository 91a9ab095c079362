"""Issue 16 over real HTTP: records for one SKU apply in input order whichever key names it,
re-sends of an ambiguous create back off, the look-up after a timed-out create waits for a late
commit, the OAuth token is reused for most of a short lifetime, and `write --debug` is accepted."""

from __future__ import annotations

import logging
import time

from connector_testing import protocol_messages, run_cli, running_sandbox
from destination_yodify.destination import DestinationYodify

from yodify_dest_helpers import catalog, catalog_obj, jsonl, make_config, oauth_config, order_records, record, state, to_messages, write_kinds


def write(config, raw, streams):
    return list(DestinationYodify().write(config, catalog_obj(streams), to_messages(raw)))


def summary_line(caplog) -> str:
    return [r.getMessage() for r in caplog.records if "write summary" in r.getMessage()][-1]


def test_two_records_for_one_sku_under_different_keys_apply_in_input_order():
    # the first record needs the SKU list read (40 ms a page) before its write: written
    # concurrently, the second record's write would land first and the first one would win
    with running_sandbox("yodify", latency_ms=40) as server:
        sku = next(iter(server.api.store.skus.values()))
        raw = [record("sku_inventory", {"sku_identifier": sku["sku_identifier"], "inventory": 111}),
               record("sku_inventory", {"yodify_sku_id": sku["id"], "inventory": 222}), state("sku_inventory", 1)]
        write(make_config(server, max_concurrency=8), raw, ["sku_inventory"])
        assert server.api.store.skus[sku["id"]]["inventory"] == 222


def test_re_sends_of_a_failing_create_back_off_until_the_server_recovers(caplog):
    with running_sandbox("yodify") as server:
        server.api.create_outage_seconds = 1.0  # every create answers 503 for a second
        raw = [record("orders", o) for o in order_records(server, 3, prefix="BO")] + [state("orders", 1)]
        with caplog.at_level(logging.INFO, logger="airbyte"):
            out = write(make_config(server, retry_backoff_seconds=0.3), raw, ["orders"])
        assert [m for m in out if m.type.value == "STATE"]
        assert write_kinds(server)["order_create"] == 3
        assert "orders: written 3 (created 3" in summary_line(caplog)


def test_a_commit_later_than_timeout_plus_configured_grace_is_found_not_created_again(caplog):
    with running_sandbox("yodify") as server:
        server.api.commit_delay_seconds = 0.7  # every create commits 0.7 s after it arrived
        raw = [record("orders", o) for o in order_records(server, 3, prefix="LC", dated=False)] + [state("orders", 1)]
        config = make_config(server, request_timeout_seconds=0.3, ambiguity_grace_seconds=0.1)
        with caplog.at_level(logging.INFO, logger="airbyte"):
            write(config, raw, ["orders"])
        numbers = [o["order_number"] for o in server.api.store.orders.values() if o["order_number"].startswith("LC-")]
        assert sorted(numbers) == ["LC-00000", "LC-00001", "LC-00002"]
        assert "orders: written 3 (created 3" in summary_line(caplog)


def test_a_short_lived_oauth_token_is_reused_for_most_of_its_life():
    with running_sandbox("yodify", token_ttl=2) as server:
        skus = list(server.api.store.skus.values())[:80]
        raw = [record("sku_inventory", {"sku_identifier": s["sku_identifier"], "inventory": 7}) for s in skus] + [state("sku_inventory", 1)]
        started = time.monotonic()
        write(oauth_config(server, max_concurrency=4), raw, ["sku_inventory"])
        elapsed = time.monotonic() - started
        assert all(server.api.store.skus[s["id"]]["inventory"] == 7 for s in skus)
        assert server.api.auth.tokens_issued <= 2 + elapsed / 1.5, (server.api.auth.tokens_issued, elapsed)


def test_write_accepts_debug_as_the_sources_do(sandbox):
    sku = next(iter(sandbox.api.store.skus.values()))
    raw = [record("sku_prices", {"sku_identifier": sku["sku_identifier"], "list_price": 9.5}), state("sku_prices", 1)]
    result = run_cli("destination-yodify", "write", config=make_config(sandbox), catalog=catalog(["sku_prices"]), stdin=jsonl(raw), debug=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [m for m in protocol_messages(result.stdout) if m["type"] == "STATE"]
    assert sandbox.api.store.skus[sku["id"]]["list_price"] == 9.5


def test_a_commit_later_than_every_wait_is_counted_and_reported_not_hidden(caplog):
    with running_sandbox("yodify") as server:
        # commits 1.2 s after arrival: later than the 0.6 s look-up, so the create is re-sent once
        server.api.commit_delay_seconds = 1.2
        raw = [record("orders", order_records(server, 1, prefix="LT", dated=False)[0]), state("orders", 1)]
        with caplog.at_level(logging.INFO, logger="airbyte"):
            write(make_config(server, request_timeout_seconds=0.3), raw, ["orders"])
        time.sleep(1.3)
        held = len([o for o in server.api.store.orders.values() if o["order_number"] == "LT-00000"])
        assert held == 2  # what this server's delay makes unavoidable without an idempotency key
        assert f"orders: written {held} (created {held}" in summary_line(caplog)
        assert any("Yodify holds 2 orders with this key" in r.getMessage() for r in caplog.records)
