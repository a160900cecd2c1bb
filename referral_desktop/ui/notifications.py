"""Telling the professional when iART acknowledges, asks for more information or decides — even when the
window is minimised or behind others — through the system tray's notifications (Qt's
``QSystemTrayIcon``).

Why this shape: a notification is shown on the desktop, outside the app and outside the lock, so it
carries no personal data — only the iART reference and what happened ("IART-2026-000123: iART asked for
more information"). The sender tells the screens that *something* changed about a referral; what
changed is worked out here by comparing the referral's state, reference, number of iART messages and
number of its documents given up on (its own and its replies'; see ``sync/jobs/uploads.py``) with what
was known before (read once at unlock, then after each change), so a refresh that brings nothing new (a
reply read by iART, a repeated poll, a document already known to be given up) never notifies.

A document given up on is news because nothing else tells the professional that iART never got it:
once iART has decided, the retention purge takes the referral within the same round of the sender, so
the referral's page (which says to phone iART) may never be opened. The notification names no document
("IART-2026-000123: a document could not be sent. Open the referral to see what to do."). The purge
may run before the change is read here; the purged referral's receipt keeps the count
(``documents_given_up``), so the news is still told from it — but only about a referral known
before, so a receipt's old count is never told as news. A reply the professional started and had not
sent is news the same way, from the purge only: it removes the draft with the referral's details, the
receipt counts it (``draft_replies_removed``) and the sender tells the purge, so the notification says
"IART-2026-000123: a reply you had not sent was removed with the referral's details" — never its words —
once, since a purged referral is not read again at the next unlock. Clicking the notification opens the
referral's page — after the passphrase if the app is locked. The setting "notifications/enabled"
(Settings → Notifications) turns them off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from referral_desktop.ui.app_context import AppContext

log = logging.getLogger(__name__)

SETTING = "notifications/enabled"
#: Referral states whose news is worth a notification (and the states read at unlock).
FOLLOWED = ("received", "acknowledged", "info_requested", "decided")
TITLE = "Referral Desktop"
#: The state of a purged referral (a store value).
PURGED = "purged"
#: What the professional can do about a document that could not be sent or a reply iART refused (the
#: page says the rest).
DOCUMENTS_ADVICE = "Open the referral to see what to do."


def notifications_enabled(settings: Any) -> bool:
    """On unless the user turned them off (a plain flag in the settings file, not personal data)."""
    value = settings.value(SETTING, True)
    return str(value).lower() not in ("false", "0", "no")


def set_notifications_enabled(settings: Any, enabled: bool) -> None:
    settings.setValue(SETTING, bool(enabled))


@dataclass(frozen=True)
class Known:
    """What is known about a referral, for telling news from repeats (no personal data)."""

    state: str
    reference: str | None
    messages: int
    #: The referral's documents (its own and its replies') whose upload was given up on.
    documents_given_up: int = 0
    #: The replies the professional sent that iART refused.
    replies_refused: int = 0
    #: Replies the professional started and had not sent, removed by the purge (counted on its receipt;
    #: always 0 before it).
    drafts_removed: int = 0


def _not_arrived(store: Any, referral_id: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """(documents given up on, replies iART refused) per referral, of every referral or of one: one query
    each (a reply's documents carry the referral's id too)."""
    uploads, replies = getattr(store, "uploads", None), getattr(store, "replies", None)
    return (uploads.given_up_counts(referral_id) if uploads is not None else {},
            replies.refused_counts(referral_id) if replies is not None else {})


def _known(store: Any, summary: Any, given_up: dict[str, int], refused: dict[str, int]) -> Known:
    state = str(getattr(summary.state, "value", summary.state))
    referral_id = str(summary.id)
    return Known(state, summary.iart_reference, len(store.referrals.messages(referral_id)),
                 given_up.get(referral_id, 0), refused.get(referral_id, 0))


def read_all(store: Any) -> dict[str, Known]:
    """Every followed referral as it stands now (read at unlock, on the store thread). The documents given
    up on and the replies refused are counted for all of them in one query each, not one per referral."""
    given_up, refused = _not_arrived(store)
    return {str(s.id): _known(store, s, given_up, refused)
            for s in store.referrals.list_summaries(states=FOLLOWED)}


def read_one(store: Any, referral_id: str) -> Known | None:
    """One referral as it stands now (its state and reference only: the answers are not read). A purged
    one is read from its receipt: how many of its documents and replies never reached iART."""
    referral = store.referrals.frozen(referral_id)
    state = str(getattr(referral.state, "value", referral.state))
    if state == PURGED:
        receipts = getattr(store, "receipts", None)
        receipt = receipts.get(referral_id) if receipts is not None else None
        # Given up on only, as counted before the purge: a refused reply's documents are told with the reply.
        given_up = getattr(receipt, "documents_given_up", None) or 0
        replies_refused = getattr(receipt, "replies_refused_by_iart", None) or 0
        drafts_removed = getattr(receipt, "draft_replies_removed", None) or 0
        return Known(state, referral.iart_reference, 0, given_up, replies_refused, drafts_removed)
    if state not in FOLLOWED:
        return None
    given_up, refused = _not_arrived(store, referral_id)
    return Known(state, referral.iart_reference, len(store.referrals.messages(referral_id)),
                 given_up.get(referral_id, 0), refused.get(referral_id, 0))


def _iarts_news(before: Known | None, after: Known) -> str | None:
    """What iART did (decided, asked, acknowledged), or None."""
    was = before.state if before else None
    if after.state == "decided" and was not in ("decided", PURGED):
        return "iART has made a decision"
    if after.messages > (before.messages if before else 0) or (
        after.state == "info_requested" and was != "info_requested"
    ):
        return "iART asked for more information"
    if after.state == "acknowledged" and was not in ("acknowledged", "info_requested", "decided"):
        return "iART acknowledged the referral"
    return None


def _newly(before: Known | None, after: Known, counted: str) -> int:
    """How many more of ``counted`` (a :class:`Known` count) than known before. A purged referral's receipt
    counts only for a referral known before (its count may be years old otherwise)."""
    if after.state == PURGED and before is None:
        return 0
    return getattr(after, counted) - (getattr(before, counted) if before else 0)


#: What did not reach iART, by the :class:`Known` count that counts it: the words for one, and for more.
NOT_ARRIVED_WORDS = (
    ("documents_given_up", "a document could not be sent", "{n} documents could not be sent"),
    ("replies_refused", "a reply you sent was not accepted by iART", "{n} replies you sent were not accepted by iART"),
    ("drafts_removed", "a reply you had not sent was removed with the referral's details",
     "{n} replies you had not sent were removed with the referral's details"),
)


def _not_arrived_news(before: Known | None, after: Known) -> list[str]:
    """What newly did not reach iART: documents given up on, replies iART refused, replies the professional
    had not sent when the purge removed them."""
    told = []
    for counted, one, more in NOT_ARRIVED_WORDS:
        n = _newly(before, after, counted)
        if n > 0:
            told.append(one if n == 1 else more.format(n=n))
    return told


def news(before: Known | None, after: Known | None) -> str | None:
    """The notification's text for what changed, or None when nothing worth telling did. It holds the
    iART reference and what happened, never a document's name or anything from the form."""
    if after is None or not after.reference:
        return None
    happened = _iarts_news(before, after)
    not_arrived = _not_arrived_news(before, after)
    if not not_arrived:
        return f"{after.reference}: {happened}" if happened else None
    told = "; ".join([happened, *not_arrived] if happened else not_arrived)
    return f"{after.reference}: {told}. {DOCUMENTS_ADVICE}"


def _app_icon() -> QIcon:
    """The app's icon for the notification area (a tray entry without an icon is not shown at all)."""
    icon = QApplication.windowIcon()
    if icon.isNull():
        from referral_desktop.bundled_data import resources_dir

        icon = QIcon(str(resources_dir() / "icons" / "referral-desktop.svg"))
    return icon


class IartNotifier(QObject):
    """Listens to the sender's changes and shows a notification for iART's news."""

    open_requested = Signal(str)  # referral id (a notification was clicked)

    def __init__(
        self, context: AppContext, present: Callable[[str, str], None] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._known: dict[str, Known] = {}
        self._last_referral = ""
        self.tray: QSystemTrayIcon | None = None
        self._present = present or self._show_in_tray
        context.sync_events.state_changed.connect(self._changed)

    # ------------------------------------------------------------------------------------ knowing

    def prime(self) -> None:
        """Learn where every followed referral stands (call after each unlock, once the store is the
        runner's), so only news is told."""
        self.context.runner.run_with_store(read_all).success(self._primed).failure(
            lambda exc: log.info("notifications not primed (%s)", type(exc).__name__)
        )

    def _primed(self, known: dict[str, Known]) -> None:
        self._known = {**known, **self._known}

    def _changed(self, referral_id: str, _state: str) -> None:
        self.context.runner.run_with_store(read_one, referral_id).success(
            lambda after: self._compare(referral_id, after)
        ).failure(lambda exc: log.info("notification check failed (%s)", type(exc).__name__))

    def _compare(self, referral_id: str, after: Known | None) -> None:
        before = self._known.get(referral_id)
        if after is not None:
            self._known[referral_id] = after
        text = news(before, after)
        if text and notifications_enabled(self.context.settings):
            self._last_referral = referral_id
            log.info("notification shown for referral %s", referral_id)
            self._present(TITLE, text)

    # ------------------------------------------------------------------------------------ showing

    def _show_in_tray(self, title: str, text: str) -> None:
        if self.tray is None:
            if not QSystemTrayIcon.isSystemTrayAvailable():
                log.info("no system tray: notification not shown")
                return
            self.tray = QSystemTrayIcon(_app_icon(), self)
            self.tray.setToolTip("Referral Desktop")
            self.tray.messageClicked.connect(self.clicked)
            self.tray.activated.connect(lambda _reason: self.clicked())
            self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def clicked(self) -> None:
        """The notification (or the tray icon) was clicked: open the referral it was about."""
        if self._last_referral:
            self.open_requested.emit(self._last_referral)
