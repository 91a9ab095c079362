"""DayByDay: one page per calendar day from the partition's first day to the last."""

from airbyte_cdk.sources.types import StreamSlice

from connector_common.components.day_by_day import DayByDay


def strategy():
    return DayByDay(config={}, parameters={}, last_day="2024-03-02",
                    first_day="{{ stream_interval.start_time if stream_partition.get('query') == 'days' else '' }}")


def walk(s, stream_slice):
    days, token = [], None
    while True:
        token = s.next_page_token(None, 0, None, token, stream_slice=stream_slice)
        if token is None:
            return days
        days.append(token)


def test_walks_the_days_after_the_first_up_to_the_last():
    days = StreamSlice(partition={"query": "days"}, cursor_slice={"start_time": "2024-02-27", "end_time": "2024-03-01"})
    assert walk(strategy(), days) == ["2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"]


def test_a_partition_without_a_first_day_is_one_request():
    status = StreamSlice(partition={"query": "status 2"}, cursor_slice={"start_time": "2024-02-27", "end_time": "2024-03-01"})
    assert walk(strategy(), status) == []


def test_with_a_step_partitions_starting_on_consecutive_days_walk_each_day_once():
    s = DayByDay(config={"walks": 3}, parameters={}, last_day="2024-03-02", step_days="{{ config.walks }}",
                 first_day="{{ stream_partition.first }}")
    walks = [["2024-02-2%d" % (4 + k)] + walk(s, StreamSlice(partition={"first": "2024-02-2%d" % (4 + k)}, cursor_slice={}))
             for k in range(3)]
    assert walks == [["2024-02-24", "2024-02-27", "2024-03-01"], ["2024-02-25", "2024-02-28", "2024-03-02"],
                     ["2024-02-26", "2024-02-29"]]
