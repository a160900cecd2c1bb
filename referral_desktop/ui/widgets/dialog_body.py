"""A dialog whose text wraps to a readable width and scrolls, and which fits the screen, at any text size.

Why: at 200 % text the forgotten-passphrase dialog cut its own warnings in half (a fixed 520 px width and
a height taken before the text had wrapped). Its content now sits in a scroll area that wraps to the
dialog's width, with the buttons below it, always visible; the dialog is as wide as about 60 characters
and never wider or taller than most of the screen.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFrame, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.ui.widgets.focus_in_view import FocusInView

#: A comfortable reading width for a dialog's text, in average characters.
READING_CHARS = 60
#: The share of the screen's available area a dialog may take.
SCREEN_SHARE = 0.9


def scrolling_body(dialog: QDialog) -> tuple[QVBoxLayout, QVBoxLayout]:
    """(content column inside the scroll area, the dialog's own layout for the buttons below it)."""
    from PySide6.QtCore import Qt

    outer = QVBoxLayout(dialog)
    area = QScrollArea(dialog)
    area.setObjectName("dialogBody")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # A Tab stop, so the keyboard can scroll text that does not fit (200 % text), and named: an unnamed
    # "filler" tells a screen reader nothing. Set the dialog's title before calling this.
    area.setAccessibleName(dialog.windowTitle() or "Text of the dialog")
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body = QWidget(area)
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    area.setWidget(body)
    FocusInView(area)  # a field reached with Shift+Tab from the buttons is scrolled into view
    outer.addWidget(area, 1)
    return column, outer


def fit_dialog(dialog: QDialog) -> None:
    """About ``READING_CHARS`` wide and as tall as its content, within ``SCREEN_SHARE`` of the screen."""
    screen = (dialog.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    width = min(dialog.fontMetrics().averageCharWidth() * READING_CHARS + 48, int(screen.width() * SCREEN_SHARE))
    layout = dialog.layout()
    wanted = layout.totalHeightForWidth(width) if layout is not None and layout.hasHeightForWidth() else -1
    body = dialog.findChild(QScrollArea, "dialogBody")
    body_widget = body.widget() if body is not None else None
    if body_widget is not None:
        inner = body_widget.layout()
        content = inner.totalHeightForWidth(width - 24) if inner is not None and inner.hasHeightForWidth() else \
            body_widget.sizeHint().height()
        wanted = max(wanted, content + 100)
    height = min(max(wanted, dialog.sizeHint().height()), int(screen.height() * SCREEN_SHARE))
    dialog.resize(width, height)
