"""`supplier-sync run --config FILE [--full-refresh]`: the merchant's loop.

Every supplier in FILE into the warehouse (incremental after the first run), the dbt project's unified
models over them, and, when FILE names a push destination, the store's stock, prices and shipments
written through it. Prints a live line per supplier and closing tables; details go to a log file
beside the warehouse. Exit code 0 when every step succeeded, 1 when one failed, 2 for a bad config.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from . import config as config_module
from .quiet import captured_output, log_to_file, prepare_environment


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="supplier-sync", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="read every supplier in the config, build the unified models, push")
    run.add_argument("--config", required=True, help="YAML file: warehouse, sources, optional push and match")
    run.add_argument("--full-refresh", action="store_true", help="ignore the saved state: re-read everything and replace the raw tables")
    run.add_argument("--no-push", action="store_true", help="stop after the unified models, even if the config names a push destination")
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        cfg = config_module.load(args.config)
    except config_module.ConfigError as err:
        print(f"supplier-sync: {err}", file=sys.stderr)
        return 2
    return run_loop(cfg, full_refresh=args.full_refresh, push=not args.no_push, out=out)


def run_loop(cfg: config_module.Config, *, full_refresh: bool = False, push: bool = True, out=None) -> int:
    out = out or sys.stdout
    log_dir = cfg.warehouse.parent / "logs"
    prepare_environment(log_dir)
    log_file = log_dir / "supplier-sync.log"
    with captured_output(log_file):
        import airbyte  # noqa: F401  # its import (and the CDK's) sets up console logging, replaced next

    log_to_file(log_file)
    cfg.warehouse.parent.mkdir(parents=True, exist_ok=True)
    secrets = cfg.secrets()

    from .display import Display
    from .extract import new_result, open_source, sync_supplier

    results = [new_result(connector) for connector in cfg.sources]
    mode = "full refresh" if full_refresh else "incremental"
    with Display(out, results, f"supplier-sync: {len(results)} suppliers into {cfg.warehouse.name}, {mode}") as display:
        # every connector's discover at once (start-up is most of a discover); the reads one at a
        # time, since one process at a time writes the DuckDB file
        with ThreadPoolExecutor(max_workers=max(1, len(results))) as pool, captured_output(log_file):
            opened = {r.connector: pool.submit(open_source, r.connector, cfg.sources[r.connector]) for r in results}
            for result in results:
                sync_supplier(result.connector, cfg.sources[result.connector], cfg.warehouse, full_refresh=full_refresh,
                              result=result, on_update=display.update, opened=opened[result.connector])
                if result.error:
                    result.error = config_module.mask(result.error, secrets)
        display.update("building the unified models with dbt")
        from .transform import build_models

        with captured_output(log_file):
            models = build_models(cfg, [r.supplier for r in results], log_dir)
        pushed = None
        if push and cfg.push and models.push_ready:
            display.update("pushing stock, prices and shipments")
            from .push import push_to_yodify

            with captured_output(log_file):
                pushed = push_to_yodify(cfg, log_dir)
    display.summary()
    display.print(models.line(), style="green" if models.ok else "red")
    for problem in models.problems:
        display.print(config_module.mask(problem, secrets), style="red")
    if pushed is not None:
        for line in pushed.lines():
            display.print(config_module.mask(line, secrets), style="red" if pushed.error else "")
    elif push and cfg.push and "source-yodify" not in cfg.sources:
        display.print("No push: it matches against the store's own SKUs and orders, so add source-yodify to sources.", style="red")
    elif push and cfg.push:
        display.print("No push: the push models did not build (see the dbt problems above).", style="red")
    display.print(f"Warehouse: {cfg.warehouse}  Log: {log_file}", style="dim")
    failed = any(r.failed for r in results) or not models.ok or bool(pushed and pushed.error)
    write_report(log_dir / "last-run.json", results, models, pushed, full_refresh)
    return 1 if failed else 0


def write_report(path, results, models, pushed, full_refresh: bool) -> None:  # type: ignore[no-untyped-def]
    """The run as JSON beside the log (for monitoring, and what the tests read)."""
    report = {
        "full_refresh": full_refresh,
        "suppliers": {r.supplier: {"connector": r.connector, "error": r.error, "seconds": round(r.seconds, 2),
                                   "streams": {name: dataclasses.asdict(s) for name, s in r.streams.items()}} for r in results},
        "models": dataclasses.asdict(models),
        "push": dataclasses.asdict(pushed) if pushed is not None else None,
    }
    path.write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    sys.exit(main())
