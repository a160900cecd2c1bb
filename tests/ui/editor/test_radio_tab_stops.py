"""A group of radio buttons is one Tab stop, as in GOV.UK's radios (native HTML) and Windows radio groups.

Tab enters a group on the answer chosen (on its first option when none is), Tab and Shift+Tab leave it,
and the arrow keys move and choose within it; check boxes stay one Tab stop each. Qt makes the option
last focused the group's stop, so on a draft opened with answers Tab entered "Yes, not checked" where
"No" was the answer (and Space there changed it), and a group never focused was a stop per option from
one side. Only real key presses and clicks here, on real editor pages.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from referral_desktop.bundled_data import forms_dir
from referral_desktop.ui.editor.field_row import FieldRow
from referral_desktop.ui.editor.inputs.choice_inputs import CheckboxesInput, RadioInput

pytestmark = pytest.mark.gui


def _focus():
    return QApplication.focusWidget()


def _key(key) -> None:
    QTest.keyClick(_focus(), key)
    QApplication.processEvents()  # the arrow keys choose once Qt has moved focus


def _example_answers() -> dict:
    return json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text(encoding="utf-8"))["answers"]


def _rows(editor, kind):
    page = editor.current_page()
    return [row for row in page.findChildren(FieldRow) if isinstance(row.input, kind) and row.isVisible()]


def _enter_from_before(group: RadioInput) -> None:
    """Focus on whatever comes just before the group in Tab order, by Shift+Tab from its first option."""
    first = next(iter(group.buttons.values()))
    first.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClick(first, Qt.Key.Key_Backtab)
    assert _focus() not in group.buttons.values()


def _group_with_answer_not_first(editor) -> RadioInput:
    for row in _rows(editor, RadioInput):
        buttons = list(row.input.buttons.values())
        if any(b.isChecked() for b in buttons[1:]):
            return row.input
    raise AssertionError("no radio question answered with a later option on this page")


def _stacked_group_unanswered(editor) -> RadioInput:
    """The first radio question of three or more options one under another, on a new referral."""
    for row_index in editor._visible_rows():
        editor.go_to(row_index, focus_page=True)
        if editor.page_id() == "check":
            break
        for row in _rows(editor, RadioInput):
            buttons = list(row.input.buttons.values())
            if len(buttons) >= 3 and buttons[0].x() == buttons[1].x() and not any(b.isChecked() for b in buttons):
                return row.input
    raise AssertionError("no stacked radio question on this form")


def test_tab_enters_a_group_on_the_answer_chosen_and_the_next_tab_leaves_it(open_editor, qtbot):
    editor = open_editor(answers=_example_answers())
    editor.go_to(editor._first_visible(), focus_page=True)
    group = _group_with_answer_not_first(editor)
    chosen = group._group.checkedButton()
    _enter_from_before(group)
    _key(Qt.Key.Key_Tab)
    assert _focus() is chosen and chosen.isChecked()
    _key(Qt.Key.Key_Tab)
    assert _focus() not in group.buttons.values()  # one Tab stop for the group
    _key(Qt.Key.Key_Backtab)
    assert _focus() is chosen
    _key(Qt.Key.Key_Backtab)
    assert _focus() not in group.buttons.values()
    assert chosen.isChecked()  # no key changed the answer


def test_every_radio_group_on_every_page_of_a_filled_draft_is_one_tab_stop_on_its_answer(open_editor, qtbot):
    """Tab from the list of sections through each page: each group is met once, on its chosen option."""
    editor = open_editor(answers=_example_answers())
    groups_met = 0
    for row_index in [r for r in editor._visible_rows() if r != editor.step_list.check_row]:
        editor.go_to(row_index)
        editor.step_list.setFocus()
        met: list = []
        for _ in range(200):
            _key(Qt.Key.Key_Tab)
            widget = _focus()
            if widget is editor.continue_button:
                break
            owner = widget.parentWidget()
            if isinstance(owner, RadioInput):
                chosen = owner._group.checkedButton()
                assert widget is (chosen or next(iter(owner.buttons.values()))), (editor.page_id(), widget.text())
                met.append(owner)
        assert len(met) == len(set(met)), editor.page_id()  # each group once
        groups_met += len(met)
    assert groups_met >= 10


def test_with_nothing_chosen_tab_and_shift_tab_enter_on_the_first_option_and_choose_nothing(open_editor, qtbot):
    editor = open_editor()
    group = _stacked_group_unanswered(editor)
    for button in group.buttons.values():
        assert not button.isChecked()
    first, *rest = group.buttons.values()
    _enter_from_before(group)
    _key(Qt.Key.Key_Tab)
    assert _focus() is first
    _key(Qt.Key.Key_Tab)
    after = _focus()
    assert after not in group.buttons.values()
    _key(Qt.Key.Key_Backtab)
    assert _focus() is first  # not the last option, not each option in turn
    assert not any(button.isChecked() for button in group.buttons.values())
    del after, rest


def test_arrows_choose_within_the_group_and_tab_comes_back_to_the_new_answer(open_editor, qtbot):
    editor = open_editor()
    group = _stacked_group_unanswered(editor)
    buttons = list(group.buttons.values())
    _enter_from_before(group)
    _key(Qt.Key.Key_Tab)
    _key(Qt.Key.Key_Down)
    assert _focus() is buttons[1] and buttons[1].isChecked()
    _key(Qt.Key.Key_Tab)
    assert _focus() not in buttons
    _key(Qt.Key.Key_Backtab)
    assert _focus() is buttons[1]
    _key(Qt.Key.Key_Backtab)
    assert _focus() not in buttons
    _key(Qt.Key.Key_Tab)
    assert _focus() is buttons[1]


def test_in_a_yes_no_pair_side_by_side_down_and_up_move_and_choose_as_in_browsers(open_editor, qtbot):
    """Qt moved by geometry: Down in a pair side by side stayed on "Yes" (and chose it)."""
    editor = open_editor()
    editor.go_to(editor._first_visible(), focus_page=True)
    group = next(row.input for row in _rows(editor, RadioInput) if len(row.input.buttons) == 2)
    yes, no = group.buttons.values()
    assert yes.y() == no.y()  # side by side
    _enter_from_before(group)
    _key(Qt.Key.Key_Tab)
    assert _focus() is yes and not yes.isChecked()
    _key(Qt.Key.Key_Down)
    assert _focus() is no and no.isChecked()
    _key(Qt.Key.Key_Down)  # round to the first, as browsers and Windows do
    assert _focus() is yes and yes.isChecked() and not no.isChecked()
    _key(Qt.Key.Key_Left)
    assert _focus() is no and no.isChecked()
    _key(Qt.Key.Key_Up)
    assert _focus() is yes and yes.isChecked()
    QTest.keyClick(_focus(), Qt.Key.Key_Down, Qt.KeyboardModifier.KeypadModifier)  # the number pad's Down
    assert _focus() is no and no.isChecked()


def test_a_click_focuses_and_chooses_any_option_and_tab_goes_on_from_it(open_editor, qtbot):
    editor = open_editor(answers=_example_answers())
    editor.go_to(editor._first_visible(), focus_page=True)
    groups = [row.input for row in _rows(editor, RadioInput)]
    group = groups[0]
    last = list(group.buttons.values())[-1]
    QTest.mouseClick(last, Qt.MouseButton.LeftButton)
    assert last.isChecked() and _focus() is last
    _key(Qt.Key.Key_Tab)
    assert _focus() not in group.buttons.values()
    _key(Qt.Key.Key_Backtab)
    assert _focus() is last


def test_an_answer_put_back_moves_the_groups_tab_stop_with_it(open_editor, qtbot):
    """An answer shown by the program (a draft's answer loaded, a value put back) is where Tab enters."""
    editor = open_editor(answers=_example_answers())
    editor.go_to(editor._first_visible(), focus_page=True)
    group = _group_with_answer_not_first(editor)
    first = next(iter(group.buttons.values()))
    first.setFocus()  # Qt makes the option focused the group's stop
    chosen = list(group.buttons.values())[-1]
    group.set_value(next(code for code, button in group.buttons.items() if button is chosen))
    _enter_from_before(group)
    _key(Qt.Key.Key_Tab)
    assert _focus() is chosen


def test_check_boxes_stay_one_tab_stop_each_beside_a_radio_group_of_one(qtbot):
    """As in HTML: each check box is its own Tab stop (a list of them is no group)."""
    host = QWidget()
    layout = QVBoxLayout(host)
    radios = RadioInput((("yes", "Yes"), ("no", "No"), ("not_known", "Not known")))
    boxes = CheckboxesInput((("a", "Hearing"), ("b", "Sight"), ("c", "Mobility")))
    layout.addWidget(radios)
    layout.addWidget(boxes)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    radios.buttons["yes"].setFocus()
    qtbot.waitUntil(radios.buttons["yes"].hasFocus)
    for box in boxes.boxes.values():
        _key(Qt.Key.Key_Tab)
        assert _focus() is box
    for _ in range(2):
        _key(Qt.Key.Key_Backtab)
    assert _focus() is boxes.boxes["a"]
    _key(Qt.Key.Key_Backtab)
    assert _focus() is radios.buttons["yes"]
