"""A narrow editor at large text gives the page the room: the section list takes at most a third.

Why: at 800 px wide and 200 % text the section list and the form's title took 335 px, more than the page
beside them had left after its margins, and the editor was wider than the window (found by looking).
What held the column that wide was "Back to referrals" under the list and the list's own 300 px minimum.
GOV.UK's navigation beside a page narrows and wraps before the page does; nothing in it may be cut: every
word of a section's title and mark, the form's title and every button is seen whole.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.editor.demo_answers import full_answers
from referral_desktop.ui.editor.step_list import SOFT_HYPHEN
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui


def _rect_in(editor, widget) -> QRect:
    return QRect(widget.mapTo(editor, QPoint(0, 0)), widget.size())


def _words_fit(steps) -> list[str]:
    """The words of the list's rows that do not fit the room their row gives its text (a cut word); a
    word may break where it has a soft hyphen, each piece with its hyphen fitting."""
    metrics = QFontMetrics(steps.font())
    cut = []
    for row in range(steps.step_model.rowCount()):
        if steps.isRowHidden(row):
            continue
        index = steps.step_model.index(row, 0)
        room = steps.text_room(row)
        for word in index.data().split():
            pieces = word.split(SOFT_HYPHEN)
            shown = [p + "-" for p in pieces[:-1]] + pieces[-1:]  # a hyphen where it breaks
            cut += [p for p in shown if metrics.horizontalAdvance(p) > room]
    return cut


def _open(open_editor, qtbot, width: int, height: int = 660):
    editor = open_editor(answers=full_answers())
    editor.go_to(editor._section_index("about_you"))
    editor.resize(width, height)
    qtbot.waitUntil(lambda: editor.width() == width)
    for _ in range(3):
        QApplication.processEvents()
    return editor


@pytest.mark.parametrize("width", [800, 1024])
def test_at_200_percent_the_section_list_takes_at_most_a_third_and_nothing_is_cut(open_editor, qtbot, width):
    with app_text(2.0):
        editor = _open(open_editor, qtbot, width)
        assert editor.minimumSizeHint().width() <= width, "the editor wider than its window"
        assert editor.step_list.width() <= width / 3, (editor.step_list.width(), width)
        # The form's title across the top where a third would break it over seven lines: above the list
        # and the page, whole.
        title = _rect_in(editor, editor.title)
        assert title.bottom() < _rect_in(editor, editor.step_list).top()
        assert title.bottom() < _rect_in(editor, editor.stack).top()
        assert editor.title.height() >= editor.title.heightForWidth(editor.title.width()), "the title cut"
        assert editor.stack.width() >= 0.6 * width, editor.stack.width()
        assert _words_fit(editor.step_list) == []
        names = [editor.step_list.step_model.index(r, 0).data(Qt.ItemDataRole.AccessibleTextRole)
                 for r in range(editor.step_list.step_model.rowCount())]
        assert "6. Professionals involved\nDone" in names, names  # heard as written, without its hyphen
        assert editor.title.width() >= editor.title.minimumSizeHint().width(), "a word of the title cut"
        whole = editor.rect()
        buttons = [b for b in (editor.continue_button, editor.previous_button, editor.close_button) if b.isVisible()]
        for button in buttons:
            assert whole.contains(_rect_in(editor, button)), button.text()
            assert button.width() >= button.sizeHint().width(), button.text()
        for one in buttons:
            for other in buttons:
                assert one is other or not _rect_in(editor, one).intersects(_rect_in(editor, other))
        if width == 800:  # the page's buttons on one line: a second took two lines of the page's room
            assert len({_rect_in(editor, b).top() for b in buttons}) == 1, [_rect_in(editor, b) for b in buttons]


def test_on_a_laptop_at_100_percent_the_section_list_keeps_its_width(open_editor, qtbot):
    """Nothing moves where there was room: the list as wide as before (about 28 characters, 260 px)."""
    with app_text(1.0):
        editor = _open(open_editor, qtbot, 1366)
        assert 250 <= editor.step_list.width() <= 300, editor.step_list.width()
        assert _words_fit(editor.step_list) == []
        title = _rect_in(editor, editor.title)
        assert title.bottom() < _rect_in(editor, editor.step_list).top()
        assert title.right() < _rect_in(editor, editor.stack).left(), "the title above the list, the page beside"


def test_the_text_size_doubled_in_a_narrow_editor_gives_the_same_layout_as_opening_it_so(open_editor, qtbot):
    """Larger text chosen while the editor is open at 800 px: the list narrows to a third, its long words
    break, the title goes across the top, as when the editor opens at that size."""
    with app_text(1.0):
        editor = _open(open_editor, qtbot, 800)
        assert _rect_in(editor, editor.title).right() < _rect_in(editor, editor.stack).left()
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        QApplication.setFont(font)
        qtbot.waitUntil(lambda: editor.title.width() > 800 / 2)
        for _ in range(3):
            QApplication.processEvents()
        assert editor.step_list.width() <= 800 / 3
        assert _words_fit(editor.step_list) == []
        assert _rect_in(editor, editor.title).bottom() < _rect_in(editor, editor.stack).top()
