"""News about referrals that arrives together, held for a moment so that it is told in one notification.

Why: one round of the sender can bring news of many referrals at once (five decisions from one
``GET /v1/referrals/changes``), and each arrived as its own notification: five on the desktop in a second,
each covering the last, and a click on any opened whichever was told last. The sender tells the screens
one referral at a time, committing each before the next, so "together" can only be seen in time: news is
held until none has come for :data:`QUIET_MS` (never longer than :data:`AT_MOST_MS` after the first), then
handed on at once. One referral's news is told as before, in its own words; several are one notification
(``notifications.several_news``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

#: How long after the last news of a round more news is waited for: the sender commits each referral's
#: change before telling the next (a few milliseconds each, longer on a slow disk), and the store thread
#: reads each change for the notifier in turn.
QUIET_MS = 400
#: The longest any news is held, however much keeps coming (a steady stream of changes).
AT_MOST_MS = 2000


@dataclass
class Told:
    """What one referral's notification says: its iART reference, what iART did, and what newly did not
    reach iART (no personal data: words about states and counts only)."""

    referral_id: str
    reference: str
    happened: list[str] = field(default_factory=list)
    not_arrived: list[str] = field(default_factory=list)

    def add(self, other: Told) -> None:
        """More news about the same referral in the same moment (acknowledged, then asked)."""
        self.reference = other.reference or self.reference
        self.happened += [words for words in other.happened if words not in self.happened]
        self.not_arrived += other.not_arrived


class NewsGatherer(QObject):
    """Holds news (``add``) until the moment is over, then hands it on (``ready``), in the order told."""

    ready = Signal(list)  # list[Told], one per referral

    def __init__(self, quiet_ms: int = QUIET_MS, at_most_ms: int = AT_MOST_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.quiet_ms, self.at_most_ms = quiet_ms, at_most_ms
        self._held: dict[str, Told] = {}
        self._first = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.hand_on)

    @property
    def holding(self) -> bool:
        """Whether news is waiting to be told (the tests wait for this to end, not for a fixed time)."""
        return bool(self._held)

    def add(self, told: Told) -> None:
        if told.referral_id in self._held:
            self._held[told.referral_id].add(told)
        else:
            if not self._held:
                self._first = time.monotonic()
            self._held[told.referral_id] = told
        left = self.at_most_ms - (time.monotonic() - self._first) * 1000
        self._timer.start(max(0, min(self.quiet_ms, int(left))))

    def hand_on(self) -> None:
        self._timer.stop()
        held, self._held = list(self._held.values()), {}
        if held:
            self.ready.emit(held)
