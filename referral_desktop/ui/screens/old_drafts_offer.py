"""When home offers old drafts for deletion, and what its notice says afterwards.

Why a module of its own: home lists referrals; offering the drafts untouched for 90 days is a job beside
that, with its own state (the drafts found, whether "Keep them" was chosen, what to say after a deletion)
and its own round trips to the store. It was a third of home's code. The notice and the dialog are
``old_drafts.py``'s; this is the flow between them: after each load of the list the drafts are looked up
on the store thread; the notice offers them unless "Keep them" was chosen (until the next unlock, which
builds a new home); after a deletion it says how many went, once, and the list is loaded again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.screens.old_drafts import STALE_DRAFT_DAYS, OldDraftsDialog, OldDraftsNotice

log = logging.getLogger(__name__)


class OldDraftsOffer(QObject):
    """Owns home's old-drafts notice and, while it is open, the dialog (window-modal over ``page``)."""

    drafts_deleted = Signal()  # the list must be loaded again

    def __init__(self, context: AppContext, page: QWidget, focus_after: Callable[[], QWidget]) -> None:
        super().__init__(page)
        self.context = context
        self._page = page
        self._focus_after = focus_after  # where keyboard focus goes when the dialog closes and the notice has gone
        self.notice = OldDraftsNotice()
        self.notice.review_requested.connect(self.review)
        self.dialog: OldDraftsDialog | None = None
        self._stale_drafts: list[Any] = []
        self._kept = False  # "Keep them": until the next unlock, which builds a new home
        self._message = ""

    def check(self) -> None:
        """Look the old drafts up (after each load of the list), unless kept with nothing left to say."""
        if self._kept and not self._message:
            return
        now = self.context.clock()
        self.context.runner.run_with_store(
            lambda store: store.referrals.stale_drafts(now, days=STALE_DRAFT_DAYS)
        ).owned_by(self._page).success(self._found).failure(
            lambda e: log.warning("old drafts not checked: %s", type(e).__name__)
        )

    def _found(self, drafts: list[Any]) -> None:
        self._stale_drafts = list(drafts)
        message, self._message = self._message, ""
        if drafts and not self._kept:
            self.notice.show_count(len(drafts))
        elif message:
            self.notice.show_message(message)
        else:
            self.notice.setVisible(False)

    def review(self) -> OldDraftsDialog | None:
        """Open the list of old drafts (window-modal); returns it so tests can drive it."""
        if not self._stale_drafts:
            return None
        dialog = OldDraftsDialog(self.context, self._stale_drafts, self._page)
        dialog.deleted.connect(self._deleted)
        dialog.kept.connect(self._kept_all)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: OldDraftsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        # The notice's button may have gone: keep keyboard focus somewhere useful.
        if self.notice.review_button.isVisible():
            self.notice.review_button.setFocus()
        else:
            self._focus_after().setFocus()

    def _kept_all(self) -> None:
        self._kept = True
        self.notice.setVisible(False)

    def _deleted(self, count: int) -> None:
        self._message = f"{count} old {'draft' if count == 1 else 'drafts'} deleted."
        self.notice.setVisible(False)
        self.drafts_deleted.emit()
