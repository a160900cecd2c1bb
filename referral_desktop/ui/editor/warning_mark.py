"""The "Has errors" mark in the list of sections: a triangle with "!", drawn in colours that stand out.

Why not the style's warning icon: it is a yellow triangle, 1.5:1 on white and 1.1:1 on the yellow of the
current section, where it vanished. This one is filled with the error colour (GOV.UK red where it reads
on the list, else the text colour) with the "!" in the list's own colour, and for a selected row in the
selection's text colour with the "!" in the highlight, so it stands out (3:1) on its row either way.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPixmap

from referral_desktop.ui.theme import ERROR_RED, contrast_ratio

NON_TEXT = 3.0


def _drawn(side: int, scale: float, fill: QColor, ink: QColor) -> QPixmap:
    pixmap = QPixmap(round(side * scale), round(side * scale))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    triangle = QPainterPath()
    triangle.moveTo(QPointF(side / 2, side * 0.04))
    triangle.lineTo(QPointF(side * 0.98, side * 0.94))
    triangle.lineTo(QPointF(side * 0.02, side * 0.94))
    triangle.closeSubpath()
    painter.fillPath(triangle, fill)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(6, round(side * 0.62)))
    painter.setFont(font)
    painter.setPen(ink)
    painter.drawText(QRectF(0, side * 0.26, side, side * 0.68), Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return pixmap


def warning_icon(palette: QPalette, side: int, scale: float = 1.0) -> QIcon:
    """The mark for ``palette`` at ``side`` pixels: a normal and a selected form."""
    base = palette.color(QPalette.ColorRole.Base)
    red = QColor(ERROR_RED)
    fill = red if contrast_ratio(red, base) >= NON_TEXT else palette.color(QPalette.ColorRole.Text)
    icon = QIcon()
    icon.addPixmap(_drawn(side, scale, fill, base), QIcon.Mode.Normal)
    icon.addPixmap(_drawn(side, scale, palette.color(QPalette.ColorRole.HighlightedText),
                          palette.color(QPalette.ColorRole.Highlight)), QIcon.Mode.Selected)
    return icon

