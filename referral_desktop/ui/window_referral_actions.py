"""What the window does with a referral: start one, queue it for sending, confirm it, export it.

Why apart from the window: these are the actions with consequences (a draft created, a referral queued
for iART, an unencrypted PDF written); each says what happened or why it did not, and a reader checking
that finds them together. The sender itself is trusted (``sync``); this only queues and nudges it.

``ReferralActionsMixin`` is mixed into ``MainWindow`` (main_window.py), which owns the attributes it uses.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6 import QtWidgets  # dialogs are looked up when used: binding a Qt class costs at start-up
from PySide6.QtCore import QTimer

from referral_desktop.ui.window_mixin_base import MainWindowBase
from referral_desktop.ui.window_navigation import is_editor_host

log = logging.getLogger("referral_desktop.ui.main_window")  # the window's log, as before the split

FORM_ID = "cwac-marf"


def latest_form_version() -> str:
    from referral_desktop.domain.form_catalog import latest_form

    return latest_form(FORM_ID).version


class ReferralActionsMixin(MainWindowBase):
    """New referral, send, the confirmation page, export to PDF, and the message when one of them fails."""

    def new_referral(self) -> None:
        if self.unlocked:
            from referral_desktop.ui.screens.urgency import UrgencyScreen

            screen = UrgencyScreen(self.context)
            screen.cancelled.connect(self.show_home)
            screen.start_draft.connect(self._create_draft)
            self._replace(screen)

    def _create_draft(self, answers: dict) -> None:
        def create(store: Any) -> str:
            referral = store.referrals.create_draft(FORM_ID, latest_form_version(), answers)
            return str(referral.id)

        self.context.runner.run_with_store(create).success(self.open_editor).failure(
            lambda e: self._problem("The referral could not be started.", e)
        )

    def export_referral(self, referral_id: str) -> None:
        from referral_desktop.ui.export_pdf import ExportFlow

        self.export_flow = ExportFlow(
            self.context, self,
            done=lambda path: self.statusBar().showMessage(f"Saved {Path(path).name} (not encrypted).", 10_000),
            failed=self._export_not_written,
            saving=lambda: self.statusBar().showMessage("Saving the PDF…"),  # until "Saved …" or a failure
        )
        self.export_flow.start(referral_id)

    def _export_not_written(self, message: str) -> None:
        self.statusBar().clearMessage()  # "Saving the PDF…" is no longer true
        self._tell("Export", message)

    def send_referral(self, referral_id: str) -> None:
        from referral_desktop.ui.send_referral import queue_referral

        if is_editor_host(self.current):
            self.current.flush()
        self.context.runner.run_with_store(
            queue_referral, referral_id, self.context.policy, self.context.clock()
        ).success(lambda _result: self._queued(referral_id)).failure(self._queue_failed)

    def _queued(self, referral_id: str) -> None:
        worker = self.context.sync_worker
        for name in ("nudge", "send_now", "wake"):
            if callable(getattr(worker, name, None)):
                getattr(worker, name)()
                break
        self.show_confirmation(referral_id)

    def show_confirmation(self, referral_id: str) -> None:
        """The confirmation page (sent with its reference, or waiting and why); it follows the sender."""
        from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen

        screen = SentConfirmationScreen(self.context)
        screen.back_requested.connect(self.show_home)
        screen.view_requested.connect(self.open_detail)
        self._replace(screen)
        screen.load(referral_id)
        # The editor that had focus is gone: give it to the page's action once the page is on screen.
        button = screen.back_button
        QTimer.singleShot(0, button, button.setFocus)

    def _queue_failed(self, error: BaseException) -> None:
        from referral_desktop.ui.send_referral import QueueRefused

        if is_editor_host(self.current) and self.current.editor is not None:
            self.current.editor.sending_finished()
        if isinstance(error, QueueRefused):
            self._tell("Not ready to send", f"{error} Check your answers and try again.", warning=False)
        else:
            self._problem("The referral could not be queued.", error)

    def _problem(self, message: str, error: BaseException) -> None:
        log.warning("%s (%s)", message, type(error).__name__)
        self._tell("Referral Desktop", message)

    def _tell(self, title: str, text: str, *, warning: bool = True) -> None:
        """A box waiting for OK, its sign and icons as large as the text (widgets.message_box)."""
        from referral_desktop.ui.widgets.message_box import tell

        icon = QtWidgets.QMessageBox.Icon.Warning if warning else QtWidgets.QMessageBox.Icon.Information
        tell(self, icon, title, text)
