"""Every source, every stream, against its sandbox with faults: nothing lost, nothing duplicated.

The faults are the ones an ordinary API and network produce and a sync must survive: an HTML page
answered with 200 where JSON was expected (a maintenance or proxy page), 5xx, a connection dropped
before the answer, a body cut short. Each fires a few times only (`*N`), so a sync that retries
correctly always completes: every record the sandbox counts, each primary key once. Retry waits
are recorded, not slept (`patch_retry_waits`).
"""

from pathlib import Path

import pytest

from connector_testing import SOURCES, assert_complete, catalog_for, patch_retry_waits, read, running_sandbox

ROOT = Path(__file__).resolve().parents[1]
FAULTS = {
    "html-200": ["html:4*3:200"],
    "5xx-drop-truncate": ["503:5*3", "drop:7*2", "truncate:6*2"],
}


@pytest.mark.parametrize("faults", sorted(FAULTS))
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_stream_complete_under_faults(source, faults, monkeypatch):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    patch_retry_waits(monkeypatch)
    with running_sandbox(connector.sandbox, faults=FAULTS[faults]) as server:
        config = connector.config(server.url)
        output = read(manifest, config, catalog_for(manifest, config))
        assert_complete(output, server, manifest, config)
        assert sum(f["fired"] for f in server.faults.summary()) > 0  # the faults did happen


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_check_against_a_host_that_refuses_connections_fails_soon_and_says_where(source, monkeypatch):
    import socket

    from connector_testing import check, connection_status

    with socket.socket() as probe:  # a free port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = SOURCES[source]
    clock = patch_retry_waits(monkeypatch)
    config = connector.config(f"http://127.0.0.1:{port}")
    status, message = connection_status(check(ROOT / connector.script / "manifest.yaml", config))
    assert status == "FAILED"
    assert "Could not connect" in message and f"127.0.0.1:{port}" in message and "base_url" in message
    assert sum(clock.sleeps) < 60  # under a minute, not the minutes a 5xx outage is given
