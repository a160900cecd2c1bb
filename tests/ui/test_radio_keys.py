"""Radio groups by keyboard: arrow keys choose (not only move focus), and Tab and Shift+Tab always reach
the group again, chosen or not (the urgency question once lost its radios to Shift+Tab)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.screens.urgency import UrgencyScreen

pytestmark = pytest.mark.gui


def _key(key) -> None:
    QTest.keyClick(QApplication.focusWidget(), key)
    QApplication.processEvents()


@pytest.fixture
def urgency(qtbot, context):
    screen = UrgencyScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitActive(screen)
    screen.yes.setFocus()
    qtbot.waitUntil(screen.yes.hasFocus)
    return screen


def test_an_arrow_key_chooses_the_answer_it_moves_to(qtbot, urgency):
    _key(Qt.Key.Key_Down)
    qtbot.waitUntil(urgency.no.isChecked)
    assert urgency.no.hasFocus() and not urgency.yes.isChecked()
    _key(Qt.Key.Key_Up)
    qtbot.waitUntil(urgency.yes.isChecked)
    assert not urgency.no.isChecked()


def test_the_question_is_reached_again_with_shift_tab_when_nothing_is_chosen(qtbot, urgency):
    _key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is urgency.continue_button
    _key(Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() in (urgency.yes, urgency.no)
    assert not urgency.yes.isChecked() and not urgency.no.isChecked()  # Tab alone chooses nothing


def test_the_urgency_question_is_one_tab_stop_entered_on_the_answer_chosen(qtbot, urgency):
    """The screen uses the editor's helper (radio_keys): Shift+Tab from Continue comes back to "No" once
    it is chosen, not to "Yes" (Qt's stop was the option last focused), and Down chose "No"."""
    _key(Qt.Key.Key_Down)
    assert urgency.no.isChecked() and urgency.no.hasFocus()
    _key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is urgency.continue_button
    urgency.yes.setFocus()  # Qt would make "Yes" the stop from here on
    urgency.continue_button.setFocus()
    _key(Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is urgency.no
    _key(Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() not in (urgency.yes, urgency.no)
