"""Every source warns about records a deduplicating destination cannot place: a null primary key
(with its stream, and counted), and a key read twice in one sync without a newer version. A proxy
in front of the sandbox breaks every page of a stream's records; the records still pass through
(Yodify's extractor drops a repeated record itself, as its paging needs: then nothing is repeated)."""

from pathlib import Path

import pytest

from connector_testing import SOURCES, catalog_for, discover, read, records_by_stream, running_sandbox
from connector_testing.misbehaving import key_breaking_proxy

ROOT = Path(__file__).resolve().parents[1]


def _keyed_stream(manifest, config):
    """The first stream with a one-field primary key."""
    for stream in discover(manifest, config).catalog.catalog.streams:
        key = stream.source_defined_primary_key
        if key and len(key) == 1 and len(key[0]) == 1:
            return stream.name, key[0][0]
    pytest.skip("no stream with a one-field key")


def _warnings(output):
    return [m.log.message for m in output.logs if m.log and m.log.level.name == "WARN"]


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_null_and_repeated_keys_are_warned_with_stream_and_count(source):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    with running_sandbox(connector.sandbox) as server:
        stream, key = _keyed_stream(manifest, connector.config(server.url))
        clean = read(manifest, connector.config(server.url), catalog_for(manifest, connector.config(server.url), [stream]))
        assert not [w for w in _warnings(clean) if "primary key" in w or "came twice" in w]  # a clean read says nothing
        with key_breaking_proxy(server.url, key) as proxy:
            config = connector.config(proxy)
            output = read(manifest, config, catalog_for(manifest, config, [stream]))
    warnings = _warnings(output)
    assert f"Stream {stream}: a record has a null primary key ({key})" in " ".join(warnings), warnings
    assert any(w.startswith(f"Stream {stream}: ") and f"record(s) with a null primary key ({key})." in w for w in warnings)
    rows = records_by_stream(output)[stream]
    keys = [row.get(key) for row in rows if row.get(key) is not None]
    if len(keys) != len(set(keys)):  # a source whose extractor drops repeated pages' records emits none
        assert any(w.startswith(f"Stream {stream}: the key ({key})") and "came twice" in w for w in warnings), warnings
    assert len(rows) >= len(records_by_stream(clean)[stream])  # nothing dropped by the check: the destination decides
