"""A drop-down's chosen answer is seen whole, even where the closed box is too narrow to show it.

Why: at 800 px and 200 % text the closed drop-down narrows with the page (it pushed the page sideways
before) and shows the answer's first words, cut at the box's edge with nothing to say so: "Social Care
for a statu" read as the whole answer. The answer cut by the box is now also written whole under it,
wrapped, as long as it is cut; where the box shows it whole, nothing more is shown.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from referral_desktop.ui.editor.inputs.searchable_choice import SearchableChoiceInput
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui

LONG = "Social Care for a statutory assessment under section 17 of the Children Act 1989"
OPTIONS = [("short", "Advice"), ("long", LONG)]


_held: list[QWidget] = []  # qtbot keeps only a weak reference: the holder must outlive the test's body


def _shown(qtbot, width: int) -> SearchableChoiceInput:
    holder = QWidget()
    _held[:] = [holder]
    choice = SearchableChoiceInput(OPTIONS)
    QVBoxLayout(holder).addWidget(choice)
    qtbot.addWidget(holder)
    holder.resize(width, 300)
    holder.show()
    qtbot.waitExposed(holder)
    return choice


def _cut(choice: SearchableChoiceInput) -> bool:
    box = choice.combo.lineEdit()
    return box.fontMetrics().horizontalAdvance(box.text()) > box.width()


def test_a_long_answer_cut_by_a_narrow_box_is_written_whole_under_it(qtbot):
    with app_text(2.0):
        choice = _shown(qtbot, 360)
        choice.set_value("long")
        qtbot.waitUntil(lambda: _cut(choice))  # the box itself shows only the answer's start
        qtbot.waitUntil(lambda: choice.whole_answer.isVisible())
        assert choice.whole_answer.text() == LONG
        assert choice.whole_answer.wordWrap()
        assert choice.whole_answer.height() >= choice.whole_answer.heightForWidth(choice.whole_answer.width())


def test_an_answer_the_box_shows_whole_is_not_written_twice(qtbot):
    with app_text(2.0):
        choice = _shown(qtbot, 360)
        choice.set_value("short")
        qtbot.wait(50)
        assert not _cut(choice)
        assert not choice.whole_answer.isVisible()


def test_the_words_under_the_box_follow_the_width_and_the_answer(qtbot):
    with app_text(1.0):
        choice = _shown(qtbot, 1200)
        choice.set_value("long")
        qtbot.wait(50)
        assert not _cut(choice) and not choice.whole_answer.isVisible()  # room enough: shown whole in the box
        choice.window().resize(300, 300)
        qtbot.waitUntil(lambda: _cut(choice) and choice.whole_answer.isVisible())
        choice.set_value(None)
        qtbot.waitUntil(lambda: not choice.whole_answer.isVisible())


def test_once_read_only_the_answer_is_its_words_and_not_written_twice(qtbot):
    with app_text(2.0):
        choice = _shown(qtbot, 360)
        choice.set_value("long")
        choice.set_read_only(True)
        qtbot.wait(50)
        assert choice.answer_text.isVisible() and choice.answer_text.toPlainText() == LONG
        assert not choice.whole_answer.isVisible()
