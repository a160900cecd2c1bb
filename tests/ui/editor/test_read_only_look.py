"""A referral that can no longer be changed shows its answers as answers, not as boxes to type in.

Why: the banner said "This referral is queued and can no longer be changed", and under it every answer
sat in the same box with a 2 px edge in the text colour as on a draft, inviting typing that did nothing
(found by looking at a queued referral in the editor). Each answer is now its words behind a grey bar, no
box, said to be read-only to a screen reader, and still selectable and copyable (people copy a
reference or an address out of what they sent), its text at 4.5:1 or more in every palette.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from referral_desktop.ui.editor.demo_answers import full_answers
from referral_desktop.ui.theme import contrast_ratio
from tests.ui.test_accessibility import themed
from tests.ui.test_contrast_pixels import PALETTES

pytestmark = pytest.mark.gui

TEXT, NON_TEXT = 4.5, 3.0


def _answer_widgets(editor):
    """The one-line answer, the long answer and the drop-down's answer on "About you"."""
    editor.go_to(editor._section_index("about_you"))
    name = editor.row_for("referrer_name").input.focus_target()
    address = editor.row_for("referrer_address").input.focus_target()
    source = editor.row_for("referral_source").input.focus_target()
    return name, address, source


def _page_colour(editor) -> QColor:
    page = editor.current_page()
    return page.widget().palette().color(page.widget().backgroundRole())


def _box_edge(widget: QWidget, page_colour: QColor) -> float:
    """The most contrasting pixel along the widget's top edge (its top 2 rows, middle half) against the
    page: a box's border shows here; an answer without a box shows the page."""
    image = widget.grab().toImage()
    xs = range(image.width() // 4, 3 * image.width() // 4)
    return max(contrast_ratio(QColor.fromRgb(image.pixel(x, y)), page_colour) for x in xs for y in (0, 1))


def _text_contrast(widget: QWidget) -> float:
    """The darkest (or lightest) glyph pixel against the field's own background, inside the text's area."""
    image = widget.grab().toImage()
    rect = QRect(12, 4, min(image.width() - 16, 120), image.height() - 8)
    background = QColor.fromRgb(image.pixel(image.width() - 6, image.height() // 2))
    return max(contrast_ratio(QColor.fromRgb(image.pixel(x, y)), background)
               for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom()))


@pytest.mark.parametrize("palette_name", ["GOV.UK light", "dark", "high contrast"])
def test_answers_that_cannot_be_changed_have_no_box_and_read_at_4_5_to_1(open_editor, palette_name):
    with themed(PALETTES[palette_name]()):
        draft = open_editor(answers=full_answers("1.0.0"))
        editable = _answer_widgets(draft)
        QApplication.processEvents()
        page = _page_colour(draft)
        assert all(_box_edge(w, page) >= NON_TEXT for w in editable), "a draft's answers are boxes"
        draft.close()

        sent = open_editor(answers=full_answers("1.0.0"), state="queued")
        fixed = _answer_widgets(sent)
        QApplication.processEvents()
        page = _page_colour(sent)
        for widget in fixed:
            assert widget.isVisible()
            assert _box_edge(widget, page) < 1.5, (palette_name, type(widget).__name__, "looks like a box to type in")
            assert _text_contrast(widget) >= TEXT, (palette_name, type(widget).__name__)


def test_answers_that_cannot_be_changed_become_answers_when_the_referral_is_queued(open_editor):
    """Queued from the editor (Send referral): the page already built changes at once."""
    with themed(PALETTES["GOV.UK light"]()):
        editor = open_editor(answers=full_answers("1.0.0"))
        _answer_widgets(editor)
        editor.set_read_only()
        name, address, source = _answer_widgets(editor)  # the answers' words, in place of the boxes
        QApplication.processEvents()
        page = _page_colour(editor)
        for widget in (name, address, source):
            assert _box_edge(widget, page) < 1.5, type(widget).__name__


def test_a_fixed_answer_is_selectable_copyable_and_read_only_to_a_screen_reader(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"), state="queued")
    name, address, source = _answer_widgets(editor)
    clipboard = QGuiApplication.clipboard()
    for widget, expected in ((name, "Alex Sample"), (address, "1 School Lane\nChester"), (source, "School")):
        assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus, "reached by Tab, to be read and copied"
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        clipboard.clear()
        qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(widget, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda e=expected: clipboard.text() == e)
        qtbot.keyClicks(widget, "X")
        _heard_as_read_only_text(widget, expected)
    assert editor.model.answers["referrer_name"] == "Alex Sample"
    assert editor.model.answers["referral_source"] == full_answers("1.0.0")["referral_source"]
    # As tall as its two lines: the long answer's box kept a blank third line below them.
    assert address.height() < 3 * address.fontMetrics().lineSpacing() + 12, address.height()
    editor.go_to(editor._section_index("children"))
    born = editor.row_for("children[0].date_of_birth").input.focus_target()
    assert born.isVisible() and born.focusPolicy() != Qt.FocusPolicy.NoFocus
    _heard_as_read_only_text(born, "27 March 2016")  # as the check page writes it


def _heard_as_read_only_text(widget, words: str) -> None:
    """What Qt's AT-SPI bridge reads (tests/ui/atspi/test_editor_walk.py on the real bus): READ_ONLY and
    not EDITABLE, the question as its name, the answer's words through the Text interface. Qt's read-only
    line edit said EDITABLE too."""
    interface = QAccessible.queryAccessibleInterface(widget)
    state = interface.state()
    assert state.readOnly and not state.editable, (type(widget).__name__, state.readOnly, state.editable)
    assert interface.text(QAccessible.Text.Name), "named by its question"
    text = interface.textInterface()
    assert text is not None and text.text(0, text.characterCount()) == words, type(widget).__name__
