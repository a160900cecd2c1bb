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

import pytest
from PySide6.QtWidgets import QTableView

pytestmark = pytest.mark.gui


def _python_called_while(action) -> list[str]:
    """The Python functions called (from Qt or otherwise) while ``action`` runs on this thread."""
    calls: list[str] = []

    def profile(frame, event, _arg):
        if event == "call":
            calls.append(f"{frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_code.co_qualname}")

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return [call for call in calls if not call.startswith("test_no_python_for_every_event.py:")]


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
    assert _python_called_while(tables[0].show) == []
    window.idle.stop()
