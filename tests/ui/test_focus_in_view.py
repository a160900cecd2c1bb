"""A page keeps the focused widget in sight while the page settles, and leaves the page where the person
scrolled it once they scroll (ui/widgets/focus_in_view.py, on every ScrollPage and scrolling dialog)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractSlider, QApplication, QLabel, QPushButton

from referral_desktop.ui.widgets.scroll_page import ScrollPage

pytestmark = pytest.mark.gui


def _page(qtbot) -> tuple[ScrollPage, QLabel, QPushButton]:
    page = ScrollPage()
    text = QLabel("Words")
    text.setWordWrap(True)
    button = QPushButton("Back to your referrals")
    page.column.addWidget(text)
    page.column.addWidget(button)
    qtbot.addWidget(page)
    page.resize(500, 300)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2_000)
    return page, text, button


def _in_view(page: ScrollPage, widget) -> bool:
    top = widget.mapTo(page, QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= page.height()


def test_a_focused_button_stays_in_view_as_the_page_above_it_grows(qtbot):
    page, text, button = _page(qtbot)
    button.setFocus()
    text.setText("A long explanation. " * 200)  # loaded after focus was given, as a screen's text is
    qtbot.waitUntil(lambda: page.verticalScrollBar().maximum() > 0)
    qtbot.waitUntil(lambda: _in_view(page, button), timeout=2_000)


def test_once_the_person_scrolls_the_page_stays_where_they_put_it(qtbot):
    page, text, button = _page(qtbot)
    text.setText("A long explanation. " * 200)
    button.setFocus()
    qtbot.waitUntil(lambda: _in_view(page, button), timeout=2_000)
    page.verticalScrollBar().triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)  # reading the top
    text.setText("A longer explanation still. " * 250)
    for _ in range(5):
        QApplication.processEvents()
    assert page.verticalScrollBar().value() == 0
    assert button.hasFocus()


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_status_line_shown_after_focus_does_not_hide_the_focused_button(qtbot, scale):
    """After "Export as PDF…" the window's status bar says "Saved …" (seconds after focus came back to the
    button from the save dialog): the page's viewport shrinks under a button already scrolled to the end."""
    from PySide6.QtWidgets import QMainWindow

    from tests.ui.home_on_laptop import app_text

    with app_text(scale):
        window = QMainWindow()
        page = ScrollPage()
        text = QLabel("A long explanation. " * 400)
        text.setWordWrap(True)
        button = QPushButton("Back to your referrals")
        page.column.addWidget(text)
        page.column.addWidget(button)
        window.setCentralWidget(page)
        qtbot.addWidget(window)
        window.resize(1366, 768 - 70)  # a 1366 x 768 laptop less its taskbar and title bar
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
        button.setFocus()
        qtbot.waitUntil(lambda: _in_view(page, button), timeout=2_000)
        window.statusBar().showMessage("Saved referral.pdf (not encrypted).")
        qtbot.waitUntil(window.statusBar().isVisible, timeout=2_000)
        qtbot.waitUntil(lambda: _in_view(page, button), timeout=2_000)
        window.close()
