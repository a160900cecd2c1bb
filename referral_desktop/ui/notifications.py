"""Telling the professional when iART acknowledges, asks for more information or decides — even when the
window is minimised or behind others — through the system tray's notifications (Qt's
``QSystemTrayIcon``).

Why this shape: a notification is shown on the desktop, outside the app and outside the lock, so it
carries no personal data — only the iART reference and what happened ("IART-2026-000123: iART asked for
more information"). The sender tells the screens that *something* changed about a referral; what iART
did is worked out here by comparing the referral's state, reference and number of iART messages with what
was known before (read once at unlock, then after each change), so a refresh that brings nothing new (a
reply read by iART, a repeated poll) never notifies.

What did not reach iART is news too, because nothing else tells the professional: a document given up on
("IART-2026-000123: a document could not be sent. Open the referral to see what to do." — never its
name), a reply iART refused ("a reply you sent was not accepted by iART" — never its words), and a reply
the professional started and had not sent, removed with the referral's details by the purge when iART
decided ("a reply you had not sent was removed with the referral's details"). Once iART has decided, the
purge takes the referral within the same round of the sender, so its page may never be opened. These
happen in the sender's rounds, which go on while the app is locked and, as the ``send`` and ``status``
commands, while it is closed; so "told" is kept in the encrypted store (``store/losses_told.py``), not in
memory: what happened while the app was open and unlocked is told at once; what happened while it was
locked or closed is told at the next unlock, in the same words: one notification for one referral, and one
for several that says how many and lists them by reference (they were one notification each, and a click
on any opened the last one told); none is told twice. So is news that arrives together while the app is
open (one round of the sender, five decisions): it is held a moment (``gathered_news``) and told as one
notification for several referrals, or in the referral's own words when it is about one. While the app
is locked such news waits for the unlock (a notification then is likely missed: the professional is
away), while what iART did is still shown at once. With notifications turned off it is marked told without
being shown (the referral's page, its receipt and ``status`` still say it); with no notification area on
the desktop it waits. Clicking the notification opens the referral's page (the last one told) — after the
passphrase if the app is locked — or, for several (also several notifications about different referrals
on screen at once, from rounds of the sender a moment apart), the list of referrals. The setting
"notifications/enabled" (Settings → Notifications) turns them off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from referral_desktop.store.losses_told import Lost, NewlyLost
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.gathered_news import NewsGatherer, Told

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


def read_all(store: Any) -> dict[str, Known]:
    """Every followed referral as it stands now (read at unlock, on the store thread)."""
    return {str(s.id): Known(str(getattr(s.state, "value", s.state)), s.iart_reference,
                             len(store.referrals.messages(str(s.id))))
            for s in store.referrals.list_summaries(states=FOLLOWED)}


def read_one(store: Any, referral_id: str) -> Known | None:
    """One referral as it stands now (its state and reference only: the answers are not read); a purged
    one has no messages left."""
    referral = store.referrals.frozen(referral_id)
    state = str(getattr(referral.state, "value", referral.state))
    if state == PURGED:
        return Known(state, referral.iart_reference, 0)
    if state not in FOLLOWED:
        return None
    return Known(state, referral.iart_reference, len(store.referrals.messages(referral_id)))


def take_lost(store: Any, referral_id: str | None = None) -> list[NewlyLost]:
    """What newly did not reach iART (of every referral, or one), marked told in the same transaction."""
    losses_told = getattr(store, "losses_told", None)
    return losses_told.take(referral_id) if losses_told is not None else []


def read_change(store: Any, referral_id: str, take_losses: bool) -> tuple[Known | None, Lost | None]:
    """After the sender's change: the referral as it stands and, if they may be told now, its new losses."""
    after = read_one(store, referral_id)
    if after is None or not take_losses:
        return after, None
    newly = take_lost(store, referral_id)
    return after, (newly[0].lost if newly else None)


def read_at_unlock(store: Any, take_losses: bool) -> tuple[dict[str, Known], list[NewlyLost]]:
    """At unlock: where every followed referral stands, and what did not reach iART while the app was
    closed or locked (not told yet)."""
    return read_all(store), (take_lost(store) if take_losses else [])


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


#: What did not reach iART, by the :class:`Lost` count that counts it: the words for one, and for more.
NOT_ARRIVED_WORDS = (
    ("documents_given_up", "a document could not be sent", "{n} documents could not be sent"),
    ("replies_refused", "a reply you sent was not accepted by iART", "{n} replies you sent were not accepted by iART"),
    ("drafts_removed", "a reply you had not sent was removed with the referral's details",
     "{n} replies you had not sent were removed with the referral's details"),
)


def _not_arrived_news(lost: Lost | None) -> list[str]:
    """What newly did not reach iART: documents given up on, replies iART refused, replies the professional
    had not sent when the purge removed them."""
    told = []
    for counted, one, more in NOT_ARRIVED_WORDS:
        n = getattr(lost, counted, 0) if lost is not None else 0
        if n > 0:
            told.append(one if n == 1 else more.format(n=n))
    return told


def what_changed(referral_id: str, before: Known | None, after: Known | None, lost: Lost | None = None) -> Told | None:
    """What changed about the referral that is worth telling (what iART did since ``before``, and what newly
    did not reach iART), or None when nothing is. Words about states and counts only, with the reference."""
    if after is None or not after.reference:
        return None
    happened, not_arrived = _iarts_news(before, after), _not_arrived_news(lost)
    if not happened and not not_arrived:
        return None
    return Told(referral_id, after.reference, [happened] if happened else [], not_arrived)


def told_text(told: Told) -> str | None:
    """One referral's notification: "IART-2026-000123: iART has made a decision"."""
    return _worded(told.reference, "; ".join(told.happened) or None, told.not_arrived)


def news(before: Known | None, after: Known | None, lost: Lost | None = None) -> str | None:
    """The notification's text for what changed (what iART did since ``before``, and what newly did not
    reach iART), or None when nothing worth telling did. It holds the iART reference and what happened,
    never a document's name or anything from the form."""
    told = what_changed("", before, after, lost)
    return told_text(told) if told is not None else None


def lost_news(newly: NewlyLost) -> str | None:
    """The same words for what did not reach iART while the app was closed or locked, told at unlock."""
    return _worded(newly.reference, None, _not_arrived_news(newly.lost))


#: How long a notification stays on screen (asked of the notification area).
SHOWN_SECONDS = 15
#: How many referrals one notification lists by name (reference) before "and N more".
LISTED_AT_MOST = 3


def several_lost_news(items: list[NewlyLost]) -> str:
    """One notification for what did not reach iART for several referrals (told at one unlock): how many,
    and each one's reference and what happened, the first :data:`LISTED_AT_MOST` by reference."""
    return several_news([Told(item.referral_id, item.reference, [], _not_arrived_news(item.lost)) for item in items])


def several_news(items: list[Told]) -> str:
    """One notification for news of several referrals at once (at an unlock, or one round of the sender
    while the app is open): how many, and the first :data:`LISTED_AT_MOST` by reference with what happened
    to each; a click opens the list."""
    lost = any(item.not_arrived for item in items)
    heading = ("For {n} referrals, something did not reach iART:" if not any(item.happened for item in items)
               else "News about {n} referrals:")
    lines = [heading.format(n=len(items))]
    for item in sorted(items, key=lambda item: item.reference)[:LISTED_AT_MOST]:  # in iART's order
        lines.append(f"{item.reference}: {'; '.join([*item.happened, *item.not_arrived])}.")
    if len(items) > LISTED_AT_MOST:
        more = len(items) - LISTED_AT_MOST
        lines.append(f"And {more} more referral{'s' if more > 1 else ''}.")
    lines.append("Open each referral from your list to see " + ("what to do." if lost else "more."))
    return "\n".join(lines)


def _worded(reference: str, happened: str | None, not_arrived: list[str]) -> str | None:
    if not not_arrived:
        return f"{reference}: {happened}" if happened else None
    told = "; ".join([happened, *not_arrived] if happened else not_arrived)
    return f"{reference}: {told}. {DOCUMENTS_ADVICE}"


def _app_icon() -> QIcon:
    """The app's icon for the notification area (a tray entry without an icon is not shown at all)."""
    icon = QApplication.windowIcon()
    if icon.isNull():
        from referral_desktop.bundled_data import resources_dir

        icon = QIcon(str(resources_dir() / "icons" / "referral-desktop.svg"))
    return icon


class IartNotifier(QObject):
    """Listens to the sender's changes and shows a notification for iART's news, and at each unlock for
    what did not reach iART while the app was closed or locked."""

    open_requested = Signal(str)  # referral id (a notification was clicked)
    list_requested = Signal()  # the notification about several referrals was clicked

    def __init__(
        self, context: AppContext, present: Callable[[str, str], None] | None = None, parent: QObject | None = None,
        unlocked: Callable[[], bool] | None = None, gatherer: NewsGatherer | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        #: News that arrives together, held a moment to be told as one (``gathered_news``).
        self.gatherer = gatherer or NewsGatherer()
        self.gatherer.setParent(self)
        self.gatherer.ready.connect(self._tell_gathered)
        self._known: dict[str, Known] = {}
        self._last_referral: str | None = None  # what a click opens: a referral's page, "" the list, None nothing
        # What each notification still on screen is about (when told, referral id or "" for several): a
        # click does not say which of them was clicked.
        self._on_screen: list[tuple[float, str]] = []
        self.tray: QSystemTrayIcon | None = None
        self._present = present or self._show_in_tray
        # Whether the professional is at the app: by default the window's own flag (the parent), so a
        # notifier without one (the tests, the screenshot) counts as unlocked.
        self._unlocked = unlocked or (lambda: bool(getattr(parent, "unlocked", True)))
        context.sync_events.state_changed.connect(self._changed)

    # ------------------------------------------------------------------------------------ knowing

    def prime(self) -> None:
        """Learn where every followed referral stands (call after each unlock, once the store is the
        runner's), so only news is told; and tell what did not reach iART while the app was closed or
        locked."""
        self.context.runner.run_with_store(read_at_unlock, self._may_tell_losses()).success(self._primed).failure(
            lambda exc: log.info("notifications not primed (%s)", type(exc).__name__)
        )

    def _primed(self, read: tuple[dict[str, Known], list[NewlyLost]]) -> None:
        known, newly = read
        self._known = {**known, **self._known}
        told = [item for item in newly if lost_news(item)]
        if len(told) == 1:
            self._tell(told[0].referral_id, lost_news(told[0]))
        elif told:  # one notification, opening the list: a click could not tell which of several was meant
            self._tell("", several_lost_news(told))

    def _may_tell_losses(self) -> bool:
        """Whether what did not reach iART may be taken from the store (and so marked told) now: only while
        unlocked (locked, the professional is likely away: it waits for the unlock), and only where a
        notification can be shown (or notifications are turned off: then it is told nowhere, by choice)."""
        if not self._unlocked():
            return False
        if not notifications_enabled(self.context.settings) or self._present != self._show_in_tray:
            return True
        return QSystemTrayIcon.isSystemTrayAvailable()

    def _changed(self, referral_id: str, _state: str) -> None:
        self.context.runner.run_with_store(read_change, referral_id, self._may_tell_losses()).success(
            lambda read: self._compare(referral_id, *read)
        ).failure(lambda exc: log.info("notification check failed (%s)", type(exc).__name__))

    def _compare(self, referral_id: str, after: Known | None, lost: Lost | None) -> None:
        before = self._known.get(referral_id)
        if after is not None:
            self._known[referral_id] = after
        told = what_changed(referral_id, before, after, lost)
        if told is not None and notifications_enabled(self.context.settings):  # off: told nowhere, by choice
            self.gatherer.add(told)
            if told.not_arrived:
                # A loss was marked told in the store when it was read (``take_lost``): held for the moment,
                # an app ended in it would never tell it. It goes now, with whatever news is held.
                self.gatherer.hand_on()

    @property
    def gathering(self) -> bool:
        """Whether news is held for a moment, to be told with whatever else arrives with it."""
        return self.gatherer.holding

    def _tell_gathered(self, items: list[Told]) -> None:
        if len(items) == 1:
            self._tell(items[0].referral_id, told_text(items[0]))
        else:  # one notification, opening the list: a click could not tell which of several was meant
            self._tell("", several_news(items))

    def _tell(self, referral_id: str, text: str | None) -> None:
        if text and notifications_enabled(self.context.settings):
            self._last_referral = referral_id
            now = time.monotonic()  # (those gone from the screen are forgotten)
            self._on_screen = [*(seen for seen in self._on_screen if now - seen[0] <= SHOWN_SECONDS), (now, referral_id)]
            log.info("notification shown for referral %s", referral_id or "(several)")
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
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, SHOWN_SECONDS * 1000)

    def clicked(self) -> None:
        """The notification (or the tray icon) was clicked: open the referral it was about, or the list
        when it was about several, or when notifications about different referrals are on screen together
        (rounds of the sender a moment apart: a click on any opened the last one told). Clicked, they
        are gone."""
        now = time.monotonic()
        on_screen = {referral for told, referral in self._on_screen if now - told <= SHOWN_SECONDS}
        self._on_screen.clear()
        if len(on_screen) > 1:
            self.list_requested.emit()
        elif self._last_referral:
            self.open_requested.emit(self._last_referral)
        elif self._last_referral == "":
            self.list_requested.emit()
