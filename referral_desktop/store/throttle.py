"""Progressive delay after wrong passphrases, kept in a small non-secret file in the profile.

Why a file: the delay must survive closing and reopening the app, or a guesser would just restart it.
Why not sleep here: the UI shows a countdown and stays responsive, so the store only says how long to
wait (``retry_after``); the headless CLI is the one that sleeps. The file holds a count and a time,
nothing personal. Deleting it only resets the delay for someone who could already delete the store;
the real protection is SQLCipher's 256,000-iteration key derivation on every guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from referral_desktop.store.layout import read_json, write_private_json

#: Wrong attempts allowed before any delay at all (typos happen).
FREE_ATTEMPTS = 2
MAX_DELAY_SECONDS = 300.0


def delay_after(failures: int) -> float:
    """Seconds the next attempt must wait after ``failures`` consecutive wrong passphrases.

    None for the first two, then 2, 4, 8, ... seconds, capped at five minutes.
    """
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return float(min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS)))


@dataclass
class UnlockThrottle:
    path: Path
    clock: Callable[[], datetime]

    def _state(self) -> tuple[int, datetime | None]:
        data = read_json(self.path) or {}
        failures = data.get("failures", 0)
        last = data.get("last_failure_at")
        try:
            last_at = datetime.fromisoformat(last) if isinstance(last, str) else None
        except ValueError:
            last_at = None
        return (failures if isinstance(failures, int) and failures >= 0 else 0), last_at

    def failures(self) -> int:
        return self._state()[0]

    def wait_seconds(self) -> float:
        """How long until the next attempt is allowed (0 when it is allowed now)."""
        failures, last_at = self._state()
        delay = delay_after(failures)
        if not delay or last_at is None:
            return 0.0
        remaining = (last_at + timedelta(seconds=delay) - self.clock()).total_seconds()
        # A clock moved backwards must not lock the user out for longer than the delay itself.
        return max(0.0, min(remaining, delay))

    def record_failure(self) -> float:
        """Count a wrong passphrase; returns the seconds before the next attempt is allowed."""
        failures = self.failures() + 1
        write_private_json(self.path, {"failures": failures, "last_failure_at": self.clock().isoformat()})
        return delay_after(failures)

    def record_success(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
