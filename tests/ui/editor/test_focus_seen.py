"""Where keyboard focus lands in the editor, a sighted keyboard user can see it (WCAG 2.4.7, 1.4.11).

The error summary takes focus when it appears (GOV.UK), but nothing on screen changed when it did: the
box looked the same focused or not, so someone who pressed Continue saw the problems and no sign of
where their next Tab would start.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

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


def _in_view(page, widget) -> bool:
    """The widget is inside the page's visible area (not scrolled out of sight)."""
    from PySide6.QtCore import QPoint, QRect

    top_left = widget.mapTo(page.viewport(), QPoint(0, 0))
    return page.viewport().rect().contains(QRect(top_left, widget.size()))


def test_add_at_least_one_child_lands_on_the_first_question_of_child_1(open_editor, qtbot):
    """Checking answers before the Children page was opened says "Add at least one child". Following
    the link opened the page with an empty Child 1 (a referral has at least one child) and put focus on
    "Add another child" at the foot of it, out of sight, while the view stopped half-way down the panel.
    It now lands on Child 1's first question, in view."""
    editor = open_editor(answers={"referrer_type": "professional"})
    editor.go_to_check()
    editor.check_all()
    check = editor.check_page
    links = {link.property("path"): link for link in check.summary.links}
    assert "children" in links, sorted(links)
    links["children"].click()
    page = editor.current_page()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focused = QApplication.focusWidget()
    first = editor.row_for("children[0].unborn") or editor.row_for("children[0].given_names")
    assert first is not None
    assert focused is first.input.focus_target() or first.input.isAncestorOf(focused), focused
    assert _in_view(page, focused)


def test_a_summary_taller_than_the_page_shows_its_top_when_it_takes_focus(open_editor, qtbot):
    """With many problems at 200 % text the check page's summary is taller than the page: focusing it
    scrolled to its foot, so "There is a problem" and the first problems were above the fold."""
    from PySide6.QtCore import QPoint

    with themed(PALETTES["GOV.UK light"](), 2.0):
        editor = open_editor(answers={"referrer_type": "professional"})
        editor.go_to_check()
        editor.check_all()
        check = editor.check_page
        check.focus_summary()
        qtbot.waitUntil(check.summary.hasFocus)
        QApplication.processEvents()
        assert check.summary.height() > check.viewport().height()  # the case in question
        top = check.summary.mapTo(check.viewport(), QPoint(0, 0)).y()
        assert 0 <= top < check.viewport().height() // 4, top


def _added_item_in_view(editor, qtbot, group_id: str, index: int) -> None:
    """Focus is on item ``index``'s first question, and it and the item's title are seen whole."""
    page = editor.current_page()
    view = page.groups[group_id]
    first = [row for row in view.item_rows[index] if not row.isHidden()][0]
    panel = view._panels[index]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first.input.focus_target())
    qtbot.wait(30)  # the page's layout settles; nothing may scroll focus away afterwards
    assert _in_view(page, first.input.focus_target()), page.verticalScrollBar().value()
    title = panel.findChildren(QLabel)[0]
    assert title.text() == f"Child {index + 1}" and _in_view(page, title)


def test_add_another_child_and_undo_show_the_childs_first_question(open_editor, qtbot):
    """At 200 % text, "Add another child" (at the foot of a filled-in Child 1) put focus on Child 2's
    first question below the fold, unseen; Undo after removing Child 2 did the same."""
    from PySide6.QtTest import QTest

    from referral_desktop.ui.editor.demo_answers import full_answers
    from tests.ui.editor.conftest import LAPTOP_EDITOR
    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text

    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        editor = open_editor(answers=full_answers("1.0.0"))
        editor.resize(*LAPTOP_EDITOR)
        editor.go_to(editor._section_index("children"), focus_page=True)
        view = editor.current_page().groups["children"]
        assert view.count == 1
        view.add_button.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(view.add_button, Qt.Key.Key_Space)
        _added_item_in_view(editor, qtbot, "children", 1)

        remove = view.remove_buttons[1]
        remove.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(remove, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is view.undo_button)
        assert _in_view(editor.current_page(), view.undo_button)
        QTest.keyClick(view.undo_button, Qt.Key.Key_Space)
        _added_item_in_view(editor, qtbot, "children", 1)


@pytest.mark.parametrize("doubled", [False, True], ids=["100%", "200%"])
def test_typing_in_a_long_answer_keeps_the_text_cursor_in_view(open_editor, qtbot, doubled):
    """A long-text box grows with its text and has no scroll bar of its own (its text is read on the
    page), so the page must follow the text cursor: after pasting a long account into "What are you
    worried about?" the cursor, and whatever was typed next, sat a thousand pixels below the window."""

    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text

    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text() if doubled else 1.0):
        _type_on_at_the_end_of_a_long_answer(open_editor, qtbot)


def _type_on_at_the_end_of_a_long_answer(open_editor, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from tests.ui.editor.conftest import LAPTOP_EDITOR

    editor = open_editor(answers={"referrer_type": "professional"})
    editor.resize(*LAPTOP_EDITOR)
    editor.navigate_to("concern_details")
    page = editor.current_page()
    box = editor.row_for("concern_details").input.edit
    qtbot.waitUntil(box.hasFocus)

    def cursor_seen() -> bool:
        rect = box.cursorRect()
        top = box.viewport().mapTo(page.viewport(), rect.topLeft()).y()
        return 0 <= top and top + rect.height() <= page.viewport().height()

    QGuiApplication.clipboard().setText("What the child told the teacher about the evenings at home. " * 120)
    QTest.keyClick(box, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: box.height() > page.viewport().height())  # the box outgrew the page
    qtbot.waitUntil(cursor_seen, timeout=1000)
    QTest.keyClicks(box, " And more.")
    qtbot.waitUntil(cursor_seen, timeout=1000)
    QTest.keyClick(box, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(cursor_seen, timeout=1000)
    assert box.viewport().mapTo(page.viewport(), QPoint(0, 0)).y() > -page.viewport().height()


def test_an_arrow_key_moving_to_a_choice_below_the_fold_brings_it_into_view(new_referral_editor, qtbot):
    """Arrow keys move focus (and the choice) between radio buttons, but the page followed focus only on
    Tab: walking the whole form by keyboard at 200 % text, Down on a stacked list of choices at the foot of
    the window put focus, and the answer just chosen, below it ("Does the child have special educational
    needs?", "Is children's social care already involved?")."""
    from PySide6.QtTest import QTest

    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text

    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        editor = new_referral_editor()
        editor.go_to(editor._section_index("children"), focus_page=True)
        page = editor.current_page()
        buttons = list(editor.row_for("children[0].school_attendance").input.buttons.values())
        assert buttons[0].y() != buttons[1].y()  # stacked
        buttons[0].setFocus(Qt.FocusReason.TabFocusReason)
        page.ensureWidgetVisible(buttons[0], 0, 0)
        # The first choice sits at the window's foot, the next one below it.
        page.verticalScrollBar().setValue(page.verticalScrollBar().value() + 1
                                          + buttons[0].mapTo(page.viewport(), QPoint(0, buttons[0].height())).y()
                                          - page.viewport().height())
        qtbot.wait(10)
        assert _in_view(page, buttons[0]) and not _in_view(page, buttons[1])
        QTest.keyClick(buttons[0], Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is buttons[1] and buttons[1].isChecked())
        qtbot.waitUntil(lambda: _in_view(page, buttons[1]), timeout=1000)


@pytest.mark.parametrize("kind", ["error summary", "section heading"])
def test_a_focus_mark_is_painted_again_as_focus_comes_and_goes(qtbot, kind):
    """The error summary and a section's heading draw their own focus line in paintEvent; it shows and
    goes only if the widget is painted again when focus changes. Qt's own focus handlers ask for that
    (the copies these two widgets had of it were removed)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    from referral_desktop.ui.editor.error_summary import ErrorSummary
    from referral_desktop.ui.editor.section_heading import SectionHeading

    class Paints(QObject):
        count = 0

        def eventFilter(self, _watched, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    other = QPushButton("Elsewhere", window)
    marked = ErrorSummary(window) if kind == "error summary" else SectionHeading("About you", window)
    if isinstance(marked, ErrorSummary):
        marked.set_errors([("referrer_name", "Enter your full name")])
    layout.addWidget(other)
    layout.addWidget(marked)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    other.setFocus()
    paints = Paints(marked)
    marked.installEventFilter(paints)
    qtbot.wait(20)  # paints pending from showing the window are done
    paints.count = 0
    marked.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: paints.count > 0)
    paints.count = 0
    other.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: paints.count > 0)
