"""The dbt project on a second adapter: dbt-postgres over the same raw streams, same unified rows.

The raw tables the loop wrote to DuckDB are copied into a Postgres server started for the test
(JSON columns as jsonb, as an Airbyte Postgres destination or PyAirbyte's Postgres cache keep
them), then the project runs there through dbtRunner as the loop runs it on DuckDB.
"""

from __future__ import annotations

import duckdb
import psycopg2
import pytest

from connector_testing.postgres import running_postgres, why_not
from supplier_sync.transform import dbt_vars, outcome, run_dbt, write_profile
from supplier_sync.config import Config, Match

# one loop of two runs (conftest.py) takes minutes on a loaded two-core machine: above the suite default
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
PG_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "bigint", "BOOLEAN": "boolean", "DOUBLE": "double precision",
            "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz", "JSON": "jsonb", "DATE": "date"}
RAW = {"netxl": ["products", "addresses"], "rec_plus": ["products", "stock", "orders", "order_lines", "addresses"],
       "vidaxl": ["orders", "order_products", "shipments", "addresses"], "yodify": ["orders", "order_items", "shipments", "skus", "carriers"],
       "m3_wholesale": ["products", "stock", "orders", "order_products", "shipments", "addresses"]}
UNIFIED = ["products", "stock", "orders", "order_lines", "shipments", "addresses"]


def copy_raw(warehouse: str, target: dict) -> None:
    with duckdb.connect(warehouse, read_only=True) as src, psycopg2.connect(
            host=target["host"], port=target["port"], user=target["user"], dbname=target["dbname"]) as pg, pg.cursor() as cur:
        for schema, tables in RAW.items():
            cur.execute(f'create schema if not exists "{schema}"')
            for table in tables:
                columns = src.execute("select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? "
                                      "order by ordinal_position", [schema, table]).fetchall()
                types = [PG_TYPES.get(t, "numeric" if t.startswith("DECIMAL") else "text") for _, t in columns]
                cur.execute(f'create table "{schema}"."{table}" ({", ".join(f"{chr(34)}{c}{chr(34)} {t}" for (c, _), t in zip(columns, types))})')
                rows = src.execute(f'select * from "{schema}"."{table}"').fetchall()
                placeholders = ", ".join(f"%s::{t}" for t in types)
                cur.executemany(f'insert into "{schema}"."{table}" values ({placeholders})', rows)


def test_project_builds_on_postgres_with_the_same_rows(loop, tmp_path):
    reason = why_not()
    if reason:
        pytest.skip(reason)
    with running_postgres() as target:
        copy_raw(loop["warehouse"], target)
        cfg = Config(path=tmp_path / "c.yml", warehouse=tmp_path / "unused.duckdb", sources={}, push={"destination-yodify": {}},
                     match=Match(stock="sum", preferred=("m3_wholesale", "netxl", "rec_plus"), price_markup=1.3))
        variables = {**dbt_vars(cfg, list(RAW)), "push": True}
        result = outcome(run_dbt("build", write_profile(tmp_path / "profiles", target), tmp_path / "dbt", variables))
        assert result.ok, result.problems
        assert result.push_ready
        with psycopg2.connect(host=target["host"], port=target["port"], user=target["user"], dbname=target["dbname"]) as pg, pg.cursor() as cur:
            on_postgres = {}
            for model in UNIFIED:
                cur.execute(f"select source, count(*) from unified.{model} group by source")
                on_postgres[model] = dict(cur.fetchall())
            cur.execute("select sku_identifier from yodify_push.sku_inventory order by 1")
            pg_inventory = [r[0] for r in cur.fetchall()]
    with duckdb.connect(loop["warehouse"], read_only=True) as con:
        on_duckdb = {model: dict(con.execute(f"select source, count(*) from unified.{model} group by source").fetchall()) for model in UNIFIED}
        duck_inventory = [r[0] for r in con.execute("select sku_identifier from yodify_push.sku_inventory order by 1").fetchall()]
    assert on_postgres == on_duckdb
    assert pg_inventory == duck_inventory
