"""The loop's config file (YAML): the warehouse, the suppliers to read, and where to push."""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STOCK_MODES = ("sum", "preferred")
# config keys whose values are credentials: masked wherever the loop prints text that may hold them
SECRET_KEY = re.compile(r"pass|secret|token|api_key|apikey|private", re.IGNORECASE)


class ConfigError(Exception):
    """A config file the loop cannot run; the message is one sentence saying what to change."""


@dataclass(frozen=True)
class Match:
    """How supplier stock and prices become the store's (the push models read these as dbt vars)."""

    stock: str = "sum"  # sum: a SKU's stock is every matching supplier's; preferred: the first supplier in `preferred` that has it
    preferred: tuple[str, ...] = ()  # supplier names (rec_plus, netxl, ...), most preferred first
    price_markup: float | None = None  # when set, list_price = preferred supplier's price x markup; no price push without it


@dataclass(frozen=True)
class Config:
    path: Path
    warehouse: Path
    sources: dict[str, dict[str, Any]]  # connector name -> its config
    push: dict[str, dict[str, Any]] = field(default_factory=dict)  # destination name -> its config
    match: Match = Match()

    def secrets(self) -> set[str]:
        found: set[str] = set()
        for connector_config in [*self.sources.values(), *self.push.values()]:
            _collect_secrets(connector_config, found)
        return found


def supplier_name(connector: str) -> str:
    """`source-rec-plus` -> `rec_plus`: the warehouse schema and the `source` value of its rows."""
    return connector.removeprefix("source-").replace("-", "_")


def connector_executable(connector: str) -> Path | None:
    """The connector's console script, installed beside this Python (the workspace's .venv/bin)."""
    local = Path(sys.executable).parent / connector
    if local.exists():
        return local
    found = shutil.which(connector)
    return Path(found) if found else None


def load(path: str | Path) -> Config:
    path = Path(path).resolve()
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"No config file at {path}; pass --config with the path of a YAML file (see the README).") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path} is not valid YAML{where}; fix the syntax there.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must be a YAML mapping with the keys warehouse, sources and optionally push and match.")
    unknown = set(raw) - {"warehouse", "sources", "push", "match"}
    if unknown:
        raise ConfigError(f"{path} has unknown top-level keys {', '.join(sorted(unknown))}; use warehouse, sources, push and match.")

    warehouse = raw.get("warehouse") or "warehouse.duckdb"
    if not isinstance(warehouse, str):
        raise ConfigError(f"warehouse in {path} must be the path of a DuckDB file, e.g. warehouse.duckdb.")
    sources = _connectors(raw.get("sources"), "sources", "source-", path, required=True)
    push = _connectors(raw.get("push"), "push", "destination-", path, required=False)
    return Config(path=path, warehouse=(path.parent / warehouse).resolve(), sources=sources, push=push,
                  match=_match(raw.get("match") or {}, path))


def _connectors(value: Any, key: str, prefix: str, path: Path, required: bool) -> dict[str, dict[str, Any]]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or (required and not value):
        raise ConfigError(f"{key} in {path} must map connector names ({prefix}...) to their config.")
    out: dict[str, dict[str, Any]] = {}
    for name, connector_config in value.items():
        if not str(name).startswith(prefix):
            raise ConfigError(f"{key}.{name} in {path} is not a connector name; name it {prefix}<supplier>.")
        if connector_executable(str(name)) is None:
            raise ConfigError(f"{key}.{name} in {path}: no connector {name} is installed here; install it (make setup) or remove the entry.")
        if not isinstance(connector_config, dict):
            raise ConfigError(f"{key}.{name} in {path} must be that connector's config (a mapping of its settings).")
        out[str(name)] = connector_config
    return out


def _match(value: Any, path: Path) -> Match:
    if not isinstance(value, dict):
        raise ConfigError(f"match in {path} must be a mapping with stock, preferred and price_markup.")
    stock = value.get("stock", "sum")
    if stock not in STOCK_MODES:
        raise ConfigError(f"match.stock in {path} must be one of {', '.join(STOCK_MODES)}, not {stock!r}.")
    preferred = value.get("preferred") or []
    if not isinstance(preferred, list) or not all(isinstance(p, str) for p in preferred):
        raise ConfigError(f"match.preferred in {path} must be a list of suppliers, e.g. [m3_wholesale, netxl].")
    markup = value.get("price_markup")
    if markup is not None and (not isinstance(markup, (int, float)) or markup <= 0):
        raise ConfigError(f"match.price_markup in {path} must be a positive number, e.g. 1.3.")
    return Match(stock=stock, preferred=tuple(supplier_name(p) for p in preferred),
                 price_markup=float(markup) if markup is not None else None)


def _collect_secrets(value: Any, found: set[str], key: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _collect_secrets(v, found, str(k))
    elif isinstance(value, list):
        for v in value:
            _collect_secrets(v, found, key)
    elif isinstance(value, str) and value and SECRET_KEY.search(key):
        found.add(value)


def mask(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "****")
    return text
