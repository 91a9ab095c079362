"""Fault injection: make chosen requests fail the way real APIs and networks do.

A fault is written `KIND:EVERY[*TIMES][:ARG][@PATH_REGEX]` and hits every EVERY-th request whose
path matches PATH_REGEX (all API paths by default; `/_sandbox` admin paths never count), at most
TIMES times when given (`truncate:1*1@/product` cuts only the first body short):

    429:3:2        answer 429 with `Retry-After: 2` (ARG, default 1 second)
    500:7          answer that status (any of 400-599 but 429) with a JSON error body
    slow:5:1500    wait ARG milliseconds before answering (to trip client timeouts)
    truncate:4     send the headers of the full body but only half of it, then close
    html:6[:503]   answer an HTML error page with status ARG (default 503) instead of JSON
    drop:9         close the connection without answering
    commit500:3    on writes (not GET): let the handler commit, then answer 500 (ambiguous failure)

Counters are per fault and deterministic, so a test knows which request fails.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

KINDS = {"429", "slow", "truncate", "html", "drop", "commit500"}


@dataclass
class Fault:
    kind: str
    every: int
    arg: int | None = None
    path: re.Pattern[str] | None = None
    times: int | None = None
    seen: int = 0
    fired: int = 0

    @classmethod
    def parse(cls, spec: str) -> "Fault":
        body, _, path = spec.partition("@")
        parts = body.split(":")
        if len(parts) < 2 or len(parts) > 3:
            raise ValueError(f"fault {spec!r}: expected KIND:EVERY[*TIMES][:ARG][@PATH_REGEX]")
        kind = parts[0].lower()
        if kind not in KINDS and not (kind.isdigit() and 400 <= int(kind) <= 599):
            raise ValueError(f"fault {spec!r}: unknown kind {kind!r}")
        every_text, _, times_text = parts[1].partition("*")
        every = int(every_text)
        times = int(times_text) if times_text else None
        if every < 1 or (times is not None and times < 1):
            raise ValueError(f"fault {spec!r}: EVERY and TIMES must be at least 1")
        arg = int(parts[2]) if len(parts) == 3 else None
        return cls(kind, every, arg, re.compile(path) if path else None, times)

    def applies_to(self, method: str, path: str) -> bool:
        if self.kind == "commit500" and method == "GET":
            return False
        return self.path is None or bool(self.path.search(path))


@dataclass
class FaultPlan:
    faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def parse(cls, specs: list[str] | None) -> "FaultPlan":
        return cls([Fault.parse(s) for s in specs or []])

    def pick(self, method: str, path: str) -> list[Fault]:
        """Advance every matching counter; return the faults that fire on this request."""
        firing: list[Fault] = []
        with self._lock:
            for fault in self.faults:
                if not fault.applies_to(method, path):
                    continue
                fault.seen += 1
                if fault.seen % fault.every == 0 and (fault.times is None or fault.fired < fault.times):
                    fault.fired += 1
                    firing.append(fault)
        return firing

    def summary(self) -> list[dict]:
        with self._lock:
            return [{"kind": f.kind, "every": f.every, "seen": f.seen, "fired": f.fired} for f in self.faults]
