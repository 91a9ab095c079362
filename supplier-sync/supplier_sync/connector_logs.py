"""What a connector said when it failed, from the log PyAirbyte keeps for it.

PyAirbyte logs each connector's messages to <AIRBYTE_LOGGING_ROOT>/<connector>/*.log and raises a
generic "Connector failed" error; the connector's own sentence (its TRACE error, with the stream it
concerns) is only in that log.
"""

from __future__ import annotations

import json
from pathlib import Path


def latest_log(connector: str) -> Path | None:
    from airbyte.logs import AIRBYTE_LOGGING_ROOT

    if AIRBYTE_LOGGING_ROOT is None:
        return None
    logs = sorted((AIRBYTE_LOGGING_ROOT / connector).glob("*.log"), key=lambda p: p.stat().st_mtime)
    return logs[-1] if logs else None


def trace_errors(connector: str) -> list[tuple[str | None, str]]:
    """(stream or None, message) of every TRACE error in the connector's latest log, in order."""
    log = latest_log(connector)
    if log is None:
        return []
    out: list[tuple[str | None, str]] = []
    for line in log.read_text(errors="replace").splitlines():
        start = line.find('{"type":"TRACE"')
        if start < 0:
            continue
        try:
            error = json.loads(line[start:])["trace"]["error"]
        except (ValueError, KeyError, TypeError):
            continue
        if not error:
            continue
        stream = (error.get("stream_descriptor") or {}).get("name")
        out.append((stream, " ".join(str(error.get("message") or "").split()).rstrip(".")))
    return out


def summary_line(connector: str, marker: str) -> str | None:
    """The last line of the connector's latest log that contains `marker`, from the marker on
    (PyAirbyte logs a connector's LOG messages as their text)."""
    log = latest_log(connector)
    if log is None:
        return None
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if marker in line and '{"type"' not in line:
            return line[line.index(marker):].strip()
    return None
