"""What the user sees: one live line per supplier while the loop runs, then a table per supplier and stream."""

from __future__ import annotations

import threading
import time
from typing import TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from .extract import SupplierResult

STATUS_STYLE = {"waiting": "dim", "discovering": "cyan", "reading": "cyan", "merging": "cyan", "done": "green", "failed": "red"}


class Display:
    def __init__(self, out: TextIO, results: list[SupplierResult], title: str) -> None:
        self.console = Console(file=out, highlight=False, soft_wrap=False, width=120 if not out.isatty() else None)
        self.results = results
        self.title = title
        self.step = ""
        self._lock = threading.Lock()
        self._live: Live | None = None
        self._last = 0.0

    def __enter__(self) -> "Display":
        # only a terminal gets the live view; a log or a pipe gets the closing table alone
        if self.console.is_terminal:
            self._live = Live(self._render(), console=self.console, refresh_per_second=8,
                              redirect_stdout=False, redirect_stderr=False, transient=True)
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()

    def update(self, step: str | None = None) -> None:
        with self._lock:
            if step is not None:
                self.step = step
            if self._live is not None and (step is not None or time.monotonic() - self._last > 0.1):
                self._last = time.monotonic()
                self._live.update(self._render())

    def _render(self) -> Group:
        table = Table(title=self.title, title_justify="left", box=None, pad_edge=False)
        for column, justify in (("supplier", "left"), ("status", "left"), ("stream", "left"), ("read", "right"), ("time", "right")):
            table.add_column(column, justify=justify)
        for r in self.results:
            current = [s for s, v in r.streams.items() if v.read and not v.done]
            read = sum(v.read for v in r.streams.values())
            table.add_row(r.supplier, Text(r.status, style=STATUS_STYLE.get(r.status, "")), ", ".join(current[:3]),
                          f"{read:,}", f"{r.seconds:.1f}s" if r.seconds else "")
        return Group(table, Text(self.step, style="dim"))

    def summary(self) -> None:
        """The closing table: per supplier and stream, records read, new or changed, rows held, time."""
        table = Table(title=self.title, title_justify="left")
        for column, justify in (("supplier", "left"), ("stream", "left"), ("mode", "left"), ("read", "right"),
                                ("new/changed", "right"), ("rows", "right"), ("time", "right")):
            table.add_column(column, justify=justify)
        for r in self.results:
            first = True
            for stream, s in r.streams.items():
                table.add_row(r.supplier if first else "", stream, "incremental" if s.incremental else "full",
                              f"{s.read:,}", "" if s.changed is None else f"{s.changed:,}",
                              "" if s.rows is None else f"{s.rows:,}", f"{s.seconds:.1f}s")
                first = False
            total_read = sum(s.read for s in r.streams.values())
            total_changed = sum(s.changed or 0 for s in r.streams.values())
            table.add_row("" if r.streams else r.supplier, Text("all streams", style="bold"), "", Text(f"{total_read:,}", style="bold"),
                          Text(f"{total_changed:,}", style="bold"), "", Text(f"{r.seconds:.1f}s", style="bold"), end_section=True)
        self.console.print(table)
        for r in self.results:
            if r.error:
                self.console.print(Text(r.error, style="red"))

    def print(self, text: str, style: str = "") -> None:
        self.console.print(Text(text, style=style))
