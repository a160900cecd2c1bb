"""What a person sees when Continue opens the next section: its heading, and where keyboard focus is.

At 200 % text on a laptop, opening a section focused its first question and scrolled the page just far
enough to show it, so the section's heading was cut in half at the top of the page (or scrolled out of
sight with the start of its description). GOV.UK: a page's heading is read first. The page now opens at
its top; focus goes to the first question when it is seen there with the heading, and otherwise to the
heading itself (no Tab stop: the next Tab reaches the first question).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.test_accessibility import themed
from tests.ui.test_contrast_pixels import PALETTES

pytestmark = pytest.mark.gui



def _twice_the_apps_body_text() -> float:
    """The scale that gives 200 % of the app's body text (apply_theme raises a smaller default to 12 pt,
    which the tests' application does not run)."""
    from referral_desktop.ui.theme import BODY_POINTS

    points = QApplication.font().pointSizeF()
    return 2 * max(points, BODY_POINTS) / points


def _whole_in_view(page, widget) -> bool:
    viewport = page.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def _first_question(editor, page):
    from referral_desktop.ui.editor.reading_order import focusables_in_reading_order

    inner = page.widget()
    return [w for w in focusables_in_reading_order(inner) if w.isVisibleTo(inner) and w.isEnabled()][0]


def _walk_by_continue(editor, qtbot):
    """Open each section in turn with Continue; yield (page, focused widget) once the page has settled."""
    editor.go_to(editor._first_visible(), focus_page=True)
    while editor.page_id() != "check":
        qtbot.wait(30)  # the page's layout settles (wrapped labels take their height)
        yield editor.current_page(), QApplication.focusWidget()
        before = editor.current_index
        editor.go_next()
        assert editor.current_index != before


def test_at_200_percent_each_section_opens_with_its_heading_and_focus_both_seen(new_referral_editor, qtbot):
    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        editor = new_referral_editor()
        heading_focused = []
        for page, focused in _walk_by_continue(editor, qtbot):
            name = editor.page_id()
            assert _whole_in_view(page, page.title), (name, page.verticalScrollBar().value())
            assert focused is not None and _whole_in_view(page, focused), (name, focused)
            first = _first_question(editor, page)
            if focused is page.title:
                # Heading and first question did not fit together: the next Tab reaches the question.
                heading_focused.append(name)
                assert not _whole_in_view(page, first), name
                QTest.keyClick(focused, Qt.Key.Key_Tab)
                qtbot.waitUntil(lambda first=first: QApplication.focusWidget() is first)
                qtbot.waitUntil(lambda page=page, first=first: _whole_in_view(page, first))
            else:
                assert focused is first, (name, focused)
        # The case that was seen: the long descriptions of these sections push their first question down.
        assert "information_sharing" in heading_focused, heading_focused


def test_at_100_percent_each_section_opens_on_its_first_question_under_its_heading(new_referral_editor, qtbot):
    editor = new_referral_editor()
    for page, focused in _walk_by_continue(editor, qtbot):
        name = editor.page_id()
        assert page.verticalScrollBar().value() == 0, name
        assert focused is _first_question(editor, page), (name, focused)
        assert _whole_in_view(page, focused), name


def test_the_focused_heading_is_what_a_screen_reader_reads(new_referral_editor, qtbot):
    """Focus on the heading reads the section's title as a heading, not an unnamed label."""
    from PySide6.QtGui import QAccessible

    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        editor = new_referral_editor()
        editor.go_to(editor._section_index("early_help"))
        editor.go_next()
        qtbot.wait(30)
        page = editor.current_page()
        assert editor.page_id() == "information_sharing"
        assert QApplication.focusWidget() is page.title
        interface = QAccessible.queryAccessibleInterface(page.title)
        assert interface.text(QAccessible.Text.Name) == page.section.title
        assert not page.title.focusPolicy() & Qt.FocusPolicy.TabFocus  # no Tab stop of its own


def test_back_on_a_section_whose_summary_is_taller_than_the_page_focus_is_on_its_top(new_referral_editor, qtbot):
    """Back on a section left with problems, the error summary takes focus (GOV.UK). When it is taller
    than the page (many problems, 200 % text, a short window), the page opens at the summary's top, not
    on the heading below it."""
    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        editor = new_referral_editor()
        editor.resize(1366, 480)
        editor.go_to(editor._section_index("about_you"), focus_page=True)
        QTest.keyClicks(editor.row_for("referrer_name").input.focus_target(), "A")
        editor.go_next()  # Continue with the rest of "About you" unanswered: its problems
        editor.go_previous()
        qtbot.wait(30)
        page = editor.current_page()
        assert page.summary.height() > page.viewport().height()  # the case in question
        assert QApplication.focusWidget() is page.summary
        top = page.summary.mapTo(page.viewport(), QPoint(0, 0)).y()
        assert 0 <= top < page.viewport().height() // 4, top


def test_a_section_opening_on_a_chosen_answer_focuses_the_choice_made(open_editor, qtbot):
    """Continue into "Early help" with "No" chosen for its first question put focus on "Yes": its focus
    highlight on the answer not chosen read as the choice, and Space there changed the answer. Focus goes
    to the chosen option, as Tab into a group of radio buttons does (and a link to the question did)."""
    editor = open_editor(answers={"taf_in_place": "no"})
    editor.go_to(editor._section_index("concerns"))
    editor.go_next()
    chosen = editor.row_for("taf_in_place").input.buttons["no"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is chosen)
    assert editor.model.answers["taf_in_place"] == "no"
