"""OpenRecordsRouter / OpenRecordsObserver / OpenRecordsState: the set of open ids and its requests."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from airbyte_cdk.sources.declarative.partition_routers.list_partition_router import ListPartitionRouter

from connector_common.components.open_records import OpenRecordsObserver, OpenRecordsRouter, OpenRecordsState

FINAL = ["Complete", "Cancelled"]


def router(saved_state: dict | None = None, stream: str = "orders", **kwargs) -> OpenRecordsRouter:
    OpenRecordsState(declarative_stream=SimpleNamespace(name=stream), config={}).should_migrate(
        {"state": {"ordered_date": "2024-01-01"}, **({"parent_state": {"open_records": saved_state}} if saved_state else {})})
    return OpenRecordsRouter(config={}, parameters={"status_field": "order_status", "final_statuses": FINAL},
                             stream_name=stream, **kwargs)


def read(r: OpenRecordsRouter, pages: dict) -> dict[str, list]:
    """Run every partition through the observer; `pages` maps a partition key to the records it returns."""
    observer = OpenRecordsObserver(config={}, parameters={})
    out = {}
    for s in r.stream_slices():
        key = str(s.partition.get("open_ids", s.partition.get("query")))
        records = pages(s.partition) if s.partition else []  # the stream's own (empty) partition: nothing
        out[key] = list(observer.filter_records(records, stream_state={}, stream_slice=s))
    return out


def rec(i, status="Shipped"):
    return {"id": i, "order_status": status}


def test_no_saved_set_reads_only_the_streams_own_partitions_and_collects_open_ids():
    r = router(partitions=ListPartitionRouter(values=["created", "Shipped"], cursor_field="query", config={}, parameters={}))
    out = read(r, lambda p: [rec(1), rec(2, "Complete"), rec(3, "complete")] if p.get("query") == "created" else [rec(1)])
    assert list(out) == ["created", "Shipped"]
    assert out["Shipped"] == []  # id 1 already emitted: each id once per sync
    assert r.get_stream_state() == {"open_records": {"ids": [1]}}  # final statuses (any case) dropped


def test_saved_ids_are_read_alone_until_a_batch_proves_it_is_read_in_full():
    r = router({"ids": [5, 6, 7]}, ids_per_request=2)
    asked = [s.partition["open_ids"] for s in r.stream_slices() if s.partition]
    assert asked == [[5, 6], [5], [6], [7]]  # one probe batch, then every id alone
    r = router({"ids": [5, 6, 7]}, ids_per_request=2)
    read(r, lambda p: [rec(i, "Complete" if i == 6 else "Shipped") for i in p["open_ids"]])
    assert r.get_stream_state() == {"open_records": {"ids": [5, 7], "batches_read_in_full": True}}
    r = router({"ids": [5, 7, 8], "batches_read_in_full": True}, ids_per_request=2)
    assert [s.partition["open_ids"] for s in r.stream_slices() if s.partition] == [[5, 7], [8]]


@pytest.mark.parametrize("reading", ["first", "comma"])
def test_a_server_reading_only_the_first_id_never_loses_one(reading):
    r = router({"ids": [5, 6, 7]}, ids_per_request=3)
    read(r, lambda p: [rec(p["open_ids"][0], "Complete")])
    # every id was also asked for alone: all three seen final; no batch proof
    assert r.get_stream_state() == {"open_records": {"ids": []}}


def test_an_id_no_request_returns_is_dropped_but_not_after_an_unproven_batch():
    r = router({"ids": [5, 6]}, ids_per_request=1)
    read(r, lambda p: [rec(5)] if p["open_ids"] == [5] else [])
    assert r.get_stream_state() == {"open_records": {"ids": [5]}}  # 6 is gone (deleted)
    r = router({"ids": [5, 6]}, ids_per_request=2)
    r._id_requests = lambda: [[5, 6]]  # only the probe: its missing id is not proof of anything
    read(r, lambda p: [rec(5)])
    assert r.get_stream_state() == {"open_records": {"ids": [5, 6]}}


def test_the_set_is_bounded_by_the_open_records():
    r = router({"ids": list(range(1000))}, ids_per_request=1)
    read(r, lambda p: [rec(p["open_ids"][0], "Shipped" if p["open_ids"][0] < 10 else "Cancelled")])
    assert r.get_stream_state()["open_records"]["ids"] == list(range(10))


def test_router_without_its_state_migration_fails_with_a_sentence():
    with pytest.raises(ValueError, match="OpenRecordsState"):
        OpenRecordsRouter(config={}, parameters={"status_field": "s", "final_statuses": []}, stream_name="nowhere")


def test_pages_observed_from_many_threads_keep_a_consistent_set():
    from concurrent.futures import ThreadPoolExecutor

    r = router(ids_per_request=1)
    pages = [[rec(i, "Complete" if i % 3 == 0 else "Shipped") for i in range(k, k + 50)] for k in range(0, 5000, 50)]
    with ThreadPoolExecutor(8) as pool:
        emitted = [rec for page in pool.map(lambda p: list(r.observe({"query": "created"}, p + p[:5])), pages) for rec in page]
    assert sorted(e["id"] for e in emitted) == list(range(5000))  # each id once, however the pages interleave
    assert r.get_stream_state()["open_records"]["ids"] == [i for i in range(5000) if i % 3]


def test_a_derived_stream_keeps_its_owners_ids_and_emits_each_of_its_records_once():
    # order lines: the set holds order ids, each line is emitted once although its order is read twice
    r = router({"ids": [5]}, id_field="order_id", emit_key=["id"])
    r.status_field = "order_status"

    def lines(p):
        if p.get("open_ids") == [5]:
            return [{"id": 50, "order_id": 5, "order_status": "Shipped"}, {"id": 51, "order_id": 5, "order_status": "Shipped"}]
        return []

    observer = OpenRecordsObserver(config={}, parameters={})
    own, again = [s for s in r.stream_slices()]
    window = [{"id": 50, "order_id": 5, "order_status": "Shipped"}, {"id": 60, "order_id": 6, "order_status": "Complete"}]
    assert [x["id"] for x in observer.filter_records(window, stream_state={}, stream_slice=own)] == [50, 60]
    assert [x["id"] for x in observer.filter_records(lines(again.partition), stream_state={}, stream_slice=again)] == [51]
    assert r.get_stream_state() == {"open_records": {"ids": [5]}}


def test_final_statuses_may_come_from_the_config():
    OpenRecordsState(declarative_stream=SimpleNamespace(name="orders"), config={}).should_migrate({})
    template = "{{ config.get('final') or ['Completed'] }}"
    r = OpenRecordsRouter(config={"final": ["Closed", "Refunded"]}, parameters={"status_field": "s", "final_statuses": template}, stream_name="orders")
    assert r.final_statuses == ["Closed", "Refunded"]
    OpenRecordsState(declarative_stream=SimpleNamespace(name="orders"), config={}).should_migrate({})
    assert OpenRecordsRouter(config={}, parameters={"status_field": "s", "final_statuses": template}, stream_name="orders").final_statuses == ["Completed"]


def test_state_without_a_set_is_kept_or_restarted_as_asked():
    old = {"start_date": "2024-01-01T00:00:00"}
    keep = OpenRecordsState(declarative_stream=SimpleNamespace(name="orders"), config={})
    assert not keep.should_migrate(old)
    restart = OpenRecordsState(declarative_stream=SimpleNamespace(name="orders"), config={}, restart_without_open_set=True)
    assert restart.should_migrate(old) and restart.migrate(old) == {}
    assert not restart.should_migrate({"state": old, "parent_state": {"open_records": {"ids": []}}})
    assert not restart.should_migrate({})  # a first sync reads from the start anyway


def test_reread_unseen_only_asks_by_id_for_the_saved_ids_no_own_partition_returned():
    # an API listing records by open status: ids those reads return need no request of their own
    statuses = ListPartitionRouter(values=["Shipped", "New", "days"], cursor_field="query", config={}, parameters={})
    r = router({"ids": [1, 2, 3]}, partitions=statuses, reread_unseen_only=True)
    pages = {"Shipped": [rec(1)], "New": [rec(4, "New")], "days": []}
    out = read(r, lambda p: pages[p["query"]] if "query" in p else [rec(p["open_ids"][0], "Complete")])
    assert list(out) == ["Shipped", "New", "days", "[2]", "[3]"]  # 1 was returned by a status read
    assert r.get_stream_state() == {"open_records": {"ids": [1, 4]}}


def test_reread_unseen_only_waits_for_the_own_partitions_read_in_other_threads():
    import threading

    statuses = ListPartitionRouter(values=["Shipped", "days"], cursor_field="query", config={}, parameters={})
    r = router({"ids": [1, 2]}, partitions=statuses, reread_unseen_only=True)
    slices = r.stream_slices()
    shipped = next(slices)
    assert next(slices).partition == {"query": "days"}  # the last own partition is not waited for
    got = []
    waiting = threading.Thread(target=lambda: got.extend(s.partition["open_ids"] for s in slices))
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive() and not got  # the id partitions wait for the status read
    list(OpenRecordsObserver(config={}, parameters={}).filter_records([rec(1)], stream_state={}, stream_slice=shipped))
    waiting.join(5)
    assert got == [[2]]


def test_reread_unseen_only_gives_up_waiting_and_asks_for_every_id():
    statuses = ListPartitionRouter(values=["Shipped", "days"], cursor_field="query", config={}, parameters={})
    r = router({"ids": [1, 2]}, partitions=statuses, reread_unseen_only=True, wait_seconds=0.1)
    assert [s.partition.get("open_ids") for s in r.stream_slices()][2:] == [[1], [2]]  # nothing read: ask all


def test_final_condition_and_observer_condition():
    r = router(final_condition="{{ record.age > 180 }}")
    observer = OpenRecordsObserver(config={}, parameters={}, condition="{{ record.order_status == 'Shipped' }}")
    own = next(iter(r.stream_slices()))
    page = [{"id": 1, "order_status": "Shipped", "age": 10}, {"id": 2, "order_status": "Shipped", "age": 400},
            {"id": 3, "order_status": "New", "age": 1}]
    assert [x["id"] for x in observer.filter_records(page, stream_state={}, stream_slice=own)] == [1, 2]
    assert r.get_stream_state() == {"open_records": {"ids": [1, 3]}}  # 2 is final by its age; 3 seen, not emitted


def test_final_condition_statuses_render_the_condition_only_where_it_can_hold():
    rendered = []
    condition = "{{ record.order_status == 'Shipped' and record.age > 180 }}"
    page = [{"id": 1, "order_status": "Shipped", "age": 10}, {"id": 2, "order_status": "Shipped", "age": 400},
            {"id": 3, "order_status": "New", "age": 500}, {"id": 4, "order_status": "Paid", "age": 1}]
    states = []
    for statuses in ([], ["shipped"]):
        r = router(final_condition=condition, final_condition_statuses=statuses)
        real = r._final_condition.eval
        r._final_condition.eval = lambda config, **kw: rendered.append(kw["record"]["id"]) or real(config, **kw)
        list(OpenRecordsObserver(config={}, parameters={}).filter_records(page, stream_state={}, stream_slice=next(iter(r.stream_slices()))))
        states.append(r.get_stream_state())
    assert states[0] == states[1] == {"open_records": {"ids": [1, 3, 4]}}
    assert rendered == [1, 2, 3, 4, 1, 2]


def test_reread_unseen_only_stops_waiting_when_a_request_failed_for_good():
    import threading
    import time

    from connector_common.components import retries

    statuses = ListPartitionRouter(values=["Shipped", "days"], cursor_field="query", config={}, parameters={})
    r = router({"ids": [1]}, partitions=statuses, reread_unseen_only=True, wait_seconds=30)
    threading.Timer(0.2, retries._give_up).start()  # the status read failed: the sync has failed
    began = time.monotonic()
    assert [s.partition.get("open_ids") for s in r.stream_slices()][2:] == [[1]]
    assert time.monotonic() - began < 5


SINCE_TEMPLATE = ("{{ not record.submitted_at or format_datetime(str_to_datetime(record.submitted_at), '%Y-%m-%d')"
                  " >= format_datetime(config.get('start_date') or '2024-01-01', '%Y-%m-%d') }}")


@pytest.mark.parametrize("start_date", ["2024-01-01", "2024-01-01T00:00:00Z", "2023-12-31T23:00:00-02:00", None])
def test_since_keeps_what_the_template_keeps(start_date):
    """`since_field`/`since` decide as the template they replace, on the same values."""
    values = [None, "", "2024-01-01", "2023-12-31", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59.999Z",
              "2023-12-31T23:30:00-02:00", "2024-01-01T00:30:00+01:00", "2024-01-01T00:30:00.000", "2025-06-30T10:00:00+02:00"]
    records = [{"id": i, "submitted_at": v} for i, v in enumerate(values)] + [{"id": 99}]
    config = {"start_date": start_date} if start_date else {}
    by_template = OpenRecordsObserver(config=config, parameters={}, condition=SINCE_TEMPLATE)
    by_since = OpenRecordsObserver(config=config, parameters={}, since_field="submitted_at",
                                   since="{{ format_datetime(config.get('start_date') or '2024-01-01', '%Y-%m-%d') }}")
    kept = [[r["id"] for r in o.filter_records(copy.deepcopy(records), stream_state={})] for o in (by_template, by_since)]
    assert kept[0] == kept[1]
    assert 0 < len(kept[0]) < len(records)


def test_a_page_is_observed_record_by_record_never_held_whole():
    """An unpaged answer can be every order in a status: each record passes on as it is observed,
    and the page's own bookkeeping (proof of batches, ids asked for and not returned) follows its end."""
    r = router({"ids": [5, 6]}, ids_per_request=2)
    batch = next(s for s in r.stream_slices() if s.partition.get("open_ids") == [5, 6])
    pulled = []

    def page():
        for i in (5, 6):
            pulled.append(i)
            yield rec(i)

    out = OpenRecordsObserver(config={}, parameters={}).filter_records(page(), stream_state={}, stream_slice=batch)
    assert next(out) == rec(5) and pulled == [5]  # passed on before the rest of the page was read
    assert list(out) == [rec(6)] and pulled == [5, 6]
    assert r.get_stream_state() == {"open_records": {"ids": [5, 6], "batches_read_in_full": True}}
