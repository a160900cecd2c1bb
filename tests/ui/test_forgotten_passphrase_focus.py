"""Where keyboard focus is when the forgotten-passphrase dialog opens, at the body text and at 200 %.

Why: it opened on its scroll area (a Tab stop so the keyboard can scroll the text at 200 %), so a screen
reader said "Forgotten passphrase, filler" and the person was on no control. It now opens on Cancel: the
least destructive choice of a dialog that deletes everything (WAI-ARIA's dialog pattern; the app's other
"cannot be undone" confirmation, deleting old drafts, opens on Cancel too), the default button, and in view
at any text size, while the text stays scrolled to its top, the heading first. A screen reader entering a
dialog reads its name and the text of its labels (Orca: a dialog's "unrelated labels"); the AT-SPI walk
checks that on the bus (tests/ui/atspi/test_settings_and_reset_errors_walk.py).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QScrollArea

from referral_desktop.ui.screens.forgotten_passphrase import ForgottenPassphraseDialog
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui


def _opened(qtbot, context) -> ForgottenPassphraseDialog:
    dialog = ForgottenPassphraseDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2_000)
    qtbot.wait(20)
    return dialog


def _in_view(body: QScrollArea, widget) -> bool:
    top = widget.mapTo(body.viewport(), widget.rect().topLeft()).y()
    return top >= 0 and top + widget.height() <= body.viewport().height()


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_dialog_opens_on_cancel_with_its_text_from_the_top(qtbot, context, fake_store, scale):
    fake_store.unsent = (5, 2)
    with app_text(scale):
        dialog = _opened(qtbot, context)
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert QApplication.focusWidget() is cancel, QApplication.focusWidget()
        assert cancel.isDefault() and cancel.isVisible()
        body = dialog.findChild(QScrollArea, "dialogBody")
        assert body.verticalScrollBar().value() == 0  # the heading in view, the text from its start
        # Enter there cancels; nothing is deleted by a key pressed before reading.
        with qtbot.waitSignal(dialog.rejected, timeout=1_000):
            qtbot.keyClick(cancel, Qt.Key.Key_Return)


def test_back_from_cancel_the_keyboard_reaches_the_field_in_view_at_200_percent(qtbot, context, fake_store):
    """Shift+Tab from Cancel goes to the typed confirmation (the reset button is off until RESET is typed),
    scrolled into view though it starts below the fold at 200 % text; Shift+Tab again reaches the scroll
    area, so the text can still be scrolled from the keyboard."""
    fake_store.unsent = (5, 2)
    with app_text(2.0):
        dialog = _opened(qtbot, context)
        dialog.resize(dialog.width(), min(dialog.height(), 655))  # as tall as it may be on a 1366 x 768 laptop
        qtbot.wait(20)
        body = dialog.findChild(QScrollArea, "dialogBody")
        assert not _in_view(body, dialog.confirm)  # why it matters: at 200 % it is below the fold
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        assert QApplication.focusWidget() is dialog.confirm
        qtbot.wait(20)
        assert _in_view(body, dialog.confirm)
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Backtab)
        assert QApplication.focusWidget() is body
