"""The running QApplication, typed as one.

PySide6's stubs declare ``QApplication.instance()`` with the return type of the method it inherits,
``QCoreApplication``; in this app the instance is always a ``QApplication`` (widgets need one). One
checked narrowing here, instead of a cast wherever the application's palette, font or filters are used.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def running_application() -> QApplication | None:
    """The QApplication this process runs, or None before one is made."""
    app = QApplication.instance()
    if app is None:
        return None
    if not isinstance(app, QApplication):
        raise TypeError("the running Qt application has no widgets (a QCoreApplication)")
    return app
