"""What a doctor check concludes: ok, warn or fail, one sentence, and the numbers behind it.

Shared by the checks, the ``doctor`` command's exit code and ``doctor --json`` (:mod:`.doctor_report`), so
that the line IT reads, the exit code a script tests and the document a tool parses come from one value.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Status(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst result."""

    OK = 0
    WARN = 1
    FAIL = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome: a sentence for people, and its numbers for IT's tools (``measurements``:
    ``latency_ms``, ``clock_skew_seconds`` (positive: this computer is ahead), ``free_bytes``)."""

    name: str
    status: Status
    detail: str
    measurements: Mapping[str, float | int] = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.status.label:<5}{self.name:<13}{self.detail}"


def exit_code(results: list[CheckResult]) -> int:
    """0: all ok; 1: warnings only; 2: at least one failure."""
    return int(max((r.status for r in results), default=Status.OK))
