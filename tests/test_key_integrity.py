"""Every source watches the primary keys a deduplicating destination relies on, stream by stream as
its manifest declares (`same_key_twice`, decided from the supplier's doc and shown in its README):

- a null primary key is warned with its stream and counted in the summary line at the end;
- a key read twice in one sync, on a stream whose repeats are legitimate (`update`), passes without a
  warning; on any other stream (`logged`) it is warned with the stream and the key, and counted.

A proxy in front of the sandbox breaks one page of each stream read: a record's key nulled, another
record repeated. Records still pass through (an extractor that emits each id once per sync, as
Yodify's paging and the open-records re-reads need, drops the repeat itself: then nothing repeats)."""

import re
from pathlib import Path

import pytest

from connector_common.key_integrity import LOGGED, UPDATE, declarations
from connector_testing import SOURCES, catalog_for, declarative_source, read, records_by_stream, running_sandbox
from connector_testing.misbehaving import key_breaking_proxy

ROOT = Path(__file__).resolve().parents[1]
COLUMN = "same key twice in a sync"


def _manifest(source: str) -> Path:
    return ROOT / SOURCES[source].script / "manifest.yaml"


def _streams(source: str, config) -> list[dict]:
    return [s for s in declarative_source(_manifest(source), config).resolved_manifest["streams"] if isinstance(s, dict)]


def _readme_column(source: str) -> dict[str, str]:
    """stream -> the README streams table's `same key twice in a sync` cell."""
    lines = (ROOT / SOURCES[source].script / "README.md").read_text().splitlines()
    for number, line in enumerate(lines):
        header = [c.strip().lower() for c in line.strip().strip("|").split("|")]
        if header[:1] == ["stream"] and COLUMN in header:
            column, cells = header.index(COLUMN), {}
            for row in lines[number + 2:]:
                if not row.startswith("|"):
                    return cells
                values = [c.strip() for c in row.strip().strip("|").split("|")]
                for name in re.findall(r"[A-Za-z0-9_]+", values[0]):
                    cells[name] = values[column]
            return cells
    pytest.fail(f"{SOURCES[source].script}/README.md: no streams table with a '{COLUMN}' column")


def _warnings(output) -> list[str]:
    return [m.log.message for m in output.logs if m.log and m.log.level.name == "WARN"]


def _pick(streams: list[dict], rule: str) -> tuple[str, str] | None:
    """The first stream declared `rule` with a one-field primary key: (name, key)."""
    for stream in streams:
        key = stream.get("primary_key")
        key = [key] if isinstance(key, str) else key
        if declarations([stream])[stream["name"]] == rule and key and len(key) == 1 and isinstance(key[0], str):
            return stream["name"], key[0]
    return None


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_stream_declares_in_manifest_and_readme_what_a_repeated_key_means(source):
    streams = _streams(source, SOURCES[source].config("http://127.0.0.1:9"))
    assert all(s.get("same_key_twice", LOGGED) in (UPDATE, LOGGED) for s in streams), [s.get("same_key_twice") for s in streams]
    assert _readme_column(source) == declarations(streams)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_null_keys_warned_and_repeats_warned_or_passed_as_each_stream_declares(source):
    connector = SOURCES[source]
    manifest = _manifest(source)
    with running_sandbox(connector.sandbox) as server:
        config = connector.config(server.url)
        streams = _streams(source, config)
        picks = {rule: pick for rule in (UPDATE, LOGGED) if (pick := _pick(streams, rule))}
        names = [name for name, _ in picks.values()]
        clean = read(manifest, config, catalog_for(manifest, config, names))
        assert not [w for w in _warnings(clean) if "primary key" in w or "came twice" in w or "Key integrity" in w]
        with key_breaking_proxy(server.url, [key for _, key in picks.values()]) as proxy:
            broken = connector.config(proxy)
            output = read(manifest, broken, catalog_for(manifest, broken, names))
    warnings = _warnings(output)
    summary = [w for w in warnings if w.startswith("Key integrity: ")]
    assert len(summary) == 1, warnings  # one line at the end, however many streams
    rows = records_by_stream(output)
    for rule, (stream, key) in picks.items():
        assert f"Stream {stream}: a record has a null primary key ({key})" in " ".join(warnings), warnings
        assert re.search(rf"stream {stream}: [1-9][0-9]* record\(s\) with a null primary key \({key}\)", summary[0]), summary
        keys = [row.get(key) for row in rows[stream] if row.get(key) is not None]
        repeated = sorted({k for k in keys if keys.count(k) > 1}, key=str)
        came_twice = [w for w in warnings if w.startswith(f"Stream {stream}: the key ({key})")]
        if rule == UPDATE:  # emitted both times, without a word
            assert not came_twice and f"stream {stream}: " not in re.sub(rf"stream {stream}: \d+ record\(s\) with a null", "", summary[0]), warnings
        elif repeated:
            assert came_twice and f"= ({repeated[0]}) came twice" in came_twice[0], warnings
            assert f"stream {stream}: {len(keys) - len(set(keys))} record(s) repeating a key ({key})" in summary[0], summary
        assert len(rows[stream]) >= len(records_by_stream(clean)[stream])  # nothing dropped by the check


def test_a_legitimate_repeat_reaches_the_destination_twice_without_a_warning():
    """REC+ products (`update`: a product modified during the read moves the offset pages) keep no
    set of emitted ids, so the repeated product is emitted twice and no warning is given."""
    connector = SOURCES["rec_plus"]
    manifest = _manifest("rec_plus")
    with running_sandbox(connector.sandbox) as server, key_breaking_proxy(server.url, "id") as proxy:
        config = connector.config(proxy)
        output = read(manifest, config, catalog_for(manifest, config, ["products"]))
    ids = [row["id"] for row in records_by_stream(output)["products"] if row.get("id") is not None]
    assert len(ids) == len(set(ids)) + 1
    assert not [w for w in _warnings(output) if "came twice" in w or "repeating a key" in w]
