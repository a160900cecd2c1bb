"""Answers the idle lock took off the screen, and reply words a page left behind, before the store would
take them: kept, saved, given back.

Why: the lock removes every answer from the screen (anyone may come to an unattended laptop), and it must
not wait for the person. While the store refuses writes (a profile folder that became read-only, a full
disk) the editor keeps what was typed since the last save on screen and tries again, but the lock threw
those words away with the editor. Now the lock hands them here:

- they are kept in this process's memory only (never in a file, the settings or a log), as the store's
  key is while the app is locked and sending goes on;
- they are saved as soon as the store takes them, tried again every few seconds while it does not;
- if the draft is opened again first, the editor is given them instead of the store's older answers, and
  its own autosave (with its "Not saved" line and its questions on the way out) takes over from here.

The same holds for the words of a reply in the conversation's reply box when its page is left (or the
app locks) while the store refuses them: the box was destroyed with the page and its save's failure was
never heard. They are kept here, saved as a draft reply as soon as the store takes them, and put back in
the box if the referral's page is opened again first.

Given up only when the store can no longer hold them (the draft is gone, or no longer a draft; a referral
iART has decided takes no reply).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer

log = logging.getLogger(__name__)

#: How often a save the store refused is tried again (the editor's own autosave waits as long).
RETRY_MS = 5000


class HeldAnswers:
    """One per window; used on the GUI thread, saving through the store's task runner."""

    def __init__(self, runner: Any, retry_ms: int = RETRY_MS) -> None:
        self._runner = runner
        self._held: dict[tuple[str, str], Any] = {}  # ("answers" | "reply", referral id) -> what is held
        self._retry = QTimer()
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._save_all)

    def __contains__(self, referral_id: str) -> bool:
        return any(key[1] == str(referral_id) for key in self._held)

    def hold(self, referral_id: str, answers: dict) -> None:
        """Keep ``answers`` (the editor's, not yet saved) and save them as soon as the store takes them."""
        self._keep(("answers", str(referral_id)), answers)
        log.warning("answers not yet saved were taken off the screen by the lock; saving is tried again")

    def hold_reply(self, referral_id: str, text: str) -> None:
        """Keep the words of a draft reply the store refused as its page went, and save them when it takes
        them."""
        self._keep(("reply", str(referral_id)), text)
        log.warning("a draft reply not yet saved left the screen; saving is tried again")

    def take(self, referral_id: str) -> dict | None:
        """The answers held for ``referral_id``, handed to an editor opening it (and no longer held)."""
        return self._held.pop(("answers", str(referral_id)), None)

    def take_reply(self, referral_id: str) -> str | None:
        """The reply words held for ``referral_id``, handed to its reply box (and no longer held)."""
        return self._held.pop(("reply", str(referral_id)), None)

    def _keep(self, key: tuple[str, str], value: Any) -> None:
        self._held[key] = value
        self._save_all()

    def save_now(self) -> bool:
        """Try to save everything held, waiting for it (the app is closing): True when nothing is left."""
        for key, value in list(self._held.items()):
            try:
                self._runner.run_sync(lambda key=key, value=value: _save(self._runner.store, key, value))
            except Exception as error:  # noqa: BLE001 - told below, never lose the window over it
                self._failed(key, value, error)
            else:
                self._saved(key, value)
        return not self._held

    def _save_all(self) -> None:
        for key, value in list(self._held.items()):
            self._runner.run_with_store(lambda store, key=key, value=value: _save(store, key, value)).success(
                lambda _saved, key=key, value=value: self._saved(key, value)
            ).failure(lambda error, key=key, value=value: self._failed(key, value, error))

    def _saved(self, key: tuple[str, str], value: Any) -> None:
        if self._held.get(key) is value:
            del self._held[key]
            log.info("%s held after leaving the screen is saved", key[0])

    def _failed(self, key: tuple[str, str], value: Any, error: BaseException) -> None:
        from referral_desktop.store.errors import NotEditable, ReferralNotFound

        if isinstance(error, (ReferralNotFound, NotEditable)):  # nowhere left to keep them
            if self._held.get(key) is value:
                del self._held[key]
            log.warning("%s held after leaving the screen given up: the referral can no longer take it (%s)",
                        key[0], type(error).__name__)
            return
        log.warning("%s held after leaving the screen not saved yet (%s); trying again", key[0],
                    type(error).__name__)
        if not self._retry.isActive():
            self._retry.start()


def _save(store: Any, key: tuple[str, str], value: Any) -> Any:
    kind, referral_id = key
    if kind == "reply":
        return store.replies.save_draft(referral_id, value)
    return store.referrals.save_answers(referral_id, value)
