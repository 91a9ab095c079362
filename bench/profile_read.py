"""Where a read's CPU goes: one stream read in-process under cProfile, every thread profiled.

The sandbox runs as its own process; the connector runs in this one (its worker threads each under
their own profiler, merged at the end). Prints the CPU by area (Jinja, dpath, schema validation,
HTTP, JSON, ...) and the top functions.

    .venv/bin/python bench/profile_read.py vidaxl order_products [--scale 5] [--top 30]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import json
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

from connector_testing import SOURCES, sandbox_process

ROOT = Path(__file__).resolve().parents[1]

# area -> substrings of a function's file path (first match wins, in this order)
AREAS = {
    "jinja (templates: compile + render)": ("jinja2/", "interpolation/"),
    "dpath (record extraction/expansion)": ("dpath/", "extractors/", "expanders/"),
    "jsonschema (validation)": ("jsonschema/", "referencing/"),
    "json / orjson / serpyco (messages)": ("json/", "serpyco", "airbyte_protocol_serializers"),
    "http (requests, urllib3, sockets)": ("requests/", "urllib3/", "http/client", "socket", "ssl", "requests_cache"),
    "datetime parsing": ("dateutil", "_strptime", "datetime_parser", "isodate"),
    "our components (connector_common)": ("connector_common/",),
    "cdk concurrency (queues, threads)": ("concurrent_source", "concurrent/", "queue.py", "threading.py"),
    "cdk other": ("airbyte_cdk/",),
}


# where a per-record cost shows up (cumulative CPU, all threads)
KEY_FUNCTIONS = ("record_expander.py:expand_record", "interpolated_boolean.py:eval", "record_filter.py:filter_records",
                 "record_selector.py:select_records", "record_selector.py:filter_and_transform", "dpath_extractor.py:extract_records",
                 "type_transformer.py:transform", "record_shaping.py:transform", "datetime_based_cursor.py:should_be_synced",
                 "concurrent_cursor.py:observe", "airbyte_message_serializer", "entrypoint.py:handle_record_counts",
                 "declarative_partition_generator.py:read", "orjson", "composite_raw_decoder.py:decode", "dpath/__init__.py:values")


def glob_free_expand() -> None:
    """Experiment only: what `RecordExpander.expand_record` would cost reading its path like `_lookup`.

    `dpath.values` walks every node of the parent record and glob-matches its path, even when the
    path has no glob; the expander's own `_lookup` (used for parent fields) reads only the path.
    """
    from types import SimpleNamespace

    import airbyte_cdk.sources.declarative.expanders.record_expander as expander

    walk_all = expander.dpath.values

    def values(record, path, **kwargs):  # type: ignore[no-untyped-def]
        if any(isinstance(s, str) and any(c in s for c in "*?[") for s in path):
            return walk_all(record, path, **kwargs)
        value = expander._lookup(record, path)
        return [] if value is expander._MISSING else [value]

    expander.dpath = SimpleNamespace(values=values, new=expander.dpath.new, exceptions=expander.dpath.exceptions)  # type: ignore[assignment]


def area_of(filename: str) -> str:
    for area, needles in AREAS.items():
        if any(n in filename for n in needles):
            return area
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("stream")
    parser.add_argument("--scale", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--manifest", type=Path, help="a variant of the connector's manifest to profile instead")
    parser.add_argument("--per-record", action="store_true", help="also list, by cumulative CPU, the functions called about once per record or more")
    parser.add_argument("--callers", default="", help="also print the callers of functions matching this regex")
    parser.add_argument("--no-profile", action="store_true", help="only time the read (CPU without the profiler's overhead)")
    parser.add_argument("--glob-free-expand", action="store_true",
                        help="experiment: RecordExpander looks up its glob-free path directly instead of dpath.values (what a fix would save)")
    args = parser.parse_args()
    entry = next(s for s in SOURCES.values() if s.sandbox == args.source)

    from connector_common import entrypoint

    if args.glob_free_expand:
        glob_free_expand()
    profiles: list[cProfile.Profile] = []
    original_run = threading.Thread.run

    def profiled_run(self: threading.Thread) -> None:
        if args.no_profile:
            return original_run(self)
        profile = cProfile.Profile(time.thread_time)  # CPU of this thread, not time spent waiting
        profiles.append(profile)
        profile.enable()
        try:
            original_run(self)
        finally:
            profile.disable()

    with sandbox_process(args.source, scale=args.scale) as url, tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "config.json").write_text(json.dumps(entry.config(url)))
        Path(tmp, "catalog.json").write_text(json.dumps({"streams": [{
            "stream": {"name": args.stream, "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
            "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}))
        argv = ["read", "--config", f"{tmp}/config.json", "--catalog", f"{tmp}/catalog.json"]
        threading.Thread.run = profiled_run  # type: ignore[method-assign]
        main_profile = cProfile.Profile(time.thread_time)  # CPU of this thread, not time spent waiting
        profiles.append(main_profile)
        out_path = Path(tmp, "out.jsonl")
        saved_stdout = os.dup(1)
        sys.stdout.flush()
        with out_path.open("w") as out_file:
            os.dup2(out_file.fileno(), 1)  # the messages, at the descriptor: the CDK prints from several threads
        started, cpu = time.monotonic(), time.process_time()
        if not args.no_profile:
            main_profile.enable()
        try:
            # the console script's own path (config checks, key integrity, printing), this manifest
            manifest = args.manifest or ROOT / f"source-{args.source}" / "manifest.yaml"
            entrypoint.find_manifest = lambda _package_file: manifest
            entrypoint.run_declarative(str(manifest), argv)
        finally:
            main_profile.disable()
            sys.stdout.flush()
            os.dup2(saved_stdout, 1)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        lines = out_path.read_text().splitlines()
        threading.Thread.run = original_run  # type: ignore[method-assign]
    records = sum(1 for line in lines if line.startswith('{"type":"RECORD"'))
    if args.no_profile:
        print(f"{args.source} {args.stream} scale {args.scale}: {records} records, {elapsed:.1f} s wall, {cpu:.2f} s CPU (not profiled)")
        return
    for line in lines:
        if '"type":"TRACE"' in line and '"ERROR"' in line:
            print("error:", line[:500])
    stats = pstats.Stats(profiles[0])
    for profile in profiles[1:]:
        with contextlib.suppress(TypeError):  # a thread that never ran
            stats.add(profile)
    by_area: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_area[area_of(filename)] = by_area.get(area_of(filename), 0) + tottime
    total = sum(by_area.values())
    print(f"{args.source} {args.stream} scale {args.scale}: {records} records, {elapsed:.1f} s wall, {cpu:.1f} s CPU "
          f"(profiled: {total:.1f} s of CPU in all threads, profiler overhead included)")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / total * 100:5.1f}%  {seconds:6.2f} s  {area}")
    # calls of the functions a per-record cost would show in
    for (filename, line, name), (cc, nc, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name in ("compile", "_compile", "from_string") and "jinja2" in filename:
            print(f"  jinja2 {name}: {nc} calls, {cumtime:.2f} s cumulative")
    for (filename, line, name), (cc, nc, tottime, cumtime, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):  # type: ignore[attr-defined]
        if any(key in f"{filename}:{name}" for key in KEY_FUNCTIONS):
            print(f"  {cumtime:6.2f} s cumulative  {nc:>8} calls  {Path(filename).name}:{name}")
    stats.sort_stats("tottime").print_stats(args.top)
    if args.per_record:
        print("functions called at least once per record, by cumulative CPU (all threads):")
        rows = [(cum, nc, tot, f"{Path(f).parent.name}/{Path(f).name}:{n}") for (f, _, n), (_, nc, tot, cum, _) in stats.stats.items()  # type: ignore[attr-defined]
                if records and nc >= records]
        for cum, nc, tot, name in sorted(rows, reverse=True)[:args.top or 40]:
            print(f"  {cum:6.2f} s cum  {tot:6.2f} s own  {nc / records:5.1f}/record  {name}")
    if args.callers:
        stats.sort_stats("cumulative").print_callers(args.callers)


if __name__ == "__main__":
    main()
