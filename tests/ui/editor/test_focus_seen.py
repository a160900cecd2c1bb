"""Where keyboard focus lands in the editor, a sighted keyboard user can see it (WCAG 2.4.7, 1.4.11).

The error summary takes focus when it appears (GOV.UK), but nothing on screen changed when it did: the
box looked the same focused or not, so someone who pressed Continue saw the problems and no sign of
where their next Tab would start.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.theme import contrast_ratio
from tests.ui.test_accessibility import themed
from tests.ui.test_contrast_pixels import PALETTES

pytestmark = pytest.mark.gui

NON_TEXT = 3.0


def _changed_to_contrast(before: QImage, after: QImage, against: QColor) -> int:
    """Pixels that focus turned from under 3:1 to at least 3:1 against ``against``."""
    return sum(1 for x in range(min(before.width(), after.width())) for y in range(min(before.height(), after.height()))
               if contrast_ratio(QColor.fromRgb(after.pixel(x, y)), against) >= NON_TEXT
               and contrast_ratio(QColor.fromRgb(before.pixel(x, y)), against) < NON_TEXT)


@pytest.mark.parametrize("palette_name", ["GOV.UK light", "dark", "high contrast"])
def test_the_focused_error_summary_shows_that_it_has_focus(open_editor, qtbot, palette_name):
    with themed(PALETTES[palette_name]()):
        editor = open_editor(answers={"referrer_type": "professional", "referrer_role": "Teacher"})
        editor.go_to(editor._section_index("about_you"))
        editor.go_next()  # Continue on a half-answered section: its errors and the summary
        editor.go_previous()
        page = editor.current_page()
        summary = page.summary
        assert summary is not None and summary.isVisible()
        editor.step_list.setFocus()
        QApplication.processEvents()
        unfocused = summary.grab().toImage()
        page.focus_summary()
        qtbot.waitUntil(summary.hasFocus)
        QApplication.processEvents()
        focused = summary.grab().toImage()
        background = summary.palette().color(QPalette.ColorRole.Window)
        # At least a line the box's width, twice over (top and bottom), stands out once focused.
        assert _changed_to_contrast(unfocused, focused, background) >= 2 * summary.width(), palette_name
        summary.links[0].setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        assert _changed_to_contrast(summary.grab().toImage(), focused, background) >= 2 * summary.width(), (
            "the mark goes when focus moves on to a link")
