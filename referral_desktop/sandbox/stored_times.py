"""How the sandbox stores a time: UTC, microseconds, fixed width, so that times sort as text."""

from __future__ import annotations

from datetime import UTC, datetime


def ts(value: datetime) -> str:
    """The stored form of a time."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
