"""Answers the idle lock took off the screen before the store would take them: kept, saved, given back.

Why: the lock removes every answer from the screen (anyone may come to an unattended laptop), and it must
not wait for the person. While the store refuses writes (a profile folder that became read-only, a full
disk) the editor keeps what was typed since the last save on screen and tries again, but the lock threw
those words away with the editor. Now the lock hands them here:

- they are kept in this process's memory only (never in a file, the settings or a log), as the store's
  key is while the app is locked and sending goes on;
- they are saved as soon as the store takes them, tried again every few seconds while it does not;
- if the draft is opened again first, the editor is given them instead of the store's older answers, and
  its own autosave (with its "Not saved" line and its questions on the way out) takes over from here.

Given up only when the store can no longer hold them (the draft is gone, or no longer a draft).
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
        self._held: dict[str, dict] = {}
        self._retry = QTimer()
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._save_all)

    def __contains__(self, referral_id: str) -> bool:
        return str(referral_id) in self._held

    def hold(self, referral_id: str, answers: dict) -> None:
        """Keep ``answers`` (the editor's, not yet saved) and save them as soon as the store takes them."""
        self._held[str(referral_id)] = answers
        log.warning("answers not yet saved were taken off the screen by the lock; saving is tried again")
        self._save_all()

    def take(self, referral_id: str) -> dict | None:
        """The answers held for ``referral_id``, handed to an editor opening it (and no longer held)."""
        return self._held.pop(str(referral_id), None)

    def save_now(self) -> bool:
        """Try to save everything held, waiting for it (the app is closing): True when nothing is left."""
        for referral_id, answers in list(self._held.items()):
            try:
                self._runner.run_sync(lambda rid=referral_id, held=answers: self._runner.store.referrals.save_answers(
                    rid, held))
            except Exception as error:  # noqa: BLE001 - told below, never lose the window over it
                self._failed(referral_id, answers, error)
            else:
                self._saved(referral_id, answers)
        return not self._held

    def _save_all(self) -> None:
        for referral_id, answers in list(self._held.items()):
            self._runner.run_with_store(
                lambda store, rid=referral_id, held=answers: store.referrals.save_answers(rid, held)
            ).success(lambda _saved, rid=referral_id, held=answers: self._saved(rid, held)).failure(
                lambda error, rid=referral_id, held=answers: self._failed(rid, held, error)
            )

    def _saved(self, referral_id: str, answers: dict) -> None:
        if self._held.get(referral_id) is answers:
            del self._held[referral_id]
            log.info("answers held at the lock are saved")

    def _failed(self, referral_id: str, answers: dict, error: BaseException) -> None:
        from referral_desktop.store.errors import NotEditable, ReferralNotFound

        if isinstance(error, (ReferralNotFound, NotEditable)):  # nowhere left to keep them
            if self._held.get(referral_id) is answers:
                del self._held[referral_id]
            log.warning("answers held at the lock given up: the draft can no longer take them (%s)",
                        type(error).__name__)
            return
        log.warning("answers held at the lock not saved yet (%s); trying again", type(error).__name__)
        if not self._retry.isActive():
            self._retry.start()
