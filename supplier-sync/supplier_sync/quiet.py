"""Keep the screen for the loop's own display: PyAirbyte, dbt and the connectors talk to a log file.

PyAirbyte prints some of its notices (its schema-to-SQL type fallbacks, "Completed ... sync", the list
of incremental streams) with print() rather than logging, so the loop also redirects standard output
and error into the same file while PyAirbyte runs; nothing is lost, it is just not the user's screen.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Iterator, TextIO


def prepare_environment(log_dir: Path) -> None:
    """Set before airbyte is imported: local connectors only, no telemetry, PyAirbyte's logs in log_dir."""
    log_dir.mkdir(parents=True, exist_ok=True)
    # the connectors are local console scripts: no lookup in Airbyte's online registry (also none reachable)
    os.environ["AIRBYTE_OFFLINE_MODE"] = "1"
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("AIRBYTE_LOGGING_ROOT", str(log_dir))
    # our own display shows progress; PyAirbyte's live view would fight it for the terminal
    os.environ.setdefault("NO_LIVE_PROGRESS", "1")


def log_to_file(log_file: Path) -> None:
    """Every logger (PyAirbyte's, dbt's, warnings) writes to log_file at INFO and above, none to the screen."""
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, logging.StreamHandler) and not isinstance(existing, logging.FileHandler):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    warnings.simplefilter("default")


@contextlib.contextmanager
def captured_output(log_file: Path) -> Iterator[TextIO]:
    """Standard output and error go to log_file for the block (PyAirbyte's print() notices)."""
    with open(log_file, "a", encoding="utf-8") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield sink
        sink.flush()


def terminal() -> TextIO:
    """The real standard output, for the display, whatever is redirected meanwhile."""
    return sys.__stdout__ or sys.stdout
