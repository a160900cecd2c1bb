"""The text size changed while the editor is open: the open page follows at once, as a page opened
afterwards would, and the person keeps their place, their focus and what they typed.

Why: with the app's style sheet applied, Qt gives a new application font only to top-level windows; every
widget already built kept the size it was polished at. Every other screen is built anew when it is shown,
so it followed; the editor stays open for as long as a referral takes, and kept the old size (found by
looking at it as a person, changing the text size with a half-typed answer in front of them).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton

from tests.ui.test_accessibility import themed

pytestmark = pytest.mark.gui

TYPED = "Teaches Year 4; the class teacher since September"


def _seen_whole(page, widget) -> bool:
    viewport = page.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def _bigger(app: QApplication, scale: float) -> float:
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    app.setFont(font)  # what Qt does when the system's text size changes; put back by tests/ui/conftest.py
    return font.pointSizeF()


@pytest.mark.parametrize("scale", [2.0, 0.75])
def test_the_open_page_follows_a_new_text_size_keeping_focus_place_and_typing(open_editor, qtbot, scale):
    with themed():
        app = QApplication.instance()
        editor = open_editor(answers={"referrer_type": "professional"})
        editor.go_to(editor._section_index("about_you"))
        page = editor.current_page()
        role = editor.row_for("referrer_role")
        box = role.input.focus_target()
        box.setFocus()
        qtbot.keyClicks(box, TYPED)
        page.ensureWidgetVisible(box)
        QApplication.processEvents()

        new_body = _bigger(app, scale)
        qtbot.waitUntil(lambda: role.label.font().pointSizeF() == new_body, timeout=2000)

        assert role.hint.font().pointSizeF() == new_body if role.hint.isVisible() else True
        assert box.font().pointSizeF() == new_body
        radios = editor.row_for("referrer_type").findChildren(QRadioButton)
        assert radios and all(r.font().pointSizeF() == new_body for r in radios)
        assert role.label.font().bold(), "the question stays bold"
        # Headings keep their place in GOV.UK's scale over the new body text.
        assert page.title.font().pointSizeF() == pytest.approx(1.75 * new_body)
        assert editor.title.font().pointSizeF() == pytest.approx(1.4 * new_body)
        for title in (page.title, editor.title):  # still headings to a screen reader, at their levels
            assert QAccessible.queryAccessibleInterface(title).role() == QAccessible.Role.Heading
        labels = [w for w in editor.findChildren(QLabel) if w.isVisible() and w.property("role") != "heading"]
        assert all(w.font().pointSizeF() == new_body for w in labels), [
            (w.text()[:30], w.font().pointSizeF()) for w in labels if w.font().pointSizeF() != new_body]

        assert editor.current_page() is page
        assert QApplication.focusWidget() is box
        assert box.text() == TYPED
        assert editor.model.answers.get("referrer_role") == TYPED
        QApplication.processEvents()
        assert _seen_whole(page, box), "the box being typed in stays in view"
