"""`cdk_fast_paths`: what the CDK gives, faster (the parsed datetimes, the formatted strings, the
serializers' output), and installed where every connector process gets it."""

from __future__ import annotations

import datetime
import itertools
import json
import subprocess
import sys

import pytest
from airbyte_cdk.sources.declarative.datetime.datetime_parser import DatetimeParser
from connector_common import cdk_fast_paths, entrypoint  # noqa: F401 (the entry point installs the datetime path)

CDK_PARSE = DatetimeParser.parse.__wrapped__
CDK_FORMAT = DatetimeParser.format.__wrapped__

FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%d %H:%M",
           "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%S.%f%z", "%d.%m.%Y", "%Y%m%d",
           "%Y-%m-%dT%H:%M:%S+00:00", "%s", "%ms", "%Y-%m-%dT%H:%M:%S.%_msZ", "%b %d %Y", "%Y-%m", "{%Y}-%m-%d"]
VALUES = ["2024-05-06T10:11:12", "2024-05-06T10:11:12+0200", "2024-05-06T10:11:12-05:30", "2024-05-06T10:11:12Z",
          "2024-05-06T10:11:12+00:00", "2024-05-06T10:11:12-00:00", "2024-05-06 10:11:12", "2024-05-06", "2024-05-06 10:11",
          "2024-05-06T10:11:12.5Z", "2024-05-06T10:11:12.123456Z", "2024-05-06T10:11:12.1234567Z", "2024-05-06T10:11:12.250+01:00",
          "06.05.2024", "20240506", "1715000000", "2024-5-6T1:2:3", "2024-05-06t10:11:12", " 2024-05-06", "2024-05-06 ",
          "2024-13-01T00:00:00", "2024-02-30", "2024-00-10", "2024-01-00", "0000-01-01", "0999-01-01", "2024-01-01T24:00:00",
          "2024-01-01T23:60:00", "2024-01-01T23:59:60", "2024-01-01T23:59:61", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+05:60",
          "2024-01-01T10:00:00+01:00:30", "2024-01-01T10:00:00+0100", "", "2024-05", "{2024}-05-06", "May 06 2024", "٢٠٢٤-05-06"]


def outcome(fn, *args):
    try:
        value = fn(*args)
    except ValueError:
        return ValueError
    return (value, value.tzinfo, value.utcoffset()) if isinstance(value, datetime.datetime) else value


@pytest.mark.parametrize("fmt", FORMATS)
def test_parse_is_the_cdks(fmt):
    parser = DatetimeParser()
    fast = [outcome(parser.parse, value, fmt) for value in VALUES]
    cdk = [outcome(CDK_PARSE, parser, value, fmt) for value in VALUES]
    assert fast == cdk
    assert any(result is not ValueError for result in cdk) or fmt in ("%b %d %Y",)


def test_parse_fast_path_is_taken_and_falls_back(monkeypatch):
    """A value of the format's exact shape never reaches strptime; any other value does."""
    import _strptime

    calls = []
    real = _strptime._strptime_datetime
    monkeypatch.setattr(_strptime, "_strptime_datetime", lambda cls, value, fmt: calls.append(value) or real(cls, value, fmt))
    parser = DatetimeParser()
    assert parser.parse("2024-05-06T10:11:12", "%Y-%m-%dT%H:%M:%S") == datetime.datetime(2024, 5, 6, 10, 11, 12, tzinfo=datetime.timezone.utc)
    assert calls == []
    assert parser.parse("2024-5-6T10:11:12", "%Y-%m-%dT%H:%M:%S") == datetime.datetime(2024, 5, 6, 10, 11, 12, tzinfo=datetime.timezone.utc)
    assert calls == ["2024-5-6T10:11:12"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_is_the_cdks(fmt):
    parser = DatetimeParser()
    zones = [datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=-5, minutes=-30)), None]
    moments = [datetime.datetime(*args, tzinfo=tz) for args, tz in itertools.product(
        [(2024, 5, 6, 10, 11, 12, 250000), (1999, 12, 31, 23, 59, 59, 999999), (2024, 1, 1), (1000, 1, 1), (999, 3, 4, 5, 6, 7), (1, 1, 1)], zones)]
    for moment in moments:
        if fmt in ("%s", "%ms") and moment.year < 1970:
            continue
        assert parser.format(moment, fmt) == CDK_FORMAT(parser, moment, fmt), (moment, fmt)


def test_installed_once_for_every_connector_process():
    """Importing the entry point installs the datetime path once; importing the package skips the
    serializer docs before airbyte_cdk is imported, and the serializers write the same messages."""
    from connector_common import entrypoint  # noqa: F401

    assert DatetimeParser.parse.__wrapped__ is CDK_PARSE and not hasattr(CDK_PARSE, "__wrapped__")
    cdk_fast_paths.install_datetime_fast_path()
    assert not hasattr(DatetimeParser.parse.__wrapped__, "__wrapped__")
    probe = (
        "import sys, json\n"
        "if sys.argv[1] == 'ours': import connector_common\n"
        "import attributes_doc, serpyco_rs._utils as u\n"
        "from airbyte_cdk.models import AirbyteMessageSerializer, AirbyteMessage, Type, AirbyteRecordMessage, AirbyteStateMessage, "
        "AirbyteStateType, AirbyteStreamState, StreamDescriptor, AirbyteStateBlob\n"
        "messages = [AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream='s', data={'a': 1, 'b': None}, emitted_at=1)),\n"
        "  AirbyteMessage(type=Type.STATE, state=AirbyteStateMessage(type=AirbyteStateType.STREAM, stream=AirbyteStreamState(\n"
        "    stream_descriptor=StreamDescriptor(name='s'), stream_state=AirbyteStateBlob({'updated_at': '2024-01-01'}))))]\n"
        "dumped = [AirbyteMessageSerializer.dump(m) for m in messages]\n"
        "assert [AirbyteMessageSerializer.dump(AirbyteMessageSerializer.load(d)) for d in dumped] == dumped\n"
        "print(json.dumps({'messages': dumped, 'docs_read': u.get_attributes_doc.cache_info().currsize}))\n"
    )
    runs = {way: json.loads(subprocess.run([sys.executable, "-c", probe, way], check=True, capture_output=True, text=True).stdout)
            for way in ("ours", "cdk")}
    assert runs["ours"]["messages"] == runs["cdk"]["messages"]
    assert runs["cdk"]["docs_read"] > 0 and runs["ours"]["docs_read"] == 0
