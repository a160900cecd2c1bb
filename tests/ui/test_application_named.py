"""The application is named and described in words to assistive technology, not by its settings folder's
name and the Python interpreter's path.

Why: Qt's own application object answers ``applicationName()`` ("ReferralDesktop") and, as its description,
``applicationFilePath()``: ``/root/.pyenv/…/python3.11`` from the source (the executable's path in the
frozen build). A screen reader user switching applications heard that. In process here, through the
interfaces Qt's AT-SPI bridge exports; the AT-SPI home walk reads the application's node from the bus.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from referral_desktop.ui.app import DESCRIPTION, build_application

pytestmark = pytest.mark.gui


def test_the_application_is_named_and_described_in_words(qtbot):
    app = build_application()
    interface = QAccessible.queryAccessibleInterface(app)
    assert interface.role() == QAccessible.Role.Application
    assert interface.text(QAccessible.Text.Name) == "Referral Desktop"
    described = interface.text(QAccessible.Text.Description)
    assert described == DESCRIPTION
    assert sys.executable not in described and "python" not in described.lower() and "/" not in described


def test_the_application_still_holds_its_windows(qtbot):
    """Its own interface answers for the tree's root: the windows are still its children, and it their parent."""
    app = build_application()
    window = QWidget()
    window.setWindowTitle("A window")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    root = QAccessible.queryAccessibleInterface(app)
    children = [root.child(index).object() for index in range(root.childCount())]
    assert window in children
    shown = QAccessible.queryAccessibleInterface(window)
    assert root.indexOfChild(shown) == children.index(window)
    assert shown.parent().text(QAccessible.Text.Name) == "Referral Desktop"
    window.activateWindow()
    qtbot.waitUntil(lambda: root.focusChild() is not None and root.focusChild().object() is window, timeout=2_000)
