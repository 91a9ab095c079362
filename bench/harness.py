"""`make bench`: the one benchmark harness. Writes bench/results.json and the table in bench/RESULTS.md.

Every sandbox runs as its own process (`connector_testing.sandbox_process`, so it does not share
the connector's GIL) and every connector as its console script, stdout to a file, as on the
platform. Per source:

- records/s of its largest stream at 0 ms latency, next to `bench/plain_loop.py` fetching exactly
  the requests the connector made (taken from the sandbox's request log) in the same run, at a
  scale grown until the connector's read takes 5 s or more (a probe read first; so the size of the
  read follows the machine's speed, and start-up weighs as the issue asks);
- wall time of a full sync of all streams at 50 ms latency at the default concurrency and at
  concurrency 1 (config `num_workers`, plus whatever key the manifest's `concurrency_level` reads),
  next to the latency bound: requests x latency / concurrency;
- peak RSS (`wait4`) of a full sync at 0 ms at 1x and 20x data (`--scale`). This is the one place
  peak memory is measured.

For destination-yodify: SKU inventory writes and order writes at 50 ms, default concurrency and 1.

    .venv/bin/python bench/harness.py                 # full mode (29 min on 2 shared cores)
    .venv/bin/python bench/harness.py --fast --out /tmp/b   # tiny sizes, for tests/test_bench_scripts.py
    .venv/bin/python bench/harness.py --only netxl,destination
    .venv/bin/python bench/harness.py --render bench/results.json   # re-write the RESULTS.md table only
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import requests
import yaml

from connector_testing import SOURCES, most_in_flight, sandbox_process

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CDK_DEFAULT_CONCURRENCY = 2  # ConcurrentDeclarativeSource._LOWEST_SAFE_CONCURRENCY_LEVEL, without concurrency_level


@dataclass(frozen=True)
class Mode:
    largest_scale: dict[str, int]  # sandbox scale of the records/s read
    repeats: int  # medians of this many records/s pairs
    sync_scale: dict[str, int]  # sandbox scale of the full syncs at latency
    sync_latency_ms: int
    rss_scales: tuple[int, int]
    skus: int
    orders: int
    write_latency_ms: int
    min_read_seconds: float  # the records/s read's scale grows until the connector's read takes this long


# the largest stream of each source, and the scale its records/s read starts at (grown to a read of 5 s or more)
LARGEST = {"netxl": "products", "rec-plus": "order_lines", "yodify": "order_items", "m3-wholesale": "products", "vidaxl": "order_products"}
FULL = Mode({"netxl": 200, "rec-plus": 100, "yodify": 20, "m3-wholesale": 5, "vidaxl": 5}, 3,
            {"netxl": 20, "rec-plus": 50, "yodify": 5, "m3-wholesale": 2, "vidaxl": 5}, 50, (1, 20), 400, 1000, 50, 5.0)
FAST = Mode({s: 1 for s in LARGEST}, 1, {s: 1 for s in LARGEST}, 0, (1, 2), 12, 4, 0, 0.0)


# -- running a connector ----------------------------------------------------------------------------
# The child is started from this tiny interpreter, not from the harness: Linux carries a parent's
# RSS over fork and exec into the child's peak (ru_maxrss), so a child of the harness (which has
# imported much and read results) would report at least the harness's size.
MEASURE = (
    "import json, os, sys, time\n"
    "started = time.monotonic(); pid = os.fork()\n"
    "if pid == 0: os.execv(sys.argv[2], sys.argv[2:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(json.dumps({'seconds': round(time.monotonic() - started, 2), "
    "'cpu_s': round(usage.ru_utime + usage.ru_stime, 2), 'peak_rss_mib': round(usage.ru_maxrss / 1024, 1)}))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_process(args: list[str], stdin: str | None, out: Path) -> dict:
    """Wall time, CPU and peak RSS of one process, stdout to `out`."""
    usage_file = out.with_suffix(".usage.json")
    with out.open("w") as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen([sys.executable, "-S", "-c", MEASURE, str(usage_file), *args],
                                stdin=subprocess.PIPE if stdin is not None else None, stdout=stdout, stderr=stderr, text=True)
        if stdin is not None:
            assert proc.stdin
            proc.stdin.write(stdin)
            proc.stdin.close()
        code = proc.wait()
        stderr.seek(0)
        err = stderr.read().decode(errors="replace")
    if code != 0:
        raise SystemExit(f"{' '.join(args[:2])} exited {code}:\n{out.read_text()[-3000:]}\n{err[-3000:]}")
    return json.loads(usage_file.read_text())


def messages_of(out: Path, keep_records: bool = False) -> tuple[list[dict], dict[str, int]]:
    """The messages of a connector's stdout but its records, which are only counted (the harness stays small)."""
    kept, counts = [], {}
    with out.open() as lines:
        for line in lines:
            if line.startswith('{"type":"RECORD"'):
                stream = json.loads(line)["record"]["stream"]
                counts[stream] = counts.get(stream, 0) + 1
            elif line.startswith("{"):
                kept.append(json.loads(line))
    return kept, counts


def connector(script: str, command: str, config: dict, catalog: dict | None = None, stdin: str | None = None) -> tuple[dict, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        args = [str(BIN / script), command] + ([] if command == "spec" else ["--config", f"{tmp}/config.json"])
        Path(tmp, "config.json").write_text(json.dumps(config))
        if catalog is not None:
            Path(tmp, "catalog.json").write_text(json.dumps(catalog))
            args += ["--catalog", f"{tmp}/catalog.json"]
        out = Path(tmp, "out.jsonl")
        usage = run_process(args, stdin, out)
        messages, counts = messages_of(out)
    usage["records_by_stream"] = counts
    errors = [m for m in messages if m["type"] == "TRACE" and m["trace"].get("type") == "ERROR"]
    if errors:
        raise SystemExit(f"{script} {command}: {errors[0]['trace']['error'].get('message')}")
    return usage, messages


_CATALOGS: dict[str, list[dict]] = {}


def discover(script: str, config: dict) -> list[dict]:
    """The discover messages of a connector, once per run (the catalog depends on neither scale nor latency)."""
    if script not in _CATALOGS:
        _CATALOGS[script] = connector(script, "discover", config)[1]
    return _CATALOGS[script]


def catalog_of(messages: list[dict], streams: set[str] | None = None) -> dict:
    discovered = next(m["catalog"] for m in messages if m["type"] == "CATALOG")
    return {"streams": [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
                        for s in discovered["streams"] if streams is None or s["name"] in streams]}


def root_of(url: str) -> str:
    """The sandbox's root, where its admin endpoints are (an API's base URL may have a path)."""
    return "{0.scheme}://{0.netloc}".format(urlsplit(url))


def request_log(url: str) -> list[dict]:
    return requests.get(f"{root_of(url)}/_sandbox/requests", timeout=120).json()


def api_requests_during(url: str, run: Any) -> tuple[Any, list[dict]]:
    before = len(request_log(url))
    result = run()
    return result, request_log(url)[before:]


def traffic(logged: list[dict]) -> dict:
    """Requests, distinct requests and body bytes (of the bodies the sandbox did not stream) of a run."""
    return {"requests": len(logged), "distinct_requests": len({(r["method"], r["path"], r["query"]) for r in logged}),
            "mb_received": round(sum(r.get("bytes") or 0 for r in logged) / 1e6, 2)}


def in_flight(logged: list[dict]) -> tuple[float, int]:
    """(seconds from the first request's arrival to the last answer, most requests in flight at once), from
    the sandbox's request log: the API's share of a sync's wall time, without the connector's start-up."""
    if not logged:
        return 0.0, 0
    return round(max(r["ended"] for r in logged) - min(r["started"] for r in logged), 2), most_in_flight(logged)


def concurrency_keys(source: str) -> tuple[Callable[[dict], int], list[str]]:
    """The level the manifest's `concurrency_level` gives a config (its template rendered as the
    CDK renders it, bounds included), and the config keys it reads."""
    from airbyte_cdk.sources.declarative.interpolation import InterpolatedString

    level = yaml.safe_load((ROOT / f"source-{source}" / "manifest.yaml").read_text()).get("concurrency_level")
    if not level:
        return (lambda config: CDK_DEFAULT_CONCURRENCY), []
    template = str(level["default_concurrency"])
    keys = re.findall(r"config\.get\(['\"](\w+)['\"]\)|config\[['\"](\w+)['\"]\]", template)
    rendered = InterpolatedString.create(template, parameters={})

    def level_for(config: dict) -> int:
        return min(int(rendered.eval(config)), int(level.get("max_concurrency") or 10**6))

    return level_for, [a or b for a, b in keys]


# -- per source -------------------------------------------------------------------------------------
def grown_scale(scale: int, seconds: float, wanted: float) -> int:
    """The next scale for a read that took `seconds` at `scale` and should take `wanted` or more:
    proportional with a quarter to spare (start-up makes the read grow less than the data), at
    most 8x per step."""
    return max(scale + 1, math.ceil(scale * min(8.0, 1.25 * wanted / max(seconds, 0.1))))


def records_per_second(source: str, mode: Mode, log: list[str]) -> dict:
    """The read pairs at the source's scale, grown until the connector's read takes at least
    `mode.min_read_seconds` (the issue's read of 5 s or more, on whatever machine runs it)."""
    entry = next(s for s in SOURCES.values() if s.sandbox == source)
    stream = LARGEST[source]
    scale = mode.largest_scale[source]
    # the CDK needs no schema in the catalog to read (no discover: one start-up less)
    catalog = {"streams": [{"stream": {"name": stream, "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                            "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
    while True:
        with sandbox_process(source, scale=scale, latency_ms=0) as url, tempfile.TemporaryDirectory() as tmp:
            config = entry.config(url)
            if mode.min_read_seconds:
                probe = connector(entry.script, "read", config, catalog)[0]["seconds"]
                if probe < mode.min_read_seconds:
                    grown = grown_scale(scale, probe, mode.min_read_seconds)
                    log.append(f"{source} {stream}: {probe} s at scale {scale}, under {mode.min_read_seconds} s: scale {grown}")
                    print(log[-1], flush=True)
                    scale = grown
                    continue
            root = root_of(url)
            start_up = [connector(entry.script, "spec", config)[0]["cpu_s"] for _ in range(mode.repeats)]
            pairs = []
            for _ in range(mode.repeats):
                (usage, messages), logged = api_requests_during(url, lambda: connector(entry.script, "read", config, catalog))
                records = usage.pop("records_by_stream").get(stream, 0)
                plan = Path(tmp, "plan.json")
                plan.write_text(json.dumps({"supplier": source, "stream": stream, "config": config, "root": root,
                                            "requests": [{"method": r["method"], "path": r["path"], "query": r["query"]} for r in logged]}))
                out = Path(tmp, "plain.jsonl")
                base = run_process([sys.executable, str(ROOT / "bench" / "plain_loop.py"), str(plan), str(out)], None, Path(tmp, "plain.out"))
                base_records = sum(1 for _ in out.open())
                pairs.append({"connector": {**usage, "records": records}, "plain_loop": {**base, "records": base_records}, "requests": len(logged)})
                log.append(f"{source} {stream}: connector {records} in {usage['seconds']} s, plain loop {base_records} in {base['seconds']} s")
            return summarize_read(stream, scale, pairs, statistics.median(start_up))


def summarize_read(stream: str, scale: int, pairs: list[dict], start_up_cpu_s: float) -> dict:
    med = lambda side, key: statistics.median(p[side][key] for p in pairs)  # noqa: E731
    c_rate = pairs[0]["connector"]["records"] / med("connector", "seconds")
    p_rate = pairs[0]["plain_loop"]["records"] / med("plain_loop", "seconds")
    return {"stream": stream, "scale": scale, "requests": pairs[0]["requests"], "records": pairs[0]["connector"]["records"],
            "plain_loop_records": pairs[0]["plain_loop"]["records"], "connector_seconds": med("connector", "seconds"),
            "connector_cpu_s": med("connector", "cpu_s"), "plain_loop_seconds": med("plain_loop", "seconds"),
            "connector_records_per_s": round(c_rate), "plain_loop_records_per_s": round(p_rate),
            "ratio": round(c_rate / p_rate, 2), "plain_loop_cpu_s": med("plain_loop", "cpu_s"),
            # CPU is what a shared machine does not distort: the plain loop's CPU over the connector's
            "cpu_ratio": round(med("plain_loop", "cpu_s") / med("connector", "cpu_s"), 2),
            "start_up_cpu_s": start_up_cpu_s,  # a `spec` of the same console script
            "cpu_ratio_without_start_up": round(med("plain_loop", "cpu_s") / max(0.01, med("connector", "cpu_s") - start_up_cpu_s), 2),
            "runs": pairs}


EXTRA_LEVELS: list[int] = []  # --levels: more concurrency levels to time, beside the default and 1


def full_sync(source: str, mode: Mode, log: list[str]) -> dict:
    entry = next(s for s in SOURCES.values() if s.sandbox == source)
    level_for, keys = concurrency_keys(source)
    default = level_for({})
    out: dict[str, Any] = {"latency_ms": mode.sync_latency_ms, "scale": mode.sync_scale[source], "default_concurrency": default,
                           "concurrency_config_keys": keys, "num_workers_read": "num_workers" in keys}
    with sandbox_process(source, scale=mode.sync_scale[source], latency_ms=mode.sync_latency_ms) as url:
        config = entry.config(url)
        discovered = discover(entry.script, config)
        catalog = catalog_of(discovered)
        for label, concurrency in (("default", None), ("one", 1), *((f"c{n}" + (f"_{i}" if EXTRA_LEVELS.index(n) < i else ""), n) for i, n in enumerate(EXTRA_LEVELS))):
            overrides = {} if concurrency is None else {"num_workers": concurrency, **{k: concurrency for k in keys}}
            (usage, messages), logged = api_requests_during(url, lambda: connector(entry.script, "read", {**config, **overrides}, catalog))
            level = level_for(overrides)  # what the connector runs at (vidaXL reads 1 as 2)
            bound = len(logged) * mode.sync_latency_ms / 1000 / level
            span, peak = in_flight(logged)
            out[label] = {**usage, "concurrency": level, "requests": len(logged), "records": sum(usage["records_by_stream"].values()),
                          "latency_bound_s": round(bound, 2), "vs_bound": round(usage["seconds"] / bound, 2) if bound else None,
                          "api_span_s": span, "span_vs_bound": round(span / bound, 2) if bound else None, "max_in_flight": peak}
            log.append(f"{source} full sync at {label} concurrency ({level}): {usage['seconds']} s, {usage['cpu_s']} CPU s, {len(logged)} requests, bound {bound:.2f} s, API span {span} s, {peak} in flight")
    out["speedup"] = round(out["one"]["seconds"] / out["default"]["seconds"], 2)
    return out


def peak_memory(source: str, mode: Mode, log: list[str]) -> dict:
    entry = next(s for s in SOURCES.values() if s.sandbox == source)
    out: dict[str, Any] = {}
    for scale in mode.rss_scales:
        with sandbox_process(source, scale=scale, latency_ms=0) as url:
            config = entry.config(url)
            discovered = discover(entry.script, config)
            (usage, messages), logged = api_requests_during(url, lambda: connector(entry.script, "read", config, catalog_of(discovered)))
            out[f"{scale}x"] = {**usage, "records": sum(usage["records_by_stream"].values()), **traffic(logged)}
            log.append(f"{source} full sync at {scale}x: {usage['peak_rss_mib']} MiB peak, {usage['seconds']} s, {len(logged)} requests")
    low, high = (out[f"{s}x"]["peak_rss_mib"] for s in mode.rss_scales)
    out["ratio"] = round(high / low, 2)
    return out


# -- destination ------------------------------------------------------------------------------------
YODIFY_TOKEN = "yodify-sandbox-token"
WRITE_CATALOG = {"streams": [{"stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                              "sync_mode": "full_refresh", "destination_sync_mode": "append"} for name in ("sku_inventory", "orders")]}


def sku_identifiers(url: str, n: int) -> list[str]:
    headers = {"Authorization": f"Bearer {YODIFY_TOKEN}"}
    out: list[str] = []
    since = 0
    while len(out) < n:
        rows = requests.get(f"{url}/api/v1/SKUs", params={"Limit": 100, "SinceId": since}, headers=headers, timeout=60).json()["data"]
        if not rows:
            break
        out += [r["sku_identifier"] for r in rows]
        since = rows[-1]["id"]
    return out[:n]


def record_line(stream: str, data: dict) -> str:
    return json.dumps({"type": "RECORD", "record": {"stream": stream, "emitted_at": 0, "data": data}})


def order_record(number: str, sku: str) -> dict:
    return {"order_number": number, "client_identifier": number.lower(), "ordered_date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "items": [{"sku_identifier": sku, "quantity": 2, "price_per_unit": 12.5}],
            "shipping_address": {"first_name": "Anna", "last_name": "Smith", "street1": "1 High Street", "city": "Worcester",
                                 "postal_code": "WR1 1AB", "country_code": "GB"}, "currency_code": "USD"}


def destination(mode: Mode, log: list[str]) -> dict:
    spec = json.loads((ROOT / "destination-yodify" / "destination_yodify" / "spec.json").read_text())
    default = spec["connectionSpecification"]["properties"]["max_concurrency"]["default"]
    scale = max(1, -(-mode.skus // 67))  # ~68 SKUs per scale unit: one distinct SKU per record
    out: dict[str, Any] = {"latency_ms": mode.write_latency_ms, "default_concurrency": default}
    with sandbox_process("yodify", scale=scale, latency_ms=mode.write_latency_ms) as url:
        skus = sku_identifiers(url, mode.skus)
        for kind, stream in (("sku_writes", "sku_inventory"), ("order_writes", "orders")):
            out[kind] = {}
            for n, (label, concurrency) in enumerate((("default", default), ("one", 1))):
                if stream == "sku_inventory":
                    lines = [record_line(stream, {"sku_identifier": s, "inventory": 100 + n}) for s in skus]
                else:
                    run_id = f"B{int(time.time() * 1000) % 10**8}{n}"
                    lines = [record_line(stream, order_record(f"{run_id}-{i:05d}", skus[i % len(skus)])) for i in range(mode.orders)]
                config = {"base_url": url, "credentials": {"auth_type": "access_token", "access_token": YODIFY_TOKEN},
                          "max_concurrency": concurrency, "num_workers": concurrency}
                before = len(requests.get(f"{url}/_sandbox/writes", timeout=60).json())
                (usage, _), logged = api_requests_during(url, lambda: connector("destination-yodify", "write", config, WRITE_CATALOG, "\n".join(lines) + "\n"))
                writes = requests.get(f"{url}/_sandbox/writes", timeout=60).json()[before:]
                kind_written = "sku_inventory" if stream == "sku_inventory" else "order_create"
                written = sum(1 for w in writes if w["kind"] == kind_written)
                out[kind][label] = {**usage, "concurrency": concurrency, "records": len(lines), "written": written,
                                    "requests": len(logged), "records_per_s": round(len(lines) / usage["seconds"], 1)}
                log.append(f"destination {stream} at concurrency {concurrency}: {len(lines)} in {usage['seconds']} s, {written} written")
            out[kind]["speedup"] = round(out[kind]["one"]["seconds"] / out[kind]["default"]["seconds"], 2)
    return out


# -- results ----------------------------------------------------------------------------------------
START, END = "<!-- bench:start (written by bench/harness.py; edit below the end marker) -->", "<!-- bench:end -->"


def table(results: dict) -> str:
    rows = [f"## `make bench` ({results['finished'][:16]} UTC, {results['machine']}{', fast mode' if results['fast'] else ''})", ""]
    rows += ["Records/s of the largest stream at 0 ms latency, console script vs a plain `requests` loop over the same requests "
             f"(`bench/plain_loop.py`, same run; medians of {results['repeats']}; start-up included):", "",
             "| source | stream | scale | requests | records | connector s | rec/s | plain loop s | plain rec/s | ratio | connector CPU s (start-up) | plain CPU s | CPU ratio | CPU ratio w/o start-up | start-up above bare import s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    bare = results.get("bare_import_cpu_s")
    for source, r in results["sources"].items():
        if "read" in r:
            x = r["read"]
            rows.append(f"| {source} | `{x['stream']}` | {x['scale']} | {x['requests']} | {x['records']:,} | {x['connector_seconds']} | "
                        f"{x['connector_records_per_s']:,} | {x['plain_loop_seconds']} | {x['plain_loop_records_per_s']:,} | {x['ratio']} | "
                        f"{x['connector_cpu_s']} ({x['start_up_cpu_s']}) | {x['plain_loop_cpu_s']} | {x['cpu_ratio']} | {x['cpu_ratio_without_start_up']} | "
                        f"{round(x['start_up_cpu_s'] - bare, 2) if bare is not None else '-'} |")
    if bare is not None:
        rows += ["", f"Start-up is the CPU of the console script's `spec` (median of {results['repeats']}); a bare "
                 f"`python -c \"import airbyte_cdk\"` took {bare} CPU s in the same run."]
    rows += ["", "Full sync of all streams (wall s), at the default concurrency and at 1; bound = requests x latency / concurrency; "
             "API span = first request's arrival to last answer at the sandbox (the sync without start-up):", "",
             "| source | latency | scale | records | default c | requests | seconds | CPU s | bound | vs bound | API span s (vs bound) | most in flight | c=1 seconds | c=1 bound | c=1 API span s | speedup | c=1 set by |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for source, r in results["sources"].items():
        if "full_sync" in r:
            x = r["full_sync"]
            d, one = x["default"], x["one"]
            keys = ", ".join(f"`{k}`" for k in x["concurrency_config_keys"]) or "nothing (fixed level: `num_workers` has no effect)"
            rows.append(f"| {source} | {x['latency_ms']} ms | {x['scale']} | {d['records']:,} | {d['concurrency']} | {d['requests']} | {d['seconds']} | {d['cpu_s']} | {d['latency_bound_s']} | "
                        f"{d['vs_bound']} | {d.get('api_span_s', '-')} ({d.get('span_vs_bound', '-')}) | {d.get('max_in_flight', '-')} | "
                        f"{one['seconds']} | {one['latency_bound_s']} | {one.get('api_span_s', '-')} | {x['speedup']}x | {keys} |")
    rows += ["", "Peak RSS (MiB) of a full sync at 0 ms, 1x and 20x data:", "",
             "| source | 1x records | 1x MiB | big records | big MiB | ratio | big CPU s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for source, r in results["sources"].items():
        if "memory" in r:
            x = r["memory"]
            lo, hi = list(x.values())[:2]
            rows.append(f"| {source} | {lo['records']:,} | {lo['peak_rss_mib']} | {hi['records']:,} | {hi['peak_rss_mib']} | {x['ratio']} | {hi['cpu_s']} |")
    if "destination" in results:
        d = results["destination"]
        rows += ["", f"destination-yodify at {d['latency_ms']} ms (`max_concurrency`, and `num_workers` once unified):", "",
                 "| writes | records | default c | seconds | requests | c=1 seconds | c=1 requests | speedup | written (default, 1) |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for kind in ("sku_writes", "order_writes"):
            x = d[kind]
            rows.append(f"| {kind.replace('_', ' ')} | {x['default']['records']} | {x['default']['concurrency']} | {x['default']['seconds']} | {x['default']['requests']} | "
                        f"{x['one']['seconds']} | {x['one']['requests']} | {x['speedup']}x | {x['default']['written']}, {x['one']['written']} |")
    return "\n".join(rows)


def write_results(results: dict, out_dir: Path) -> None:
    (out_dir / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    md = out_dir / "RESULTS.md"
    text = md.read_text() if md.exists() else "# Benchmark results\n"
    block = f"{START}\n{table(results)}\n{END}"
    if START in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        head, _, rest = text.partition("\n")
        text = f"{head}\n\n{block}\n{rest}"
    md.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fast", action="store_true", help="tiny sizes, no latency: checks the scripts work")
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="folder for results.json and RESULTS.md")
    parser.add_argument("--only", default="", help="comma-separated sources and/or 'destination'")
    parser.add_argument("--parts", default="read,full_sync,memory", help="which per-source parts to run")
    parser.add_argument("--render", type=Path, help="only write the table of this results.json into --out/RESULTS.md")
    parser.add_argument("--levels", default="", help="full_sync: comma-separated concurrency levels to time beside the default and 1")
    args = parser.parse_args()
    EXTRA_LEVELS.extend(int(n) for n in filter(None, args.levels.split(",")))
    if args.render:
        results = json.loads(args.render.read_text())
        write_results(results, args.out)
        print(table(results))
        return
    mode = FAST if args.fast else FULL
    only = set(filter(None, args.only.split(",")))
    parts = set(args.parts.split(","))
    results: dict[str, Any] = {"started": datetime.now(timezone.utc).isoformat(), "fast": args.fast, "repeats": mode.repeats,
                               "machine": f"{os.cpu_count()} cores, shared, Python {platform.python_version()}", "sources": {}}
    log: list[str] = []
    if "read" in parts:  # what a connector's start-up is compared with
        with tempfile.TemporaryDirectory() as tmp:
            bare = [run_process([sys.executable, "-c", "import airbyte_cdk"], None, Path(tmp, "bare.out"))["cpu_s"]
                    for _ in range(mode.repeats)]
        results["bare_import_cpu_s"] = statistics.median(bare)
        log.append(f"bare import airbyte_cdk: {results['bare_import_cpu_s']} CPU s")
    for source in LARGEST:
        if only and source not in only:
            continue
        r = results["sources"][source] = {}
        for part, measure in (("read", records_per_second), ("full_sync", full_sync), ("memory", peak_memory)):
            if part in parts:
                r[part] = measure(source, mode, log)
                print(log[-1], flush=True)
    if not only or "destination" in only:
        results["destination"] = destination(mode, log)
        print(log[-1], flush=True)
    results["finished"] = datetime.now(timezone.utc).isoformat()
    results["log"] = log
    args.out.mkdir(parents=True, exist_ok=True)
    write_results(results, args.out)
    print(table(results))


if __name__ == "__main__":
    main()
