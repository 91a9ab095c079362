"""The dbt project (supplier_sync/dbt) run by the loop through dbt-duckdb, in process (dbtRunner)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config

PROJECT = Path(__file__).resolve().parent / "dbt"
PUSH_MODELS = ("push_sku_inventory", "push_sku_prices", "push_shipments", "push_unmatched")


@dataclass
class ModelsOutcome:
    ok: bool
    built: int = 0
    tests_passed: int = 0
    problems: list[str] = field(default_factory=list)
    push_ready: bool = False  # the push models were rebuilt by this run

    def line(self) -> str:
        verdict = "dbt: " if self.ok else "dbt FAILED: "
        return f"{verdict}{self.built} models built, {self.tests_passed} tests passed, {len(self.problems)} problems"


def dbt_vars(cfg: Config, suppliers: list[str]) -> dict:
    return {"suppliers": suppliers, "stock": cfg.match.stock, "preferred": list(cfg.match.preferred),
            "price_markup": cfg.match.price_markup}


def write_profile(directory: Path, target: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "profiles.yml").write_text(json.dumps({"supplier_sync": {"target": "loop", "outputs": {"loop": target}}}))
    return directory


def run_dbt(command: str, profiles_dir: Path, work_dir: Path, variables: dict, extra: list[str] = ()):  # type: ignore[assignment]
    from dbt.cli.main import dbtRunner

    args = [command, "--project-dir", str(PROJECT), "--profiles-dir", str(profiles_dir),
            "--target-path", str(work_dir / "target"), "--log-path", str(work_dir), "--vars", json.dumps(variables),
            "--no-use-colors", "--no-partial-parse", "--no-send-anonymous-usage-stats", *extra]
    try:
        return dbtRunner().invoke(args)
    finally:
        _release_duckdb()


def _release_duckdb() -> None:
    """dbt-duckdb keeps its database open for the process after a run; the push opens the same file
    next, and DuckDB refuses a second handle on it with another configuration."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()


def suppliers_with_data(warehouse: Path, suppliers: list[str]) -> list[str]:
    """The suppliers whose raw schema holds tables (a supplier that never synced has none to model)."""
    import duckdb

    if not warehouse.exists():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {row[0] for row in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
    return [s for s in suppliers if s in present]


def build_models(cfg: Config, suppliers: list[str], log_dir: Path) -> ModelsOutcome:
    suppliers = suppliers_with_data(cfg.warehouse, suppliers)
    if not suppliers:
        return ModelsOutcome(ok=False, problems=["No supplier has data in the warehouse yet, so there is nothing to model; fix the errors above and run again."])
    profiles = write_profile(log_dir / "dbt", {"type": "duckdb", "path": str(cfg.warehouse), "threads": 1, "schema": "main"})
    variables = dbt_vars(cfg, suppliers)
    variables["push"] = bool(cfg.push) and "yodify" in suppliers
    res = run_dbt("build", profiles, log_dir / "dbt", variables)
    return outcome(res)


def outcome(res) -> ModelsOutcome:  # type: ignore[no-untyped-def]
    if res.exception is not None or res.result is None:
        return ModelsOutcome(ok=False, problems=[f"dbt could not run the project: {res.exception}; see the log."])
    out = ModelsOutcome(ok=bool(res.success))
    built: set[str] = set()
    for node_result in res.result.results:
        node = node_result.node
        status = str(node_result.status)
        if node.resource_type == "model" and status == "success":
            out.built += 1
            built.add(node.name)
        elif node.resource_type == "test" and status == "pass":
            out.tests_passed += 1
        elif status not in ("success", "pass"):
            message = " ".join(str(node_result.message or "").split())
            out.problems.append(f"dbt {node.resource_type} {node.name}: {status}{': ' + message if message else ''}.")
    out.push_ready = all(name in built for name in PUSH_MODELS)
    return out
