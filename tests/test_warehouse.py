"""A sandbox supplier synced into DuckDB through PyAirbyte holds every record the sandbox has."""

import duckdb

from connector_testing import SOURCES, running_sandbox
from connector_testing.warehouse import sync_to_duckdb


def test_rec_plus_lands_in_duckdb_complete(tmp_path):
    connector = SOURCES["rec_plus"]
    db = tmp_path / "warehouse.duckdb"
    with running_sandbox(connector.sandbox) as server:
        counts = sync_to_duckdb(connector.script, connector.config(server.url), db, schema="rec_plus")
        expected = server.api.counts()
    assert counts == {stream: expected[stream] for stream in counts}
    assert set(counts) == set(expected)
    with duckdb.connect(str(db)) as con:
        orders = con.execute("select count(*), count(distinct id) from rec_plus.orders").fetchone()
        lines = con.execute("select count(*) from rec_plus.order_lines l join rec_plus.orders o on o.id = l.order_id").fetchone()
    assert orders == (expected["orders"], expected["orders"])
    assert lines == (expected["order_lines"],)
