"""At 200 % text on a laptop an error-summary link longer than the summary is wide was cut at its edge
("Select yes if you have consulted your Designated S"): the message a user must act on, unread. Links
now wrap onto further lines, like GOV.UK's, and stay one Tab stop each with the whole message as name."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from referral_desktop.ui.editor.error_summary import ErrorSummary
from referral_desktop.ui.theme import contrast_ratio
from tests.ui.test_accessibility import themed
from tests.ui.test_contrast_pixels import PALETTES

pytestmark = pytest.mark.gui

LONG = "Select yes if you have consulted your Designated Safeguarding Lead about this referral"


def _ink_rows(link) -> list[int]:
    image = link.grab().toImage()
    background = link.palette().color(QPalette.ColorRole.Window)
    return [y for y in range(image.height())
            if any(contrast_ratio(QColor.fromRgb(image.pixel(x, y)), background) >= 3.0
                   for x in range(0, image.width(), 2))]


def test_a_long_summary_link_wraps_whole_at_200_percent(qtbot):
    with themed(PALETTES["GOV.UK light"](), 2.0):
        page = QWidget()
        summary = ErrorSummary(page)
        column = QVBoxLayout(page)
        column.addWidget(summary)
        column.addStretch(1)  # as on a section page: the summary is as tall as its links need
        summary.set_errors([("referrer_name", "Enter your full name"), ("dsl_consulted", LONG)])
        qtbot.addWidget(page)
        page.resize(560, 600)
        page.show()
        qtbot.waitExposed(page)
        QApplication.processEvents()
        short, long_link = summary.links
        metrics = long_link.fontMetrics()
        assert metrics.horizontalAdvance(LONG) > long_link.width()  # it cannot fit on one line
        assert long_link.geometry().right() <= summary.contentsRect().right()
        # Drawn on more than one line: ink in rows further apart than one line of text.
        rows = _ink_rows(long_link)
        assert rows and rows[-1] - rows[0] > metrics.height() * 1.5, (rows[:1], rows[-1:], metrics.height())
        assert long_link.height() >= 2 * metrics.height()
        assert short.height() < 2 * metrics.height()  # a message that fits stays one line
        assert long_link.text() == LONG and long_link.accessibleName() in ("", LONG)
