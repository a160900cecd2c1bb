"""The window opens within the screen's available area (checked against the screen, not the window), a
remembered size is used only if it still fits, and the title names the screen once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

from referral_desktop.ui.main_window import GEOMETRY_KEY, MainWindow
from referral_desktop.ui.window_fit import FRAME_ALLOWANCE, available_area, fitted_size, place_window
from tests.ui.test_main_window import _first_run, _open_new_draft

pytestmark = pytest.mark.gui


def test_a_768_px_laptop_gets_a_window_that_fits_under_its_taskbar():
    laptop = QRect(0, 0, 1366, 728)  # 1366 x 768 less a 40 px taskbar
    size = fitted_size(laptop)
    assert size.height() + FRAME_ALLOWANCE.height() <= 728 and size.width() <= 1366
    assert fitted_size(QRect(0, 0, 1920, 1040)) == QSize(1240, 760)  # room: the preferred size


def test_the_window_opens_inside_the_available_screen_area(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    screen = available_area(window)
    assert screen.contains(window.frameGeometry()), (screen, window.frameGeometry())


def test_a_size_remembered_on_a_bigger_monitor_is_not_used_when_it_no_longer_fits(qtbot, context):
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    screen = available_area(elsewhere)
    elsewhere.setGeometry(screen.width() + 500, 50, screen.width() + 400, screen.height() + 300)
    saved = elsewhere.saveGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    place_window(window, saved)
    assert screen.contains(window.frameGeometry())
    assert window.size() != elsewhere.size()
    small = QWidget()
    qtbot.addWidget(small)
    small.setGeometry(screen.x() + 20, screen.y() + 40, screen.width() // 2, screen.height() // 2)
    again = QWidget()
    qtbot.addWidget(again)
    assert place_window(again, small.saveGeometry()) is True
    assert again.size() == small.size()


def test_main_window_ignores_a_remembered_geometry_that_does_not_fit(qtbot, context):
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    screen = available_area(elsewhere)
    elsewhere.setGeometry(screen.width() * 2, 0, screen.width() + 600, screen.height() + 400)
    context.settings.setValue(GEOMETRY_KEY, elsewhere.saveGeometry())
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    assert screen.contains(window.frameGeometry())


def test_the_title_names_each_screen_and_not_the_app_twice(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.windowTitle() == "Set up Referral Desktop", timeout=5000)
    _first_run(qtbot, window)
    assert window.windowTitle() == "Your referrals"
    host = _open_new_draft(qtbot, window)
    editor = host.editor
    assert window.windowTitle() == editor.sections[editor.current_index].title
    editor.go_to_check()
    assert window.windowTitle() == "Check your answers"
    for title in ("Your referrals", "Check your answers"):
        assert "Referral Desktop" not in title  # Qt adds the application's name once, itself


def test_reopening_a_draft_returns_to_the_page_it_was_left_on(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.windowTitle() == "Set up Referral Desktop", timeout=5000)
    _first_run(qtbot, window)
    host = _open_new_draft(qtbot, window)
    editor = host.editor
    referral_id = editor.referral_id
    editor.go_to(editor._section_index("concerns"))
    editor.close_button.click()
    qtbot.waitUntil(lambda: window.current is window.home, timeout=5000)
    window.open_editor(referral_id)
    qtbot.waitUntil(lambda: getattr(window.current, "editor", None) is not None, timeout=10_000)
    again = window.current.editor
    assert again.page_id() == "concerns"
    assert window.windowTitle() == again.sections[again.current_index].title
    stored = str(context.settings.value("editor/last_page"))
    assert referral_id in stored and "concerns" in stored  # ids only: nothing anyone typed
