"""At 800 px wide and 200 % text no question pushes the page sideways, and nothing is cut to fit.

Why: with the section list at a third and choices' words wrapping (test_narrow_editor.py,
test_long_choice_wraps.py) some questions still needed more than the page's width, and the page scrolled
sideways (found by looking at the 800 x 600 screenshots): a date with a time (Day, Month, Year and Time
side by side), a drop-down (its box at 18 characters, wider than the page) and the attached files (a file's
name on one line). GOV.UK's pages at a large text size wrap; they never scroll sideways.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from referral_desktop.ui.editor.demo_answers import full_answers
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui

LONG_FILE_NAME = "chronology-of-concerns-for-the-whole-family-september-to-november-2026-invented.pdf"


def _answers() -> dict:
    answers = full_answers()
    answers.update(phone_referral_made="yes", phone_referral_datetime="2026-11-20T09:05",
                   iart_discussed="yes", iart_discussion_datetime="2026-11-21T14:30")
    return answers


def _at_800(editor, qtbot, section: str):
    editor.go_to(editor._section_index(section))
    editor.resize(800, 600)
    qtbot.waitUntil(lambda: editor.width() == 800)
    for _ in range(3):
        QApplication.processEvents()
    return editor.current_page()


def _rect_in(page, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(page.viewport(), QPoint(0, 0)), widget.size())


def test_at_800_px_and_200_percent_no_section_scrolls_sideways(open_editor, qtbot, recording_store):
    """Every section, with every question its answers reveal (a phone call made, iART spoken to, a
    document attached with a long name, a drop-down's long choice)."""
    from types import SimpleNamespace

    info = SimpleNamespace(id="a1", filename=LONG_FILE_NAME, size=182_000, content_type="application/pdf")
    recording_store.attachments.files["a1"] = info
    answers = _answers()
    answers["assessment_tool_used"] = "yes"
    answers["assessment_tool_attachments"] = ["a1"]
    answers["attachments"] = ["a1"]
    with app_text(2.0):
        editor = open_editor(answers=answers)
        wide = {}
        shown = [editor.sections[row].id for row in editor._visible_rows()[:-1]]
        assert "early_help" in shown and "before_you_start" in shown
        for section in shown:
            page = _at_800(editor, qtbot, section)
            qtbot.waitUntil(lambda p=page: p.widget().minimumSizeHint().width() > 0)
            if page.horizontalScrollBar().maximum() > 0:
                wide[section] = (page.widget().minimumSizeHint().width(), page.viewport().width())
        assert wide == {}, wide


def test_a_date_and_time_wrap_onto_two_lines_at_800_px_and_200_percent(open_editor, qtbot):
    with app_text(2.0):
        editor = open_editor(answers=_answers())
        page = _at_800(editor, qtbot, "before_you_start")
        date = editor.row_for("phone_referral_datetime").input
        assert page.horizontalScrollBar().maximum() == 0, date.minimumSizeHint().width()
        boxes = [date.day, date.month, date.year, date.time]
        assert _rect_in(page, date.time).top() > _rect_in(page, date.year).bottom(), "the time under the date"
        for box in boxes:
            assert box.isVisible() and _rect_in(page, box).right() <= page.viewport().width(), box.accessibleName()
        # Where there is room the four stay on one line, as before.
        editor.resize(1366, 660)
        qtbot.waitUntil(lambda: editor.width() == 1366)
        for _ in range(3):
            QApplication.processEvents()
        assert _rect_in(page, date.time).top() == _rect_in(page, date.year).top()


def test_a_long_file_name_wraps_in_the_attached_files_list(open_editor, qtbot, recording_store):
    from types import SimpleNamespace

    recording_store.attachments.files["a1"] = SimpleNamespace(id="a1", filename=LONG_FILE_NAME, size=182_000,
                                                              content_type="application/pdf")
    answers = _answers()
    answers["attachments"] = ["a1"]
    with app_text(2.0):
        editor = open_editor(answers=answers)
        attach = editor.row_for("attachments").input
        page = _at_800(editor, qtbot, "early_help")
        qtbot.waitUntil(lambda: any(LONG_FILE_NAME in label.text() for label in attach.findChildren(QLabel)))
        for _ in range(3):
            QApplication.processEvents()
        [label] = [label for label in attach.findChildren(QLabel) if LONG_FILE_NAME in label.text()]
        assert page.horizontalScrollBar().maximum() == 0, label.minimumSizeHint().width()
        assert _rect_in(page, label).right() <= page.viewport().width()
        assert label.height() >= label.heightForWidth(label.width()), "the name cut"
        assert label.height() >= 2 * label.fontMetrics().lineSpacing(), "on one line, it cannot fit"


def test_a_drop_down_fits_the_page_and_its_long_choice_is_seen_and_heard_whole(open_editor, qtbot):
    """The closed box narrows with the page and may show only the answer's first words; the list it opens
    shows every choice whole, wrapped to its width, and a screen reader hears the whole answer."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QAccessible

    answers = _answers()
    answers["outcome_sought_type"] = "social_care_referral"
    with app_text(2.0):
        editor = open_editor(answers=answers)
        page = _at_800(editor, qtbot, "concerns")
        choice = editor.row_for("outcome_sought_type").input
        combo = choice.combo
        whole = combo.currentText()
        assert whole == "Referral to Children's Social Care for a statutory assessment", whole
        assert page.horizontalScrollBar().maximum() == 0, combo.minimumSizeHint().width()
        assert _rect_in(page, combo).right() <= page.viewport().width()
        heard = QAccessible.queryAccessibleInterface(combo.lineEdit())
        assert heard.text(QAccessible.Text.Value) == whole  # the words a screen reader reads, whole
        combo.showPopup()
        view = combo.view()
        qtbot.waitUntil(view.isVisible)
        try:
            assert view.horizontalScrollBar().maximum() == 0
            metrics = view.fontMetrics()
            for row in range(1, combo.count()):
                index = view.model().index(row, 0)
                rect = view.visualRect(index)
                text = combo.itemText(row)
                # Every word drawn: the row as tall as its words wrapped to the row's width need (less an
                # em for the row's padding, so a row a few pixels short still fails).
                needed = metrics.boundingRect(QRect(0, 0, rect.width() - metrics.height(), 10_000),
                                              Qt.TextFlag.TextWordWrap, text).height()
                assert rect.height() >= needed, (text, rect, needed)
                assert rect.width() <= view.viewport().width(), text
            assert view.textElideMode() == Qt.TextElideMode.ElideNone  # nor "Referral to Child…al Care"
            # The open list no wider than the window it opens from: on an 800 px screen it would be cut.
            assert view.window().width() <= editor.width(), view.window().width()
        finally:
            combo.hidePopup()
