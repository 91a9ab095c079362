"""Faults over real HTTP: 429s and 5xx lose and duplicate nothing; headerless 429s wait up to 5 minutes
and never end the sync early; a body cut short is read again, skipping what was emitted."""

from __future__ import annotations

import pytest
from connector_testing import RetryClock, assert_complete, catalog_for, patch_retry_waits, read, records_by_stream, running_sandbox

@pytest.fixture
def clock(monkeypatch) -> RetryClock:
    return patch_retry_waits(monkeypatch)


@pytest.mark.parametrize("faults", [["429:3:1", "500:7"], ["429:2:0", "503:5", "502:4"], ["504:2"]])
def test_429_and_5xx_lose_and_duplicate_nothing(manifest, config_for, faults, clock):
    with running_sandbox("netxl", faults=faults) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config))
        assert not output.errors
        assert_complete(output, server, manifest, config)
        statuses = {r["status"] for r in server.api_requests()}
        assert statuses - {200}, "the faults never fired"
        # Retry-After honoured: every 429 wait is the header's value (+1 s the CDK adds)
        if any(f.startswith("429:") for f in faults):
            retry_after = int(faults[0].split(":")[2])
            assert retry_after + 1 in [round(s) for s in clock.sleeps]


def test_headerless_429_backs_off_up_to_5_minutes_and_never_gives_up_early(manifest, config_for, clock):
    # NetXL's doc: 429 means "wait 5 minutes"; no Retry-After. 12 in a row is more than the CDK's
    # default 5 retries and its 10-minute retry budget: the sync must still finish, complete.
    with running_sandbox("netxl") as server:
        config = config_for(server)
        catalog = catalog_for(manifest, config, ["products"])
        server.api.throttle_next = 12
        output = read(manifest, config, catalog)
        assert not output.errors
        assert len(records_by_stream(output)["products"]) == server.api.counts()["products"]
        assert [r["status"] for r in server.api_requests("/product")] == [429] * 12 + [200]
    # 10 s doubling, capped at 300 s (each + the CDK's extra second)
    assert clock.sleeps == [11, 21, 41, 81, 161, 301, 301, 301, 301, 301, 301, 301]
    waits = [m.log.message for m in output.logs if "Rate limited" in m.log.message]
    assert len(waits) == 12
    assert "Waiting 300 s before retrying" in waits[-1] and "wait 5 minutes" in waits[-1]
    assert "GET /product answered HTTP 429" in waits[0]


def test_persistent_5xx_fails_the_sync_with_a_clear_message(manifest, config_for, clock):
    with running_sandbox("netxl", faults=["503:1@^/manufacturer$"]) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config, ["manufacturers"]), expecting_exception=True)
        messages = [e.trace.error.message for e in output.errors]
        assert any("kept failing" in m and "503" in m for m in messages), messages
        assert len(server.api_requests("/manufacturer")) == 9  # first try + 8 retries
        assert not output.records


@pytest.mark.parametrize("envelope, fault", [(None, "truncate:1*2@^/product$"), ("resource", "truncate:1*2@^/product$"),
                                             (None, "html:1*2:200@^/product$")], ids=["cut-bare", "cut-envelope", "html-200"])
def test_a_product_body_cut_short_is_read_again_losing_and_duplicating_nothing(manifest, config_for, monkeypatch, envelope, fault):
    clock = patch_retry_waits(monkeypatch)
    with running_sandbox("netxl", list_envelope=envelope, faults=[fault]) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config, ["products"]))
        assert not output.errors
        skus = [r["sku"] for r in records_by_stream(output)["products"]]
        assert len(skus) == len(set(skus)) == server.api.counts()["products"]
        assert len(server.api_requests("/product")) == 3  # cut short twice, then read whole
        assert clock.sleeps == [2, 4]


def test_a_product_body_always_cut_short_fails_the_sync_clearly(manifest, config_for, monkeypatch):
    patch_retry_waits(monkeypatch)
    with running_sandbox("netxl", faults=["truncate:1@^/product$"]) as server:
        config = config_for(server)
        output = read(manifest, config, catalog_for(manifest, config, ["products"]), expecting_exception=True)
        assert output.errors
        skus = [r.record.data["sku"] for r in output.records]
        assert len(skus) == len(set(skus)) < server.api.counts()["products"]  # what was read, once
        assert len(server.api_requests("/product")) == 4  # first try + 3 re-reads
        assert any("GET /product could not be read" in e.trace.error.message for e in output.errors), [e.trace.error.message for e in output.errors]
