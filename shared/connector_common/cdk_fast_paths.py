"""Exact fast paths for two costs of the CDK's own machinery, installed once per process.

Both were measured (bench/RESULTS.md, "CDK fast paths"); each gives exactly what the CDK gives.

- Start-up: serpyco-rs builds the CDK's protocol serializers at import, and for every dataclass
  reads its source with `inspect` and parses it with `ast` to collect attribute docstrings, which
  only go into `Serializer.get_json_schema()` descriptions. Nothing in the CDK asks for those
  schemas; skipping the docs saves about 0.9 s of CPU in every connector process (40% of `import
  airbyte_cdk`). This must run before `airbyte_cdk` is imported, hence in the package's
  `__init__`, which every console script imports first.
- Per record: the CDK's cursors parse every record's cursor value with `datetime.strptime` and
  format it again with `strftime` (`DatetimeParser`), about 11 us per record, a quarter of a paged
  read's CPU. For the fixed-width formats the manifests use (%Y %m %d %H %M %S %f %z and literal
  characters), a value of exactly that shape is read with one compiled regex; any other value or
  format goes to the CDK's own code, so a value strptime refuses is still refused.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any, Callable, Optional

# strptime's defaults for fields a format does not name
_DEFAULTS = {"Y": 1900, "m": 1, "d": 1, "H": 0, "M": 0, "S": 0, "f": 0}
_PATTERNS = {"Y": r"(\d{4})", "m": r"(\d\d)", "d": r"(\d\d)", "H": r"(\d\d)", "M": r"(\d\d)", "S": r"(\d\d)",
             "f": r"(\d{1,6})", "z": r"(Z|[+-]\d\d:?[0-5]\d)"}
_FIELDS = {"Y": "year:04d", "m": "month:02d", "d": "day:02d", "H": "hour:02d", "M": "minute:02d", "S": "second:02d",
           "f": "microsecond:06d"}
_UTC = datetime.timezone.utc


def skip_serializer_docs() -> None:
    """serpyco-rs: no attribute docstrings for the JSON schemas nobody reads (see above)."""
    try:
        import serpyco_rs._describe as describe
        import serpyco_rs._json_schema._convert as convert
    except ImportError:  # another serpyco-rs layout: the CDK's own (slower) start-up
        return
    if hasattr(describe, "get_attributes_doc") and hasattr(convert, "get_attributes_doc"):
        describe.get_attributes_doc = convert.get_attributes_doc = _no_docs


def _no_docs(_cls: Any) -> dict[str, str]:
    return {}


def _directives(fmt: str) -> Optional[list[tuple[str, str]]]:
    """The format as (kind, text) pieces, kind a directive letter or "" for a literal; None if it
    uses anything else (or a directive twice), which the CDK's own code then handles."""
    pieces: list[tuple[str, str]] = []
    seen = set()
    i = 0
    while i < len(fmt):
        if fmt[i] != "%":
            pieces.append(("", fmt[i]))
            i += 1
            continue
        letter = fmt[i + 1: i + 2]
        if letter not in _PATTERNS or letter in seen:
            return None
        seen.add(letter)
        pieces.append((letter, ""))
        i += 2
    return pieces if {"Y", "m", "d"} <= seen else None


_ISO_PREFIX = ("Y", "m", "d", "H", "M", "S")
# formats whose text is a prefix of `isoformat` (C code): the separator, and how much of it
_ISO_WRITERS = {"%Y-%m-%dT%H:%M:%S": ("T", 19), "%Y-%m-%d %H:%M:%S": (" ", 19), "%Y-%m-%d": ("T", 10),
                "%Y-%m-%dT%H:%M": ("T", 16), "%Y-%m-%d %H:%M": (" ", 16)}


@functools.lru_cache(maxsize=128)
def _reader(fmt: str) -> Optional[tuple[re.Pattern[str], Callable[[re.Match[str]], datetime.datetime]]]:
    pieces = _directives(fmt)
    if pieces is None:
        return None
    regex = "".join(_PATTERNS[kind] if kind else re.escape(text) for kind, text in pieces)
    kinds = tuple(kind for kind, _ in pieces if kind)
    if kinds == _ISO_PREFIX[:len(kinds)]:  # year first, in order, no fraction or offset: the common case
        return re.compile(regex), lambda match: datetime.datetime(*map(int, match.groups()), tzinfo=_UTC)
    return re.compile(regex), functools.partial(_read, kinds=kinds)


@functools.lru_cache(maxsize=128)
def _writer(fmt: str) -> Optional[Callable[[datetime.datetime], str]]:
    if fmt in _ISO_WRITERS:
        sep, length = _ISO_WRITERS[fmt]
        return lambda dt: dt.isoformat(sep, "seconds")[:length]
    pieces = _directives(fmt)
    if pieces is None or any(kind == "z" for kind, _ in pieces):
        return None
    template = "".join("{0.%s}" % _FIELDS[kind] if kind else text.replace("{", "{{").replace("}", "}}") for kind, text in pieces)
    return template.format


def _read(match: re.Match[str], kinds: tuple[str, ...]) -> datetime.datetime:
    values = dict(_DEFAULTS)
    tz: datetime.tzinfo = _UTC  # the CDK's parser makes a naive result UTC
    for kind, text in zip(kinds, match.groups()):
        if kind == "z":
            if text != "Z":
                sign = -1 if text[0] == "-" else 1
                offset = datetime.timedelta(hours=int(text[1:3]), minutes=int(text[-2:]))
                tz = datetime.timezone(sign * offset)
        elif kind == "f":
            values["f"] = int(text.ljust(6, "0"))
        else:
            values[kind] = int(text)
    return datetime.datetime(values["Y"], values["m"], values["d"], values["H"], values["M"], values["S"], values["f"], tzinfo=tz)


def fast_datetime_parser(parse: Callable[..., datetime.datetime], format_: Callable[..., str]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """`DatetimeParser.parse` and `.format` with the fixed-width fast path in front of the given ones."""

    def fast_parse(self: Any, date: Any, format: str) -> datetime.datetime:  # noqa: A002 (the CDK's name)
        if isinstance(date, str):
            reader = _reader(format)
            if reader is not None:
                match = reader[0].fullmatch(date)
                if match is not None:
                    return reader[1](match)
        return parse(self, date, format)

    def fast_format(self: Any, dt: datetime.datetime, format: str) -> str:  # noqa: A002
        writer = _writer(format)
        if writer is not None and dt.year >= 1000:  # strftime does not pad years below 1000
            return writer(dt)
        return format_(self, dt, format)

    fast_parse.__wrapped__ = parse  # type: ignore[attr-defined]
    fast_format.__wrapped__ = format_  # type: ignore[attr-defined]
    return fast_parse, fast_format


def install_datetime_fast_path() -> None:
    from airbyte_cdk.sources.declarative.datetime.datetime_parser import DatetimeParser

    if hasattr(DatetimeParser.parse, "__wrapped__"):
        return
    DatetimeParser.parse, DatetimeParser.format = fast_datetime_parser(DatetimeParser.parse, DatetimeParser.format)  # type: ignore[method-assign]
