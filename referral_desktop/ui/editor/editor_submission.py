"""Errors and sending in the editor: iART's reasons, checking everything, "Send referral", read-only.

Why apart from the screen: what the professional is told about problems (iART's reasons on the fields,
the summary on the check page) and what happens when they press "Send referral" (flush, check, progress,
then the window queues it) are the steps that decide whether a referral leaves this computer; a reader
checking them finds them together. When errors appear is error_timing.py; how they look is
validation_view.py and the error components. The screen (editor_screen.py) owns the attributes this uses.
"""

from __future__ import annotations

import logging
from typing import Any

from referral_desktop.ui.editor.editor_mixin_base import EditorScreenBase

log = logging.getLogger("referral_desktop.ui.editor.editor_screen")  # the editor's log, as before the split


class SubmissionMixin(EditorScreenBase):
    """Mixed into ``EditorScreen``: rejections shown, check all, send and its progress, locking the editor."""

    def _apply_rejections(self, reasons: list[Any]) -> None:
        self.validation.set_rejections(reasons)
        if self.validation.rejections and not self.read_only:
            self.banner.setText(
                "iART could not accept this referral. The problems are shown next to the questions; "
                "fix them and send it again."
            )
            self.banner.show()

    def check_all(self) -> bool:
        """Validate everything, show every section's errors, summarise them on the check page."""
        return self.error_timing.check_all(self._ensure_check_page())

    def request_send(self) -> None:
        if self.read_only:
            return
        if not self.unsaved.may_send():  # what would be frozen and sent must be what is on screen
            return
        if not self.check_all():
            if self._current != self.step_list.check_row:
                self.go_to(self.step_list.check_row)
            self._fix_tab_order()  # the summary and its links, now shown, come first on the page
            self._ensure_check_page().focus_summary()
            return
        log.info("send requested for referral %s", self.referral_id)
        # Progress at once: queueing (a final check and freezing the payload) takes a moment, and a
        # button that does nothing meanwhile invites a second press.
        send_button = self._ensure_check_page().send_button
        send_button.setText("Sending…")
        send_button.setEnabled(False)
        send_button.repaint()
        self.send_requested.emit(self.referral_id)

    def sending_finished(self) -> None:
        """Queueing was refused or failed: the button is ready for another try."""
        if self.check_page is not None:
            self.check_page.send_button.setText("Send referral")
            self.check_page.send_button.setEnabled(True)

    # -- read-only ------------------------------------------------------------------------------------
    def set_read_only(self, message: str = "This referral has been queued to send and can no longer be changed.") -> None:
        """Lock the editor (after the referral is queued): every input read-only, autosave stopped."""
        self.flush()
        self.read_only = True
        self.context.read_only = True
        self.autosaver.stop()
        for page in self.pages:
            if page.built:
                for row in page.all_rows():
                    row.input.set_read_only(True)
                for view in page.groups.values():
                    view.read_only = True
                    view.rebuild()
        if self.check_page is not None:
            self.check_page.set_read_only()
            self.check_page.refresh()
        self.banner.setText(message)
        self.banner.show()
