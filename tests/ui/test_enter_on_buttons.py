"""Enter presses the focused button on the app's screens, once, as Space does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from referral_desktop.ui.enter_on_buttons import install_enter_on_buttons

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_and_space_press_the_focused_button_once(qtbot, qapp, key):
    install_enter_on_buttons(qapp)
    page = QWidget()
    layout = QVBoxLayout(page)
    button = QPushButton("Save and continue")
    other = QPushButton("Cancel")
    layout.addWidget(button)
    layout.addWidget(other)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    pressed: list[str] = []
    button.clicked.connect(lambda: pressed.append("save"))
    other.clicked.connect(lambda: pressed.append("cancel"))
    qtbot.keyClick(button, key)
    qtbot.waitUntil(lambda: bool(pressed), timeout=2000)
    qtbot.wait(300)
    assert pressed == ["save"]


def test_a_disabled_button_is_not_pressed(qtbot, qapp):
    install_enter_on_buttons(qapp)
    button = QPushButton("Delete draft")
    qtbot.addWidget(button)
    button.show()
    button.setFocus()
    button.setEnabled(False)
    pressed: list[bool] = []
    button.clicked.connect(lambda: pressed.append(True))
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert not pressed
