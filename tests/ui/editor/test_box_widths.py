"""A one-line box is drawn as wide as the answer it expects (GOV.UK sizes inputs to the answer), so the
whole answer is seen while it is typed and checked, and never wider than the page allows.

The email box was drawn about 13 characters wide, whatever its 34-character width said: an ordinary
address ("alex.sample@example.org") showed as "mple@example.org", the start cut off, on every page that
asks for one, at every text size.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from referral_desktop.ui.editor.inputs.text_inputs import _WIDTH_CHARS, LineInput

pytestmark = pytest.mark.gui


def _shown_in(qtbot, field_input: QWidget, width: int) -> QWidget:
    page = QWidget()
    QVBoxLayout(page).addWidget(field_input)
    qtbot.addWidget(page)
    page.resize(width, 200)
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    return page


@pytest.mark.parametrize("kind", sorted(_WIDTH_CHARS))
def test_a_box_is_as_wide_as_the_answer_it_expects(qtbot, kind):
    box = LineInput(kind)
    _page = _shown_in(qtbot, box, 1100)
    metrics = box.edit.fontMetrics()
    expected = metrics.horizontalAdvance("M") * _WIDTH_CHARS[kind]
    assert box.edit.width() >= expected * 0.95, (kind, box.edit.width(), expected)


def test_an_ordinary_email_address_is_seen_whole(qtbot):
    box = LineInput("email")
    _page = _shown_in(qtbot, box, 1100)
    address = "alex.sample@example-primary.sch.uk"
    box.set_value(address)
    room = box.edit.contentsRect().width() - 2 * 3  # the style sheet's padding
    assert box.edit.fontMetrics().horizontalAdvance(address) <= room, (box.edit.width(), room)


def test_on_a_narrow_page_the_box_shrinks_with_it(qtbot):
    box = LineInput("email")
    _page = _shown_in(qtbot, box, 260)
    assert box.edit.width() <= 260
