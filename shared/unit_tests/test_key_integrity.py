"""A key read twice in one sync: on a stream declared `update` it passes without a word; on a `logged`
one (the default) it is warned once with the stream and the key, and counted in one summary line."""

from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, Type

from connector_common.key_integrity import KeyIntegrity, declarations


def _record(data, stream="orders"):
    return AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream=stream, data=data, emitted_at=0))


def _warnings(integrity, records, stream="orders"):
    out = [m for r in records for m in integrity.observe(_record(r, stream))] + list(integrity.summary())
    return [m.log.message for m in out if m.type == Type.LOG]


def test_the_declaration_is_read_from_the_streams_and_defaults_to_logged():
    assert declarations([{"name": "a", "same_key_twice": "update"}, {"name": "b", "same_key_twice": "logged"}, {"name": "c"}]) == {
        "a": "update", "b": "logged", "c": "logged"}


def test_a_repeat_on_an_update_stream_is_passed_on_without_a_warning():
    integrity = KeyIntegrity({"orders": ["id"]}, {"orders": "update"})
    assert _warnings(integrity, [{"id": 1, "status": "New"}, {"id": 1, "status": "New"}]) == []


def test_a_repeat_on_a_logged_stream_is_warned_with_stream_and_key_and_counted_once_at_the_end():
    integrity = KeyIntegrity({"orders": ["id"]}, {"orders": "logged"})
    warnings = _warnings(integrity, [{"id": 1, "email": "a@example.com"}] * 3)
    assert len(warnings) == 2
    assert warnings[0].startswith("Stream orders: the key (id) = (1) came twice in this sync")
    assert warnings[1] == "Key integrity: stream orders: 2 record(s) repeating a key (id) read earlier in this sync."
    assert "a@example.com" not in " ".join(warnings)  # the key, never the record


def test_null_keys_are_warned_on_every_stream_and_composite_keys_are_read_whole():
    integrity = KeyIntegrity({"lines": [["order_id"], ["line"]], "orders": ["id"]}, {"orders": "update"})
    messages = [_record(d, "lines") for d in ({"order_id": 1, "line": 1}, {"order_id": 1, "line": 2}, {"order_id": 1, "line": 2},
                                              {"order_id": None, "line": 3})] + [_record({"id": None}), _record({"id": None})]
    logs = [m.log.message for message in messages for m in integrity.observe(message) if m.type == Type.LOG]
    logs += [m.log.message for m in integrity.summary()]
    assert len(logs) == 4 and "came twice" in logs[0] and "null primary key (order_id, line)" in logs[1]
    assert "Stream orders: a record has a null primary key (id)" in logs[2]
    assert logs[3] == ("Key integrity: stream lines: 1 record(s) with a null primary key (order_id, line); stream orders: 2 record(s) "
                       "with a null primary key (id); stream lines: 1 record(s) repeating a key (order_id, line) read earlier in this sync.")
