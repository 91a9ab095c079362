"""connector_common.dates: PHP DateTime objects and naive wall times, including both DST edges."""

from datetime import datetime, timedelta, timezone

import pytest

from connector_common.dates import parse_datetime, parse_php_datetime, php_datetime_to_iso, resolve_zone, to_iso


def php(date, zone="Europe/Amsterdam", tz_type=3):
    return {"date": date, "timezone_type": tz_type, "timezone": zone}


@pytest.mark.parametrize(
    "value, expected",
    [
        (php("2024-01-01 12:00:00.000000"), "2024-01-01T12:00:00+01:00"),  # winter, CET
        (php("2024-07-01 12:00:00.000000"), "2024-07-01T12:00:00+02:00"),  # summer, CEST
        (php("2025-12-31 00:00:00.000000", "UTC"), "2025-12-31T00:00:00+00:00"),
        (php("2024-07-01 12:00:00.250000"), "2024-07-01T12:00:00.250000+02:00"),
        (php("2024-07-01 12:00:00"), "2024-07-01T12:00:00+02:00"),  # no microseconds
        (php("2024-07-01 12:00:00.000000", "+05:30", 1), "2024-07-01T12:00:00+05:30"),
        (php("2024-07-01 12:00:00.000000", "-03:00", 1), "2024-07-01T12:00:00-03:00"),
        (php("2024-07-01 12:00:00.000000", "CEST", 2), "2024-07-01T12:00:00+02:00"),
        (php("2024-01-01 12:00:00.000000", "CET", 2), "2024-01-01T12:00:00+01:00"),
        (php("2024-07-01 08:00:00.000000", "America/New_York"), "2024-07-01T08:00:00-04:00"),
    ],
)
def test_php_datetime_to_iso(value, expected):
    assert php_datetime_to_iso(value) == expected


def test_spring_gap_moves_forward_like_php():
    # 2024-03-31 02:30 does not exist in Amsterdam (02:00 CET -> 03:00 CEST): PHP reads it as 03:30 CEST
    assert php_datetime_to_iso(php("2024-03-31 02:30:00.000000")) == "2024-03-31T03:30:00+02:00"
    assert parse_php_datetime(php("2024-03-31 02:30:00.000000")) == datetime(2024, 3, 31, 1, 30, tzinfo=timezone.utc)
    # the edges of the gap
    assert php_datetime_to_iso(php("2024-03-31 01:59:59.000000")) == "2024-03-31T01:59:59+01:00"
    assert php_datetime_to_iso(php("2024-03-31 03:00:00.000000")) == "2024-03-31T03:00:00+02:00"


def test_autumn_repeated_hour_is_the_first_occurrence():
    # 2024-10-27 02:30 happens twice in Amsterdam (03:00 CEST -> 02:00 CET); PHP and we take CEST
    assert php_datetime_to_iso(php("2024-10-27 02:30:00.000000")) == "2024-10-27T02:30:00+02:00"
    assert php_datetime_to_iso(php("2024-10-27 01:59:59.000000")) == "2024-10-27T01:59:59+02:00"
    assert php_datetime_to_iso(php("2024-10-27 03:00:00.000000")) == "2024-10-27T03:00:00+01:00"


@pytest.mark.parametrize("minutes", range(0, 24 * 60, 15))
def test_round_trip_every_quarter_hour_across_both_dst_changes(minutes):
    """An instant rendered as PHP does (wall time in the zone) reads back as the same instant, except
    the second pass through the repeated hour, which reads back one hour early (the documented choice)."""
    from zoneinfo import ZoneInfo

    ams = ZoneInfo("Europe/Amsterdam")
    for day in (datetime(2024, 3, 30, 23, tzinfo=timezone.utc), datetime(2024, 10, 26, 22, tzinfo=timezone.utc)):
        instant = day + timedelta(minutes=minutes)
        local = instant.astimezone(ams)
        back = parse_datetime(php_datetime_to_iso(php(local.strftime("%Y-%m-%d %H:%M:%S.%f"))))
        if local.fold:  # the second 02:xx of 27 October: indistinguishable from the first
            assert back == instant - timedelta(hours=1)
        else:
            assert back == instant


def test_non_php_values_pass_through_and_zero_dates_are_null():
    assert php_datetime_to_iso("2024-01-01T00:00:00Z") == "2024-01-01T00:00:00Z"
    assert php_datetime_to_iso(None) is None
    assert php_datetime_to_iso({"foo": 1}) == {"foo": 1}
    assert php_datetime_to_iso(php("0000-00-00 00:00:00.000000")) is None
    assert php_datetime_to_iso(php("-0001-11-30 00:00:00.000000")) is None


def test_bad_zone_and_bad_date_raise():
    with pytest.raises(ValueError, match="unknown time zone"):
        php_datetime_to_iso(php("2024-01-01 00:00:00.000000", "Mars/Olympus"))
    with pytest.raises(ValueError, match="unrecognised"):
        php_datetime_to_iso(php("01/02/2024"))
    with pytest.raises(ValueError):
        resolve_zone("")


def test_parse_datetime_forms():
    utc = timezone.utc
    assert parse_datetime("2024-01-01T10:00:00Z") == datetime(2024, 1, 1, 10, tzinfo=utc)
    assert parse_datetime("2024-01-01 10:00:00") == datetime(2024, 1, 1, 10, tzinfo=utc)
    assert parse_datetime("2025-01-01 00:00") == datetime(2025, 1, 1, tzinfo=utc)
    assert parse_datetime("2024-01-01") == datetime(2024, 1, 1, tzinfo=utc)
    assert parse_datetime(1704103200) == datetime(2024, 1, 1, 10, tzinfo=utc)
    assert parse_datetime("") is None and parse_datetime(None) is None
    assert parse_datetime("0000-00-00 00:00:00") is None
    assert parse_datetime(php("2024-07-01 12:00:00.000000")) == datetime(2024, 7, 1, 10, tzinfo=utc)
    # naive values in a named zone follow the same gap/fold rule
    assert to_iso(parse_datetime("2024-03-31 02:30:00", "Europe/Amsterdam")) == "2024-03-31T03:30:00+02:00"
    assert to_iso(parse_datetime("2024-10-27 02:30:00", "Europe/Amsterdam")) == "2024-10-27T02:30:00+02:00"
    with pytest.raises(ValueError):
        parse_datetime("next tuesday")
