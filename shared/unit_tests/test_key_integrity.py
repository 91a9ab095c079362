"""A key read twice in one sync: a newer version is a legitimate update (kept, not warned); the same
version again is warned once and counted."""

from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, Type

from connector_common.key_integrity import KeyIntegrity


def _record(data):
    return AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream="orders", data=data, emitted_at=0))


def _warnings(integrity, records):
    out = [m for r in records for m in integrity.observe(_record(r))] + list(integrity.summary())
    return [m.log.message for m in out if m.type == Type.LOG]


def test_a_newer_version_of_a_record_is_an_update_not_a_warning():
    integrity = KeyIntegrity({"orders": ["id"]}, {"orders": "updated_at"})
    assert _warnings(integrity, [{"id": 1, "updated_at": "2024-01-01T00:00:00Z"}, {"id": 1, "updated_at": "2024-01-02T00:00:00Z"}]) == []
    assert integrity.updates["orders"] == 1


def test_the_same_version_twice_is_warned_and_counted():
    integrity = KeyIntegrity({"orders": ["id"]}, {"orders": "updated_at"})
    warnings = _warnings(integrity, [{"id": 1, "updated_at": "2024-01-01T00:00:00Z"}] * 3)
    assert warnings[0].startswith("Stream orders: the key (id) = (1,) came twice")
    assert warnings[-1] == "Stream orders: 2 record(s) repeated a key already read in this sync without a newer version."


def test_a_stream_without_a_cursor_warns_on_any_repeat_and_composite_keys_are_read_whole():
    integrity = KeyIntegrity({"lines": [["order_id"], ["line"]]}, {})
    messages = [AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream="lines", data=d, emitted_at=0))
                for d in ({"order_id": 1, "line": 1}, {"order_id": 1, "line": 2}, {"order_id": 1, "line": 2}, {"order_id": None, "line": 3})]
    logs = [m.log.message for message in messages for m in integrity.observe(message) if m.type == Type.LOG]
    assert len(logs) == 2 and "came twice" in logs[0] and "null primary key (order_id, line)" in logs[1]
