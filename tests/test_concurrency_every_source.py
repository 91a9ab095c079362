"""Issue 14: `num_workers` is the one concurrency setting of every source, and it is what sets how
many requests are in flight at once, counted at the sandbox from its request log (real HTTP, with
latency so that requests made at once overlap there)."""

from pathlib import Path

import pytest
import yaml
from airbyte_cdk.sources.declarative.interpolation import InterpolatedString

from connector_testing import SOURCES, catalog_for, most_in_flight, read, running_sandbox

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_num_workers_sets_the_requests_in_flight(source):
    connector = SOURCES[source]
    manifest = ROOT / connector.script / "manifest.yaml"
    with running_sandbox(connector.sandbox, latency_ms=20) as server:
        config = connector.config(server.url)
        catalog = catalog_for(manifest, config)
        # the fewest workers the manifest's level gives for num_workers 1 (vidaXL: 2, one of them
        # waits for the status reads)
        level = yaml.safe_load(manifest.read_text())["concurrency_level"]["default_concurrency"]
        lowest = int(InterpolatedString.create(str(level), parameters={}).eval({**config, "num_workers": 1}))
        catalog.streams = sorted(catalog.streams, key=lambda s: s.stream.name)[:2]  # two streams: work that can overlap
        streams = [s.stream.name for s in catalog.streams]
        peaks = {}
        for workers in (1, 3):
            before = len(server.api_requests())
            output = read(manifest, {**config, "num_workers": workers}, catalog)
            assert not output.errors, output.errors
            peaks[workers] = most_in_flight(server.api_requests()[before:])
    assert lowest <= 2 and peaks[1] == lowest, f"num_workers 1 (level {lowest}) had {peaks[1]} requests in flight at once ({streams})"
    assert 2 <= peaks[3] <= 3, f"num_workers 3 had {peaks[3]} requests in flight at once ({streams})"
