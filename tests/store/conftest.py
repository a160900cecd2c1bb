"""Fixtures for store tests: a temporary profile, a controllable clock, an open store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from referral_desktop.store import create_store

PASSPHRASE = "marble otter kettle"


class FakeClock:
    """A clock the test moves by hand; each reading advances a microsecond so times stay ordered."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(profile: Path, clock: FakeClock):
    s = create_store(profile, PASSPHRASE, clock=clock)
    yield s
    s.close()


def answers_with_child(given: str = "Ann", family: str = "Bee", **more):
    return {"children": [{"given_names": given, "family_name": family}], **more}
