"""Date parsing shared by connectors: the formats suppliers send, turned into ISO 8601 with an offset."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

_NAIVE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)


def parse_datetime(value: Any, default_tz: str | timezone = timezone.utc) -> datetime | None:
    """Parse what suppliers send as a date: ISO 8601 (with or without offset, `Z`), `YYYY-MM-DD HH:MM:SS`,
    a date, or Unix seconds. Naive values are read in `default_tz`. Empty and zero dates
    (`0000-00-00 00:00:00`) are None."""
    if value is None or value == "":
        return None
    tz = ZoneInfo(default_tz) if isinstance(default_tz, str) else default_tz
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) > 8):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    text = str(value).strip()
    if text.startswith("0000-00-00"):
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in _NAIVE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValueError(f"unrecognised date {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def to_iso(value: datetime) -> str:
    """ISO 8601 with offset, seconds precision unless the value has microseconds."""
    if value.microsecond:
        return value.isoformat()
    return value.isoformat(timespec="seconds")


def php_datetime_to_iso(value: Any) -> Any:
    """A PHP DateTime object (`{"date": "2024-01-01 12:00:00.000000", "timezone_type": 3,
    "timezone": "Europe/Amsterdam"}`) as ISO 8601 with the offset in force at that instant.

    timezone_type 1 carries an offset (`+01:00`), 2 an abbreviation (`CET`), 3 an IANA name.
    Anything that is not such an object is returned unchanged."""
    if not isinstance(value, dict) or "date" not in value:
        return value
    tz_name = value.get("timezone") or "UTC"
    naive = datetime.strptime(value["date"][:26], "%Y-%m-%d %H:%M:%S.%f") if "." in value["date"] else datetime.strptime(value["date"], "%Y-%m-%d %H:%M:%S")
    return to_iso(naive.replace(tzinfo=_tzinfo(tz_name, value.get("timezone_type"))))


_ABBREVIATIONS = {"UTC": "UTC", "GMT": "UTC", "Z": "UTC", "CET": "+01:00", "CEST": "+02:00", "BST": "+01:00", "WET": "+00:00", "WEST": "+01:00", "EET": "+02:00", "EEST": "+03:00"}


def _tzinfo(name: str, tz_type: Any = None):
    name = _ABBREVIATIONS.get(name.upper(), name) if tz_type in (2, None) else name
    if name.upper() == "UTC":
        return timezone.utc
    if name[:1] in "+-":
        sign = 1 if name[0] == "+" else -1
        hours, _, minutes = name[1:].partition(":")
        from datetime import timedelta

        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))
    return ZoneInfo(name)
