"""What the editor says and does while its answers cannot be saved (a full disk, a store that cannot be
written), so that nothing typed is lost on the way out.

Why: the autosave keeps the answers on screen and tries again, but every way out of the editor used to
drop them. "Back to referrals" flushed, ignored the failure and closed the page; closing the window did
the same; and "Send referral" flushed, ignored the failure and froze the answers the store held, so the
referral queued was not the one on screen (which then turned read-only, showing words that were never
saved and would never reach iART). And the failure was said in the quiet "Saved 4:24pm" line at the foot
of the step list, in the same grey, and heard only politely behind the typing.

Now, while a save fails:
- the line reads as an error (the style sheet's ``role="error"``: bold, in the error colour) and is
  announced assertively once; it goes back to "Saved …" (heard) when a save succeeds;
- "Back to referrals" and closing the window first ask, with "Keep this page open" as the default:
  leaving would lose the changes since the last save, and the person may have to (a dying battery);
- "Send referral" sends nothing and says why, since what would be sent is not what is on screen.
The idle lock is the window's and is not held up here (see the window's ``lock``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from referral_desktop.ui.accessibility import announce

log = logging.getLogger(__name__)

KEEP = "Keep this page open"
LEAVE = "Leave and lose the changes"
CLOSE = "Close and lose the changes"
LOSS = ("If you leave now, the changes made since the last save are lost. Keep this page open until "
        "it says Saved; if saving goes on failing, tell IT what it says.")
NOT_SENT = ("Nothing was sent: your latest changes are not saved, so the referral iART would receive is not "
            "the one on this screen. It can be sent once this page says Saved.")


def _show_as_error(label: QLabel, error: bool) -> None:
    """Switch the label between the quiet status and the style sheet's error text, and redraw it."""
    if bool(label.property("role") == "error") == error:
        return
    label.setProperty("role", "error" if error else None)
    style = label.style()
    style.unpolish(label)
    style.polish(label)
    label.update()


class UnsavedAnswers(QObject):
    """Follows one editor's autosave; guards its ways out while the latest answers are not saved."""

    def __init__(self, editor: Any, label: QLabel) -> None:
        super().__init__(editor)
        self._editor = editor
        self._label = label
        self.failure = ""  # the last save's failure, "" once a save succeeded
        self.dialog: QMessageBox | None = None  # open while asking (tests answer it)
        self._closing_anyway = False
        editor.autosaver.save_failed.connect(self._failed)
        editor.autosaver.saved.connect(self._saved)

    # -- what the line says ---------------------------------------------------------------------------
    def _failed(self, text: str) -> None:
        first = not self.failure or text != self._label.text()
        self.failure = text
        quiet = getattr(self._label, "announce_changes", None)
        if quiet is not None:
            self._label.announce_changes = False  # type: ignore[attr-defined]  # heard assertively below
        self._label.setText(text)
        if quiet is not None:
            self._label.announce_changes = quiet  # type: ignore[attr-defined]
        _show_as_error(self._label, True)
        if first and self._label.isVisible():
            announce(self._label, text, assertive=True)

    def _saved(self, _moment: Any) -> None:
        self.failure = ""
        _show_as_error(self._label, False)

    # -- the ways out ---------------------------------------------------------------------------------
    def leave(self, then: Callable[[], None]) -> None:
        """``then()`` once the answers are saved; if they cannot be, ask first (keeping is the default)."""
        if self._editor.flush():
            then()
            return
        self._ask("Your latest changes are not saved", LEAVE, then)

    def may_send(self) -> bool:
        """True when the store holds what is on screen; else say that nothing was sent."""
        if self._editor.flush():
            return True
        log.warning("send refused: the latest answers are not saved")
        box = self._box("Not sent", f"{NOT_SENT}\n\n{self.failure}".strip())
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Ok))
        box.open()
        return False

    def window_closing(self, window: QWidget, event: QEvent) -> bool:
        """The window is closing: True (the close refused, a question asked) while answers are unsaved."""
        if self._closing_anyway or self._editor.flush():
            return False
        event.ignore()
        if self.dialog is None:
            self._ask("Close Referral Desktop without your latest changes?", CLOSE, lambda: self._close(window))
        return True

    def _close(self, window: QWidget) -> None:
        self._closing_anyway = True
        window.close()

    # -- the question ---------------------------------------------------------------------------------
    def _box(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self._editor.window())
        box.setObjectName("unsavedAnswersDialog")
        box.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = box
        return box

    def _ask(self, title: str, lose: str, then: Callable[[], None]) -> None:
        box = self._box(title, f"{self.failure}\n\n{LOSS}".strip())
        proceed = box.addButton(lose, QMessageBox.ButtonRole.DestructiveRole)
        proceed.setObjectName("loseChanges")
        proceed.setProperty("destructive", True)  # GOV.UK: destructive actions are red, and confirmed
        keep = box.addButton(KEEP, QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepPage")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: then() if button is proceed else None)
        box.open()
