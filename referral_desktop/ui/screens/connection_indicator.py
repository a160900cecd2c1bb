"""The connection indicator on home: what is known about reaching iART, in words.

Why: "Connection: not checked yet" stayed up after referrals had been sent, and "Send now" offline left
"Sending now…" on screen for ever, so people could not tell whether anything had gone. The indicator
says only what the sender knows:

* "Connected to iART (last answer 10:42am)" once the API has answered;
* "Offline: will retry at 10:44am" when it has not, with the earliest next attempt of a waiting referral
  (or "will keep trying by itself" when nothing is waiting);
* "Cannot send: IT must check the certificate" (or the credentials, or the connection settings) when a
  referral's last attempt failed in a way no retry will cure;
* "Checking the connection to iART…" only before the sender has reported anything;
* after "Connected", "iART asked the app to wait: the next try is at 10:44am" (or "is on 28 November 2026 at 9am") while a referral waits out
  a 429 or 503 of iART's (Send now keeps such a wait, so the button is not left seeming to do nothing).

Under it, when iART's time shows this computer's clock more than five minutes out, a second line says so
and what it affects (``ui/clock_warning.py``), heard once as it appears.

"Send now" nudges the sender and says "Trying iART now…"; a few seconds later, if iART still has not
answered, it says so and gives the next attempt's time.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from referral_desktop.sync.jobs.sending import SERVER_ASKED_TO_WAIT
from referral_desktop.ui.accessibility import announce, expose_status_text
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.clock_warning import clock_warning
from referral_desktop.ui.display_format import when_text
from referral_desktop.ui.waiting_reason import needs_it, reason_text

log = logging.getLogger(__name__)

#: How long "Send now" waits for the API's answer before saying that it did not answer.
SEND_NOW_PATIENCE_MS = 6000


def outbox_facts(store: Any) -> dict[str, Any]:
    """The waiting referrals' next attempt, any error that needs IT, and the first try iART itself put off
    (429/503: Send now keeps those waits) (store thread; no personal data)."""
    entries = list(store.outbox.list())
    times = [e.next_attempt_at for e in entries if e.next_attempt_at is not None]
    blocked = [e.last_error_code for e in entries if needs_it(e.last_error_code)]
    asked = [e.next_attempt_at for e in entries
             if e.last_error_code in SERVER_ASKED_TO_WAIT and e.next_attempt_at is not None]
    return {"waiting": len(entries), "next_attempt": min(times) if times else None,
            "needs_it": blocked[0] if blocked else None, "asked_to_wait": min(asked) if asked else None}


class ConnectionIndicator(QLabel):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionIndicator")
        self.setWordWrap(True)
        expose_status_text(self)
        self.context = context
        self.online: bool | None = getattr(context.sync_worker, "online", None)
        self.last_answer: datetime | None = context.clock() if self.online else None
        self.facts: dict[str, Any] = {"waiting": 0, "next_attempt": None, "needs_it": None}
        self._trying = False
        self._unanswered = False  # "Send now" tried and iART did not answer (until it does)
        self._patience = QTimer(self, singleShot=True, interval=SEND_NOW_PATIENCE_MS)
        self._patience.timeout.connect(self._tried)
        context.sync_events.connection_changed.connect(self.set_online)
        self.clock_skew: float | None = getattr(context.sync_worker, "clock_skew_seconds", None)
        self._clock_heard = False
        context.sync_events.clock_compared.connect(self.set_clock_skew)
        context.sync_events.state_changed.connect(lambda _id, _state: self.refresh())
        self._show()

    # --- what is known --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the outbox (store thread), then redraw."""
        if self.context.runner.store is None:
            self._show()
            return
        self.context.runner.run_with_store(outbox_facts).owned_by(self).success(self._facts_read).failure(
            lambda e: log.info("outbox not read for the indicator: %s", type(e).__name__)
        )

    def _facts_read(self, facts: dict[str, Any]) -> None:
        self.facts = facts
        self._show()

    def set_online(self, online: bool) -> None:
        self.online = bool(online)
        if online:
            self.last_answer = self.context.clock()
            self._trying = False
            self._unanswered = False
            self._patience.stop()
        self._show()
        self.refresh()

    def set_clock_skew(self, skew_seconds: float) -> None:
        """iART's time compared with this computer's: a clock far out is said under the connection
        (``ui/clock_warning.py``), and heard once as it first shows on this screen."""
        self.clock_skew = skew_seconds
        self._show()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._say_clock()

    def _say_clock(self) -> None:
        warning = clock_warning(self.clock_skew)
        if not warning:
            self._clock_heard = False  # put right: heard again should it go wrong again
        elif not self._clock_heard and self.isVisible():
            self._clock_heard = True
            announce(self, warning)

    # --- Send now -------------------------------------------------------------------------------------
    def trying_now(self) -> None:
        """Called by "Send now" after nudging the sender."""
        self._trying = True
        self._show()
        self._patience.start()

    def _tried(self) -> None:
        self._trying = False
        self._unanswered = not self.online
        self._show()
        self.refresh()

    # --- words ----------------------------------------------------------------------------------------
    def _show(self) -> None:
        warning = clock_warning(self.clock_skew)
        self.setText(f"{self.describe()}\n⚠ {warning}" if warning else self.describe())
        self._say_clock()

    def describe(self) -> str:
        now = self.context.clock()
        facts = self.facts
        if facts.get("needs_it"):
            return f"✕ {reason_text(facts['needs_it'])}"
        if self._trying:
            return "Trying iART now…"
        if self.online:
            when = f" (last answer {when_text(self.last_answer, now)})" if self.last_answer else ""
            asked = facts.get("asked_to_wait")
            if asked is not None and asked > now:  # Send now does not cut iART's own wait short: say so
                return (f"● Connected to iART{when}. iART asked the app to wait: the next try is "
                        f"{when_text(asked, now)}")
            return f"● Connected to iART{when}"
        next_attempt = facts.get("next_attempt")
        retry = (f"will retry {when_text(max(next_attempt, now), now)}" if next_attempt is not None
                 else "will keep trying by itself")
        if self._unanswered:
            return f"○ iART did not answer. Offline: {retry}"
        if self.online is False:
            return f"○ Offline: {retry}"
        return "Checking the connection to iART…"
