"""Enter presses the focused button on the app's screens, once, as Space does; dialogs are Qt's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout

pytestmark = pytest.mark.gui


@pytest.fixture
def unlock_screen(qtbot, context):
    """The real main window on its unlock screen, with a store to unlock."""
    from referral_desktop.ui.main_window import MainWindow
    from tests.ui.conftest import create_locked_store

    create_locked_store(context)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: hasattr(window.current, "forgot_button"), timeout=5000)
    return window


def _watched_forgot_button(qtbot, window) -> tuple:
    """The unlock screen's "Forgotten passphrase" button, focused, its clicks counted instead of acted on."""
    button = window.current.forgot_button
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    pressed: list[str] = []
    button.clicked.disconnect()  # what it opens is not the point here
    button.clicked.connect(lambda: pressed.append("forgotten"))
    return button, pressed


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_and_space_press_the_focused_button_once(qtbot, unlock_screen, key):
    button, pressed = _watched_forgot_button(qtbot, unlock_screen)
    unlock_screen.current.unlock_button.clicked.connect(lambda: pressed.append("unlock"))
    qtbot.keyClick(button, key)
    qtbot.waitUntil(lambda: bool(pressed), timeout=2000)
    qtbot.wait(300)
    assert pressed == ["forgotten"]


def test_a_disabled_button_is_not_pressed(qtbot, unlock_screen):
    button, pressed = _watched_forgot_button(qtbot, unlock_screen)
    button.setEnabled(False)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert not pressed


def test_enter_with_a_modifier_presses_nothing(qtbot, unlock_screen):
    button, pressed = _watched_forgot_button(qtbot, unlock_screen)
    qtbot.keyClick(button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(300)
    assert not pressed


def test_in_a_dialog_enter_is_left_to_qt_which_presses_the_default_button_once(qtbot, unlock_screen):
    dialog = QDialog(unlock_screen)
    column = QVBoxLayout(dialog)
    default, other = QPushButton("Keep"), QPushButton("Close anyway")
    column.addWidget(default)
    column.addWidget(other)
    default.setDefault(True)
    pressed: list[str] = []
    default.clicked.connect(lambda: pressed.append("keep"))
    other.clicked.connect(lambda: pressed.append("close"))
    dialog.open()
    qtbot.waitExposed(dialog)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    qtbot.keyClick(other, Qt.Key.Key_Return)  # in a dialog, Qt presses the focused auto-default button
    qtbot.wait(300)
    assert pressed == ["close"]
