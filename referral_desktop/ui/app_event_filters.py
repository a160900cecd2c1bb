"""Installing an application-wide event filter exactly once.

Why: the wheel guard and Enter-on-buttons each watch every event of the application; installing one twice
(the app builds its QApplication once, tests build windows many times) would double its work and, for
Enter, click twice. Each filter object is a child of the application named after its class's role, so a
second call finds it.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.gui_application import running_application

F = TypeVar("F", bound=QObject)


def install_once(app: QApplication | None, filter_class: type[F], name: str) -> F:
    """The application's ``filter_class`` filter named ``name``, installed now if it was not already."""
    app = app or running_application()
    if app is None:
        raise RuntimeError(f"{name} is installed on a QApplication, and none has been made")
    existing = app.findChild(filter_class, name)
    if existing is not None:
        return existing
    event_filter = filter_class(app)
    event_filter.setObjectName(name)
    app.installEventFilter(event_filter)
    return event_filter
