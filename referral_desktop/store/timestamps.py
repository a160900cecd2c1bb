"""How times are kept in the store: ISO 8601 text in UTC (sorts as text, readable in the sqlcipher shell)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("Times given to the store must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
