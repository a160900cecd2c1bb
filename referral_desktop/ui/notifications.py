"""Telling the professional when iART acknowledges, asks for more information or decides — even when the
window is minimised or behind others — through the system tray's notifications (Qt's
``QSystemTrayIcon``).

Why this shape: a notification is shown on the desktop, outside the app and outside the lock, so it
carries no personal data — only the iART reference and what happened ("IART-2026-000123: iART asked for
more information"). The sender tells the screens that *something* changed about a referral; what
changed is worked out here by comparing the referral's state, reference and number of iART messages
with what was known before (read once at unlock, then after each change), so a refresh that brings
nothing new (a reply read by iART, a repeated poll) never notifies. Clicking the notification opens the
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


def _known(store: Any, summary: Any) -> Known:
    state = str(getattr(summary.state, "value", summary.state))
    return Known(state, summary.iart_reference, len(store.referrals.messages(str(summary.id))))


def read_all(store: Any) -> dict[str, Known]:
    """Every followed referral as it stands now (read at unlock, on the store thread)."""
    return {str(s.id): _known(store, s) for s in store.referrals.list_summaries(states=FOLLOWED)}


def read_one(store: Any, referral_id: str) -> Known | None:
    """One referral as it stands now (its state and reference only: the answers are not read)."""
    referral = store.referrals.frozen(referral_id)
    state = str(getattr(referral.state, "value", referral.state))
    if state not in FOLLOWED:
        return None
    return Known(state, referral.iart_reference, len(store.referrals.messages(referral_id)))


def news(before: Known | None, after: Known | None) -> str | None:
    """The notification's text for what changed, or None when nothing worth telling did."""
    if after is None or not after.reference:
        return None
    was = before.state if before else None
    if after.state == "decided" and was != "decided":
        happened = "iART has made a decision"
    elif after.messages > (before.messages if before else 0) or (
        after.state == "info_requested" and was != "info_requested"
    ):
        happened = "iART asked for more information"
    elif after.state == "acknowledged" and was not in ("acknowledged", "info_requested", "decided"):
        happened = "iART acknowledged the referral"
    else:
        return None
    return f"{after.reference}: {happened}"


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
