"""A message box whose icons grow with the text: the warning sign and the buttons' icons (Cancel's cross).

Why: the style gives a message box's sign and a button's icon fixed sizes (48 and 16 px in Fusion), so at
200 % text they stayed their 100 % size beside letters twice as tall, the only things on screen that did
not double. The box scales them by the text's size against the app's body text (``theme.BODY_POINTS``), and
again when its font or style changes: a palette switch redraws the style sheet, and Qt's box then puts
back its style-sized sign. The box keeps its icon kind (``icon()`` is still Warning), which is what tells
assistive technology it is a warning; only the picture is redrawn larger.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QStyle, QWidget

from referral_desktop.ui.theme import BODY_POINTS

#: The style's picture for each kind of box.
_PICTURES = {
    QMessageBox.Icon.Information: QStyle.StandardPixmap.SP_MessageBoxInformation,
    QMessageBox.Icon.Warning: QStyle.StandardPixmap.SP_MessageBoxWarning,
    QMessageBox.Icon.Critical: QStyle.StandardPixmap.SP_MessageBoxCritical,
    QMessageBox.Icon.Question: QStyle.StandardPixmap.SP_MessageBoxQuestion,
}
#: Qt's name for the label that holds the sign (the same in Qt 5 and 6).
_ICON_LABEL = "qt_msgboxex_icon_label"


def text_scale(widget: QWidget) -> float:
    """How much larger than the app's body text the widget's text is (never below 1: a smaller system font
    is raised to the body size by the theme, so icons never shrink below the style's)."""
    points = widget.font().pointSizeF()
    return max(1.0, points / BODY_POINTS) if points > 0 else 1.0


def fit_button_icons(widget: QWidget, buttons: Iterable[QAbstractButton]) -> None:
    """The buttons' icons (Cancel's cross) at the widget's text scale, as a message box's: also for a
    dialog's own button box (the forgotten-passphrase dialog's cross stayed 16 px at 200 % text)."""
    side = round(widget.style().pixelMetric(QStyle.PixelMetric.PM_ButtonIconSize, None, widget) * text_scale(widget))
    for button in buttons:
        button.setIconSize(QSize(side, side))


class MessageBox(QMessageBox):
    """A QMessageBox (same constructor) with its sign and buttons' icons at the text's scale."""

    def text_scale(self) -> float:
        return text_scale(self)

    def fit_icons(self) -> None:
        scale = self.text_scale()
        style = self.style()
        picture = _PICTURES.get(self.icon())
        label = self.findChild(QLabel, _ICON_LABEL)
        if picture is not None and label is not None:
            side = round(style.pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self) * scale)
            label.setPixmap(style.standardIcon(picture, None, self).pixmap(QSize(side, side),
                                                                           self.devicePixelRatioF()))
        fit_button_icons(self, self.buttons())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.fit_icons()  # before Qt's box sizes itself on show
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)  # on a style change Qt puts back the style-sized sign: fit it again after
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.fit_icons()


def tell(parent, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """What ``QMessageBox.warning`` and ``information`` show (one OK, waiting for it), icons at the
    text's scale: Qt's static boxes keep the style's sizes."""
    box = MessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()
