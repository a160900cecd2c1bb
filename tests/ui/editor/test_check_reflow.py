"""The check page on narrower windows and at large text: no sideways scrolling, no very tall questions.

Reproduced before the fix (200 % of a 9 pt base, a 36-character email in "About you"): the page scrolled
sideways by 115 px in a 1100 px editor and by 415 px in an 800 px one, where questions wrapped to ten
lines; at the app's own 12 pt x 2 in a 1366 px editor it scrolled by 42 px and "About you" had its own
question width (243 px against 365 px). GOV.UK's summary list stacks on small screens (question above
answer, the Change link below): the page now does that whenever the columns cannot hold the text
(``ui/editor/summary_list.py``), and back to columns when there is room again.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.editor.demo_answers import full_answers
from referral_desktop.ui.editor.summary_columns import MAX_QUESTION_LINES
from tests.ui.editor.conftest import LAPTOP_EDITOR
from tests.ui.home_on_laptop import app_text
from tests.ui.test_accessibility import themed

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("base_text_size_pinned")]

EMAIL = "safeguarding.lead.42@longschoolname.org"  # 36+ characters, no break in it
NARROW = 800


def _check_page(open_editor, answers=None, email=EMAIL):
    answers = answers or full_answers()
    if email:
        answers["referrer_email"] = email
    editor = open_editor(answers=answers)
    editor.resize(*LAPTOP_EDITOR)
    editor.go_to_check()
    return editor, editor.check_page


def _reflows(page) -> bool:
    """Nothing needs sideways scrolling, nothing is cut, no question is taller than the columns allow."""
    bar = page.horizontalScrollBar()
    if bar.isVisible() or bar.maximum() > 0:
        return False
    right = page.viewport().width()
    holder = page.answers_holder
    for line in holder.lines:
        for part in (line.key, line.value, line.link):
            if part is None:
                continue
            if part.height() < part.heightForWidth(part.width()):
                return False  # drawn shorter than its wrapped text
            if part.mapTo(page.viewport(), QPoint(part.width(), 0)).x() > right:
                return False  # out of sight to the right
        if not holder.stacked and line.key.line_count() > MAX_QUESTION_LINES:
            return False
    return True


def _stacked_in_order(holder) -> bool:
    """GOV.UK's narrow layout: each question above its answer, its Change link below, all at the left."""
    for line in holder.lines:
        key, value, link = line.key.geometry(), line.value.geometry(), line.link.geometry()
        if not (key.bottom() < value.top() and value.bottom() < link.top() and key.left() == value.left() == 0):
            return False
        if key.width() != holder.width():
            return False
    return True


@pytest.mark.parametrize("width", [LAPTOP_EDITOR[0], 1100, NARROW])
def test_no_sideways_scrolling_at_200_percent(open_editor, qtbot, width):
    with themed(None, 2.0):
        editor, page = _check_page(open_editor)
        editor.resize(width, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: _reflows(page))
        if width == NARROW:
            assert page.answers_holder.stacked and _stacked_in_order(page.answers_holder)


def test_stacked_when_narrow_and_columns_again_when_wide(open_editor, qtbot):
    with themed(None, 2.0):
        editor, page = _check_page(open_editor, email=None)  # the demo's short email fits beside its question
        holder = page.answers_holder
        editor.resize(1600, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: not holder.stacked and _reflows(page))
        editor.resize(NARROW, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: holder.stacked and _stacked_in_order(holder) and _reflows(page))
        editor.resize(1600, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: not holder.stacked and _reflows(page))
        line = holder.lines[0]
        assert line.key.geometry().top() == line.value.geometry().top()  # side by side again


@pytest.mark.parametrize("width", [LAPTOP_EDITOR[0], NARROW])
def test_the_apps_own_text_at_200_percent_lines_up(open_editor, qtbot, width):
    """At the app's 12 pt body text x 2 (its style sheet too), "About you" with its email had a question
    column of its own, and the page scrolled sideways."""
    with app_text(2.0):
        editor, page = _check_page(open_editor)
        editor.resize(width, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: _reflows(page))
        holder = page.answers_holder
        lefts = {line.value.mapTo(holder, QPoint(0, 0)).x() for line in holder.lines}
        assert len(lefts) == 1, lefts  # every answer starts at the same place, in every section


def test_a_word_too_long_even_for_the_stacked_list_breaks(open_editor, qtbot):
    answers = full_answers()
    answers["referrer_role"] = "x" * 150  # no break anywhere
    with themed(None, 2.0):
        editor, page = _check_page(open_editor, answers)
        editor.resize(NARROW, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: _reflows(page))
        value = page.answer_beside(page.change_links["referrer_role"])
        assert value.text() == "x" * 150  # shown and read whole: no break characters put into it
        assert value.line_count() > 1


def _spoken(holder) -> list[str]:
    """The list's accessible children in order, as a screen reader walks them."""
    interface = QAccessible.queryAccessibleInterface(holder)
    names = []
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child.role() != QAccessible.Role.Separator:
            names.append(child.text(QAccessible.Text.Name))
    return names


def test_a_screen_reader_hears_question_answer_change_in_either_layout(open_editor, qtbot):
    with themed(None, 2.0):
        editor, page = _check_page(open_editor, email=None)
        holder = page.answers_holder
        editor.resize(1600, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: not holder.stacked)
        wide = _spoken(holder)
        editor.resize(NARROW, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: holder.stacked)
        assert _spoken(holder) == wide
        line = holder.lines[0]
        start = wide.index(line.key.text())
        assert wide[start:start + 3] == [line.key.text(), line.value.text(), f"Change {line.key.text()}"]
        links = list(page.change_links.values())
        assert links[0].nextInFocusChain() is not None
        # Tab goes link to link down the page, as it reads.
        chain, widget = [], links[0]
        while len(chain) < len(links) and widget is not None:
            if widget in links:
                chain.append(widget)
            widget = widget.nextInFocusChain()
        assert chain == links


def test_a_focused_change_link_keeps_focus_and_stays_in_view_as_the_layout_switches(open_editor, qtbot):
    with themed(None, 2.0):
        editor, page = _check_page(open_editor, email=None)
        editor.resize(1600, LAPTOP_EDITOR[1])
        link = page.change_links["children[0].family_name"]
        qtbot.waitUntil(lambda: not page.answers_holder.stacked)
        link.setFocus(Qt.FocusReason.TabFocusReason)
        page.ensureWidgetVisible(link)

        def in_view() -> bool:
            top = link.mapTo(page.viewport(), QPoint(0, 0)).y()
            return 0 <= top and top + link.height() <= page.viewport().height()

        qtbot.waitUntil(in_view)
        editor.resize(NARROW, LAPTOP_EDITOR[1])  # stacked: the page is far taller, the link far lower
        qtbot.waitUntil(lambda: page.answers_holder.stacked and in_view())
        assert QApplication.focusWidget() is link
        editor.resize(1600, LAPTOP_EDITOR[1])
        qtbot.waitUntil(lambda: not page.answers_holder.stacked and in_view())
        assert QApplication.focusWidget() is link


def test_an_answer_broken_across_lines_is_selected_and_copied_whole(open_editor, qtbot):
    """The answers were selectable with the mouse (a QLabel's own); the label that breaks long words
    keeps that, and what is copied is the answer as typed, with no break put into it."""
    with themed(None, 2.0):
        editor, page = _check_page(open_editor)
        editor.resize(NARROW, LAPTOP_EDITOR[1])
        value = page.answer_beside(page.change_links["referrer_email"])
        qtbot.waitUntil(lambda: value.line_count() > 1 and _reflows(page))  # the address broken in two
        page.ensureWidgetVisible(value)
        QApplication.clipboard().clear()
        qtbot.mousePress(value, Qt.MouseButton.LeftButton, pos=QPoint(1, 2))
        qtbot.mouseMove(value, QPoint(value.width() - 1, value.height() - 2))
        qtbot.mouseRelease(value, Qt.MouseButton.LeftButton, pos=QPoint(value.width() - 1, value.height() - 2))
        assert value.selected_text() == EMAIL
        assert QApplication.focusWidget() is value
        qtbot.keySequence(value, "Ctrl+C")
        qtbot.waitUntil(lambda: QApplication.clipboard().text() == EMAIL)

