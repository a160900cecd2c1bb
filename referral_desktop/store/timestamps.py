"""How times are kept in the store: ISO 8601 text in UTC (sorts as text, readable in the sqlcipher shell)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("Times given to the store must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@overload
def from_text(value: str) -> datetime: ...
@overload
def from_text(value: None) -> None: ...
@overload
def from_text(value: str | None) -> datetime | None: ...


def from_text(value: str | None) -> datetime | None:
    """A time read from the store; a NOT NULL column's text gives a datetime, NULL gives None."""
    return None if value is None else datetime.fromisoformat(value)
