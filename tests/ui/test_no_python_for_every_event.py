"""Python is not handed every event of the application, nor the objects Qt is still building.

Why: an application-wide event filter written in Python (the wheel guard and Enter-on-buttons were two)
is called for every event of every object, and PySide makes a Python wrapper for each object it hands
over, including the children a ``QTableView`` creates inside its own constructor. With PySide6 6.11 this
crashed test workers now and then: a segfault in Shiboken's lazy type creation (``Module::get`` under
``getWrapperForQObject``, called from ``sendThroughApplicationEventFilters``, nested twice through the
property PySide sets on a newly wrapped object) while the home screen built its table after an unlock.
The app's wheel and Enter behaviour now live on the controls and the window that need them, and the
idle lock listens on the app's windows (``ui/wheel_guard.py``, ``ui/enter_on_buttons.py``,
``ui/idle_lock.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableView

import referral_desktop

pytestmark = pytest.mark.gui


def _python_called_while(action) -> list[str]:
    """The app's Python functions called (by Qt or otherwise) while ``action`` runs on this thread. (PySide's
    own Python code, such as its enum conversions in 6.10, is left out: it is not the app's to change.)"""
    calls: list[str] = []
    app_code = str(Path(referral_desktop.__file__).parent)

    def profile(frame, event, _arg):
        if event == "call" and frame.f_code.co_filename.startswith(app_code):
            calls.append(f"{frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_code.co_qualname}")

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def test_building_and_showing_a_table_in_the_running_app_calls_no_python(qtbot, context):
    from referral_desktop.ui.app import build_application
    from referral_desktop.ui.main_window import MainWindow

    build_application()  # as the desktop app builds its QApplication
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.idle.start()  # as the unlock does, just before the home screen builds its table
    tables: list[QTableView] = []

    assert _python_called_while(lambda: tables.append(QTableView(window))) == []
    # Shown, each new widget may be given its accessibility interface once (Qt keeps it): with PySide6
    # 6.10 that asks the app's factory (``ui/accessibility.py``: headings, password fields, alerts) for
    # the table's parts, built by then. No event of theirs reaches Python.
    shown = _python_called_while(tables[0].show)
    assert [call for call in shown if call != "accessibility.py:_factory"] == []
    window.idle.stop()
