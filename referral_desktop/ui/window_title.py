"""The window title names the screen ("Check your answers"), and the application's name appears once.

Why: the title bar, the task bar and a screen reader's window list are how people tell windows apart,
and the title said "Referral Desktop — Multi-Agency Referral Form" on every screen (with the platform
adding " — Referral Desktop" again after it). Qt appends the application display name itself on
Windows and Linux, so the title is the screen's name only. Screens whose name changes while they are
shown (the editor's sections, a referral's page, the confirmation) emit ``title_changed``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

#: Screens by class name (so this module imports none of them), with their fixed titles.
SCREEN_TITLES = {
    "UnlockScreen": "Unlock",
    "FirstRunScreen": "Set up Referral Desktop",
    "HomeScreen": "Your referrals",
    "UrgencyScreen": "New referral",
    "SettingsScreen": "Settings",
    "ContactsScreen": "Who to call",
    "PrivacyNoticeScreen": "Privacy notice",
    "PolicyProblemScreen": "Referral Desktop cannot start",
    "ReferralDetailScreen": "Referral",
    "SentConfirmationScreen": "Your referral",
    "EditorHost": "Referral",
}
APP_NAME = "Referral Desktop"


def title_for(widget: QWidget) -> str:
    """A screen may name itself for what it shows first (``window_title``), else its class's title."""
    return getattr(widget, "window_title", "") or SCREEN_TITLES.get(type(widget).__name__, "")


def follow_title(window: QWidget, screen: QWidget) -> None:
    """Title the window after ``screen`` now, and as the screen's own title changes while it is shown."""
    window.setWindowTitle(title_for(screen))
    signal = getattr(screen, "title_changed", None)
    if signal is not None:
        signal.connect(lambda text, s=screen: window.setWindowTitle(text) if _is_current(window, s) else None)


def _is_current(window: QWidget, screen: QWidget) -> bool:
    return getattr(window, "current", None) is screen
