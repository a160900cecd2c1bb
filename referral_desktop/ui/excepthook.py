"""Unexpected errors: report briefly and keep the window responsive, never a frozen event loop.

Why: an uncaught exception in a Qt slot can leave PySide's event loop running with nothing drawn. The
hook logs the exception type and stack (never its message, which could quote an answer), and shows a
short window saying something went wrong and that work is saved. Repeated failures close the app.
An exception that escapes a background thread (the sender, the store worker) is logged and written to
a crash report the same way; it shows no window, since the professional's screen was not what failed.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # QMessageBox is bound when first needed, not at start-up
from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)

MAX_REPORTS = 3
MESSAGE = (
    "Something went wrong in Referral Desktop ({kind}).\n\n"
    # Not "nothing you entered has been lost": untrue while saves fail (ui/unsaved_answers.py).
    "Your answers are saved as you type; if a page could not save them, it says so and keeps them on "
    "screen. "
    "If this keeps happening, close the app and open it again, and tell your IT service desk."
)


class ErrorReporter:
    """Installed as ``sys.excepthook`` while the GUI runs."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.count = 0
        self.dialog: QMessageBox | None = None
        self._finished_dialog: QMessageBox | None = None  # see _finished
        self._previous = sys.excepthook
        self._previous_thread_hook = threading.excepthook

    def install(self) -> ErrorReporter:
        sys.excepthook = self
        threading.excepthook = self.thread_hook
        return self

    def uninstall(self) -> None:
        sys.excepthook = self._previous
        threading.excepthook = self._previous_thread_hook

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: type and frames to the log and a crash report, never the message."""
        if args.exc_type is SystemExit:
            return
        from referral_desktop.diagnostics.crash_report import write_crash_report

        frames = "".join(traceback.format_tb(args.exc_traceback)) if args.exc_traceback else ""
        log.error("unexpected %s in a background thread\n%s", args.exc_type.__name__, frames)
        write_crash_report(args.exc_type, args.exc_value, args.exc_traceback, where="background thread")

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.app.quit()
            return
        self.count += 1
        frames = "".join(traceback.format_tb(tb)) if tb else ""
        log.error("unexpected %s\n%s", kind.__name__, frames)
        from referral_desktop.diagnostics.crash_report import write_crash_report

        write_crash_report(kind, error, tb, where="gui")
        if self.count > MAX_REPORTS:
            log.error("too many unexpected errors; closing")
            QTimer.singleShot(0, lambda: self.app.exit(70))
            return
        if self.dialog is not None and self.dialog.isVisible():
            return
        box = QtWidgets.QMessageBox
        dialog = box(box.Icon.Critical, "Something went wrong", MESSAGE.format(kind=kind.__name__))
        dialog.setObjectName("errorDialog")
        dialog.setStandardButtons(box.StandardButton.Ok | box.StandardButton.Close)
        dialog.button(box.StandardButton.Close).setText("Close the app")
        dialog.button(box.StandardButton.Ok).setText("Carry on")
        dialog.finished.connect(self._finished)
        self.dialog = dialog
        # open(), not exec(): never a nested loop inside the slot that just failed.
        dialog.open()

    def _finished(self, result: int) -> None:
        # Kept (until the next error's box replaces it), never dropped here: the box has no parent, so
        # dropping the last reference deleted it inside its own button's click, and the app crashed
        # (a segmentation fault, seen in the tests of "Close the app" while saves fail).
        self._finished_dialog = self.dialog
        self.dialog = None
        if result == QtWidgets.QMessageBox.StandardButton.Close:
            self._close_the_app()

    def _close_the_app(self) -> None:
        """Close the windows as their own close button does, then end. Why: ending the event loop at once
        skipped the editor's save on close, so the words typed in the last moment were lost although the
        message says nothing has been; and while answers cannot be saved the editor asks first and keeps
        the window open (``ui/unsaved_answers.py``), so the app stays until the person chooses."""
        self.app.closeAllWindows()
        if not any(widget.isVisible() for widget in self.app.topLevelWidgets()):
            self.app.exit(70)
