"""The main window opens within the screen's available area, and a remembered size is used only if it fits.

Why: the window opened at 1240 x 760, taller than a 1366 x 768 laptop's usable height once the taskbar
is counted, so its buttons sat under the taskbar; and a size remembered on a docked monitor came back on
the laptop screen half off it. The available geometry (the screen less taskbars and docks) is the limit,
with room for the window frame, which the window system adds around the size we set.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: The size the window prefers when the screen has room for it.
PREFERRED = QSize(1240, 760)
#: Allowance for the title bar and borders before the window system has told us their size.
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(available: QRect, preferred: QSize = PREFERRED) -> QSize:
    """The preferred size, shrunk so that the window and its frame fit ``available``."""
    return QSize(min(preferred.width(), available.width() - FRAME_ALLOWANCE.width()),
                 min(preferred.height(), available.height() - FRAME_ALLOWANCE.height()))


def place_window(window: QWidget, saved: QByteArray | bytes | None) -> bool:
    """Restore ``saved`` geometry if it fits the screen now; else the fitted size, centred. True when the
    saved geometry was used."""
    available = available_area(window)
    if saved is not None and window.restoreGeometry(saved):
        if available.contains(window.frameGeometry()) or window.isMaximized():
            return True
    size = fitted_size(available)
    window.resize(size)
    frame = QRect(0, 0, size.width() + FRAME_ALLOWANCE.width(), size.height() + FRAME_ALLOWANCE.height())
    frame.moveCenter(available.center())
    window.move(frame.topLeft())
    return False


def keep_on_screen(window: QWidget) -> None:
    """After showing: if the real frame is larger than the allowance made for it, shrink to fit."""
    if window.isMaximized() or window.isFullScreen():
        return
    available = available_area(window)
    frame = window.frameGeometry()
    if available.contains(frame):
        return
    extra_w = frame.width() - window.width()
    extra_h = frame.height() - window.height()
    window.resize(min(window.width(), available.width() - extra_w),
                  min(window.height(), available.height() - extra_h))
    frame = window.frameGeometry()
    left = min(max(frame.left(), available.left()), available.right() - frame.width() + 1)
    top = min(max(frame.top(), available.top()), available.bottom() - frame.height() + 1)
    window.move(left, top)
