"""Date parsing shared by connectors: the formats suppliers send, turned into ISO 8601 with an offset.

Wall times in a named zone are resolved the way PHP resolves them (PHP backends are where most of
these values come from), which is also the rule for every other naive value read in a named zone:

- a wall time that does not exist (the spring gap, e.g. Europe/Amsterdam 2024-03-31 02:30) is moved
  forward by the length of the gap: 03:30+02:00, the same instant as 02:30+01:00;
- a wall time that happens twice (the repeated autumn hour, e.g. Europe/Amsterdam 2024-10-27 02:30)
  is the first occurrence, summer time: 02:30+02:00. The second occurrence (02:30+01:00) cannot be
  told apart from a wall time and a zone name alone; PHP's own JSON for such an instant is identical.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_NAIVE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})?$")
# PHP's timezone_type 2 (abbreviations) in common use by European suppliers; each is a fixed offset.
_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 60, "CET": 60, "MET": 60,
    "CEST": 120, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}


def resolve_zone(name: str, tz_type: Any = None) -> tzinfo:
    """A tzinfo for PHP's `timezone` value: an offset (`+01:00`, type 1), an abbreviation (`CEST`,
    type 2) or an IANA name (`Europe/Amsterdam`, type 3). Raises ValueError on anything unknown."""
    text = str(name).strip()
    if not text:
        raise ValueError("empty time zone")
    match = _OFFSET.match(text)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(-delta if sign == "-" else delta)
    if text.upper() in _ABBREVIATIONS and (tz_type in (1, 2, None) or text.upper() in ("UTC", "GMT", "Z")):
        return timezone(timedelta(minutes=_ABBREVIATIONS[text.upper()]))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """A naive wall time in `zone` as an aware datetime, gap and fold resolved as PHP does (see module doc)."""
    aware = naive.replace(tzinfo=zone, fold=0)
    if isinstance(zone, ZoneInfo):
        # the round trip through UTC moves a wall time in the gap forward; fold=0 picks the first of two
        aware = aware.astimezone(timezone.utc).astimezone(zone)
    return aware


def parse_datetime(value: Any, default_tz: str | tzinfo = timezone.utc) -> datetime | None:
    """Parse what suppliers send as a date: ISO 8601 (with or without offset, `Z`), `YYYY-MM-DD HH:MM:SS`,
    a date, Unix seconds, or a PHP DateTime object. Naive values are read in `default_tz`. Empty and
    zero dates (`0000-00-00 00:00:00`) are None."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return parse_php_datetime(value)
    tz = resolve_zone(default_tz) if isinstance(default_tz, str) else default_tz
    if isinstance(value, bool):
        raise ValueError(f"unrecognised date {value!r}")
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) > 8):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    text = str(value).strip()
    if text.startswith("0000-00-00"):
        return None
    if text.endswith(("Z", "z")):
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
            raise ValueError(f"unrecognised date {value!r}") from None
    if parsed.tzinfo is None:
        parsed = localize(parsed, tz)
    return parsed


def to_iso(value: datetime) -> str:
    """ISO 8601 with offset, seconds precision unless the value has microseconds."""
    if value.microsecond:
        return value.isoformat()
    return value.isoformat(timespec="seconds")


def is_php_datetime(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("date"), str) and "timezone" in value


def parse_php_datetime(value: dict[str, Any]) -> datetime | None:
    """A PHP DateTime object (`{"date": "2024-01-01 12:00:00.000000", "timezone_type": 3,
    "timezone": "Europe/Amsterdam"}`) as an aware datetime in its own zone. A zero date is None."""
    text = str(value.get("date") or "").strip()
    if not text or text.startswith("0000-00-00") or text.startswith("-0001-11-30"):
        return None
    naive = None
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            naive = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if naive is None:
        raise ValueError(f"unrecognised PHP DateTime date {text!r}")
    zone = resolve_zone(value.get("timezone") or "UTC", value.get("timezone_type"))
    return localize(naive, zone)


def php_datetime_to_iso(value: Any) -> Any:
    """A PHP DateTime object as ISO 8601 with the offset in force at that instant in its zone,
    e.g. `2024-07-01T12:00:00+02:00`. None stays None; anything else that is not such an object is
    returned unchanged (a string the API already sends as ISO passes through)."""
    if not is_php_datetime(value):
        return value
    parsed = parse_php_datetime(value)
    return None if parsed is None else to_iso(parsed)
