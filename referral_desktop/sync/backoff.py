"""When to try again: exponential backoff with jitter, bounded, and never sooner than ``Retry-After``.

Jitter matters because hundreds of laptops come back online together (the school's Wi-Fi returns);
without it they would all retry in lock step. "Equal jitter" keeps at least half the exponential delay
so a flapping server is not hammered, and randomises the other half. The random source and the clock
are injected so tests are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base_seconds: float = 5.0
    factor: float = 2.0
    max_seconds: float = 15 * 60.0
    max_retry_after_seconds: float = 6 * 3600.0  # a server cannot park us for days

    def delay(
        self, attempts: int, random: Callable[[], float], retry_after: float | None = None
    ) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt (1 = the first failure)."""
        exponent = max(0, attempts - 1)
        ceiling = min(self.max_seconds, self.base_seconds * self.factor**exponent)
        delay = ceiling / 2 + random() * ceiling / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after_seconds))
        return delay
