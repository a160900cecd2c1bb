"""What every screen needs, passed in explicitly: profile folder, policy, clock, runner, contacts.

Why: screens receive their collaborators rather than reaching for a global application object (a wart
Vorta teaches), so tests and the screenshot tool can build any screen with a temporary profile and a
fixed clock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from referral_desktop.ui.sync_events import SyncEvents

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from referral_desktop.ui.task_runner import StoreTaskRunner

log = logging.getLogger(__name__)

DEFAULT_AUTO_LOCK_MINUTES = 5


def utc_now() -> datetime:
    from datetime import UTC, datetime  # here: the unlock screen is drawn before anything asks the time

    return datetime.now(UTC)


class AppContext:
    """A plain class, not a dataclass: ``dataclasses`` (with ``inspect`` and ``copy``) and ``datetime``
    were imported and the class's methods generated for it before the unlock screen's first paint
    (~5 ms of start-up, issue 13). Built by keyword; every argument but the first three is optional."""

    def __init__(self, profile_dir: Path, runner: StoreTaskRunner, settings: QSettings, policy: Any = None,
                 policy_loader: Callable[[], Any] | None = None, clock: Callable[[], datetime] = utc_now,
                 sync_events: SyncEvents | None = None, sync_worker: Any = None, contacts: Any = None,
                 passphrase_listeners: list[Callable[[Any], None]] | None = None,
                 home_shown: threading.Event | None = None, held_answers: Any = None) -> None:
        self.profile_dir = profile_dir
        self.runner = runner
        self.settings = settings
        self.policy = policy
        #: Reads the deployment policy; the app passes one so that the policy (and pydantic) is read on
        #: the runner's thread after the first paint rather than before the window (see MainWindow).
        self.policy_loader = policy_loader
        self.clock = clock
        self.sync_events = sync_events if sync_events is not None else SyncEvents()
        self.sync_worker = sync_worker
        self.contacts = contacts
        self.passphrase_listeners = passphrase_listeners if passphrase_listeners is not None else []
        #: Set once the home screen shows its rows after the first unlock: the background sender waits
        #: for it (a few seconds at most) so that its start-up does not compete with unlock -> home.
        self.home_shown = home_shown if home_shown is not None else threading.Event()
        #: Answers the idle lock took off the screen before the store would take them
        #: (``ui/held_answers.py``); made at the first such lock.
        self.held_answers = held_answers

    def passphrase_accepted(self, passphrase: Any) -> None:
        """Called on the GUI thread right after an unlock succeeds, with the key the unlock derived (or,
        for a store just created, the passphrase); the background sender opens its own connection with
        it (a Store must not be used by two threads at once). Never stored."""
        for listener in list(self.passphrase_listeners):
            listener(passphrase)

    def policy_pending(self) -> bool:
        """True until the loader's policy has arrived (``policy`` stays ``None`` meanwhile)."""
        return self.policy is None and self.policy_loader is not None

    def policy_now(self) -> Any:
        """The policy, read here and now if it has not arrived yet: only when something is unlocked
        before the window's first paint (tests are that quick; people are not). Raises the loader's
        ``PolicyError`` when the policy cannot be used, so nothing runs under defaults by mistake."""
        loader = self.policy_loader
        if self.policy is None and loader is not None:  # policy_pending(), with the loader's type narrowed
            self.policy = loader()
        return self.policy

    def contact_directory(self) -> Any:
        """The contacts and hours (bundled data, with the policy's overrides), loaded once."""
        if self.contacts is None:
            from referral_desktop.domain.contacts import load_contacts
            from referral_desktop.domain.form_catalog import set_form_contacts

            overrides = getattr(self.policy, "contacts", None)
            self.contacts = load_contacts(overrides or None)
            set_form_contacts(self.contacts)  # forms show the numbers and hours in force
        return self.contacts

    def auto_lock_ceiling(self) -> int:
        from referral_desktop.policy import effective_settings

        return effective_settings(self.policy).auto_lock_ceiling

    def auto_lock_minutes(self) -> int:
        """The user's choice (kept in QSettings; a number, not personal data), never above policy."""
        from referral_desktop.policy import UserSettings, effective_settings

        try:
            user = UserSettings(auto_lock_minutes=int(self.settings.value("security/auto_lock_minutes")))
        except (TypeError, ValueError):  # unset, edited by hand or out of range: the policy's ceiling
            user = UserSettings()
        return effective_settings(self.policy, user).auto_lock_minutes

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.settings.setValue("security/auto_lock_minutes", int(minutes))

    @property
    def test_deployment(self) -> bool:
        return bool(getattr(self.policy, "test_deployment", False))
