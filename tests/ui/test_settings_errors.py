"""Settings' passphrase errors as a sighted keyboard user meets them: the field that takes focus is scrolled
into view, even when the messages just shown have moved the rows (real widgets; what a screen reader
hears is checked on the AT-SPI bus in tests/ui/atspi/test_settings_and_reset_errors_walk.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect

from referral_desktop.ui.screens.settings import SettingsScreen
from tests.ui.conftest import create_store_now

pytestmark = pytest.mark.gui


def _in_view(screen: SettingsScreen, widget) -> bool:
    viewport = screen.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def test_the_first_field_in_error_takes_focus_in_view(qtbot, context, store_api):
    create_store_now(context)
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(900, 420)  # the passphrase section below the fold, as at 200 % text on a laptop
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(lambda: not _in_view(screen, screen.old_pass))  # laid out, below the fold
    screen.change_button.setFocus()
    screen.change_button.click()
    qtbot.waitUntil(lambda: _in_view(screen, screen.old_row), timeout=2_000)  # label, message and field
    assert screen.old_pass.hasFocus()
    assert screen.old_row.error.text() == "Enter your current passphrase"
    assert screen.new_row.error.text()  # the new passphrase's check is shown too (and said: the AT-SPI walk)
