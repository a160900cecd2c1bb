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


LONG = "Children's Social Care for a statutory assessment"
OUTCOMES = [("eh", "Early Help"), ("csc", LONG), ("none", "No further action")]


def _chosen_in(qtbot, spare: float):
    """The long answer chosen at 200 % text on a page ``spare`` times as wide as the answer's words:
    the box's width and room, the words' width, and where its first letter is drawn (None: not shown)."""
    from PySide6.QtGui import QFontMetrics

    from referral_desktop.ui.editor.inputs.searchable_choice import SearchableChoiceInput
    from tests.ui.test_accessibility import themed

    with themed(scale=2.0):
        choice = SearchableChoiceInput(OUTCOMES)
        needed = QFontMetrics(choice.combo.font()).horizontalAdvance(LONG)
        _page = _shown_in(qtbot, choice, int(needed * spare))
        choice.set_value("csc")
        QApplication.processEvents()
        box = choice.combo.lineEdit()
        # The cursor before the first letter: its rectangle's middle is where the letter starts.
        first_letter = box.cursorRect().center().x() if box.cursorPosition() == 0 else None
        return choice.combo.width(), box.contentsRect().width(), needed, first_letter


def test_a_chosen_answer_is_seen_whole_at_200_percent_where_the_page_has_room(qtbot):
    """'What outcome are you seeking?' at 200 % text on the laptop screen read 'ial Care for a statutory
    assessment': the drop-down kept to about 18 characters with room to spare beside it, and showed the
    end of the chosen answer."""
    width, room, needed, _first = _chosen_in(qtbot, 1.3)
    assert needed <= room, (width, room, needed)


def test_where_the_page_is_too_narrow_the_answer_shows_its_start(qtbot):
    _width, room, needed, first_letter = _chosen_in(qtbot, 0.6)
    assert needed > room  # the case this test is about
    assert first_letter is not None and first_letter >= 0, first_letter
