"""Each kind of input writes the interfaces' encoding into the answers dict as the user types or picks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


def _type(widget, text):
    widget.setFocus()
    QTest.keyClicks(widget, text)


def test_text_like_inputs_store_the_text_as_typed(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    for path, text in [
        ("referrer_name", "Alex Sample"),
        ("referrer_telephone", "01244 123456"),
        ("referrer_email", "alex@example.org"),
        ("referrer_postcode", "CH1 2NU"),
    ]:
        _type(editor.row_for(path).input.edit, text)
        assert editor.model.answers[path] == text
    editor.go_to(editor._section_index("children"))
    _type(editor.row_for("children[0].nhs_number").input.edit, "943 476 5919")
    _type(editor.row_for("children[0].upn").input.edit, "B801200005001")
    child = editor.model.answers["children"][0]
    assert child["nhs_number"] == "943 476 5919" and child["upn"] == "B801200005001"


def test_short_text_counts_against_its_maximum_length_without_cutting(open_editor, marf):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    line = editor.row_for("referrer_name").input
    assert line.count.limit == (marf.find("referrer_name").max_length or 200)
    assert line.edit.maxLength() == 32767  # Qt's default: nothing is cut (the count says when too long)


def test_long_text_stores_text_and_tab_leaves_it(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_address").input.edit
    _type(edit, "1 School Lane")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    QTest.keyClicks(edit, "Chester")
    assert editor.model.answers["referrer_address"] == "1 School Lane\nChester"
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert not edit.hasFocus()
    assert "\t" not in editor.model.answers["referrer_address"]


def test_integer_is_stored_as_an_int(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("children"))
    editor.row_for("children[0].unborn").input.buttons["no"].click()
    _type(editor.row_for("children[0].estimated_age").input.edit, "7")
    assert editor.model.answers["children"][0]["estimated_age"] == 7
    QTest.keyClick(editor.row_for("children[0].estimated_age").input.edit, Qt.Key.Key_Backspace)
    assert "estimated_age" not in editor.model.answers["children"][0]


def test_date_is_typed_as_day_month_year(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("household"))
    editor.page_for_section("household").groups["carers"].add_item()
    date_input = editor.row_for("carers[0].carer_date_of_birth").input
    _type(date_input.day, "1")
    _type(date_input.month, "6")
    assert editor.model.answers["carers"][0]["carer_date_of_birth"] == "-6-1"  # kept while half typed
    _type(date_input.year, "1990")
    assert editor.model.answers["carers"][0]["carer_date_of_birth"] == "1990-06-01"
    date_input.day.clear()
    _type(date_input.day, "31")
    assert editor.model.answers["carers"][0]["carer_date_of_birth"] == "1990-6-31"  # impossible: kept as typed


@pytest.mark.parametrize("pasted", ["12/03/2019", "12.3.2019", " 12 03 2019\n", "2019-03-12"])
def test_a_whole_date_pasted_into_a_date_box_fills_the_three(open_editor, pasted):
    """A date of birth copied from a school or clinical system ("12/03/2019") and pasted into the Day box
    became "12", the rest cut without a word (the box held two characters). It now fills Day, Month and
    Year; anything else pasted or typed is kept whole, for validation to say what to fix."""
    from PySide6.QtGui import QGuiApplication

    editor = open_editor()
    editor.go_to(editor._section_index("household"))
    editor.page_for_section("household").groups["carers"].add_item()
    date_input = editor.row_for("carers[0].carer_date_of_birth").input
    QGuiApplication.clipboard().setText(pasted)
    date_input.day.setFocus()
    QTest.keyClick(date_input.day, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert (date_input.day.text(), date_input.month.text().lstrip("0"), date_input.year.text()) == ("12", "3", "2019")
    assert date_input.day.hasFocus()  # focus stays where the person pasted
    assert editor.model.answers["carers"][0]["carer_date_of_birth"] == "2019-03-12"


def test_nothing_typed_into_a_date_box_is_cut(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("household"))
    editor.page_for_section("household").groups["carers"].add_item()
    date_input = editor.row_for("carers[0].carer_date_of_birth").input
    _type(date_input.day, "12032019")  # a whole date typed into the Day box
    assert date_input.day.text() == "12032019"
    assert editor.model.answers["carers"][0]["carer_date_of_birth"] == "--12032019"  # kept: validation says


def test_date_time_has_a_time_box(open_editor):
    editor = open_editor(answers={"iart_discussed": "yes"})
    date_input = editor.row_for("iart_discussion_datetime").input
    _type(date_input.day, "20")
    _type(date_input.month, "11")
    _type(date_input.year, "2026")
    _type(date_input.time, "9:05")
    assert editor.model.answers["iart_discussion_datetime"] == "2026-11-20T09:05"
    # Reopening shows it back in the boxes.
    date_input.set_value("2026-11-20T09:05")
    assert (date_input.day.text(), date_input.month.text(), date_input.year.text(), date_input.time.text()) == (
        "20", "11", "2026", "09:05",
    )


@pytest.mark.parametrize(("typed", "kept"), [("0905", "09:05"), ("905", "09:05"), ("1430", "14:30"),
                                             ("9.05", "09:05"), ("2460", "2460"), ("9", "9")])
def test_a_time_typed_without_its_colon_is_understood(open_editor, typed, kept):
    """'0905' was refused as not a real time, with nothing saying how to write one; a time without its
    colon is a common way to write the 24-hour clock the box asks for. What is not a time stays as typed,
    for validation to say how to write it."""
    editor = open_editor(answers={"iart_discussed": "yes"})
    date_input = editor.row_for("iart_discussion_datetime").input
    for box, text in ((date_input.day, "20"), (date_input.month, "11"), (date_input.year, "2026"),
                      (date_input.time, typed)):
        _type(box, text)
    assert editor.model.answers["iart_discussion_datetime"] == f"2026-11-20T{kept}"


@pytest.mark.parametrize(("path", "code"), [("immediate_danger", "no"), ("immediate_danger", "yes")])
def test_yes_no_radios_store_yes_or_no(open_editor, path, code):
    editor = open_editor()
    editor.row_for(path).input.buttons[code].click()
    assert editor.model.answers[path] == code


def test_yes_no_not_known_stores_not_known(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("concerns"))
    editor.row_for("disclosure_made").input.buttons["not_known"].click()
    assert editor.model.answers["disclosure_made"] == "not_known"


def test_short_single_choice_is_radios_storing_the_code(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("route_and_level"))
    editor.row_for("route").input.buttons["b"].click()
    assert editor.model.answers["route"] == "b"


def test_code_list_choice_is_searchable_by_any_part_of_the_label(open_editor, qtbot):
    from referral_desktop.ui.editor.inputs.searchable_choice import SearchableChoiceInput

    editor = open_editor()
    editor.go_to(editor._section_index("children"))
    field_input = editor.row_for("children[0].ethnicity").input
    assert isinstance(field_input, SearchableChoiceInput)
    combo = field_input.combo
    combo.setFocus()
    QTest.keyClicks(combo, "Caribbean")
    # "Caribbean" appears in more than one label: nothing is chosen until it is unambiguous.
    combo.lineEdit().editingFinished.emit()
    combo.lineEdit().clear()
    QTest.keyClicks(combo, "White and Black Caribbean")
    combo.lineEdit().editingFinished.emit()
    assert editor.model.answers["children"][0]["ethnicity"] == "MWBC"
    completer = combo.completer()
    completer.setCompletionPrefix("british")
    assert completer.completionCount() >= 1  # matches inside the label, not only at its start


def test_short_multiple_choice_is_checkboxes_storing_a_list(open_editor):
    from referral_desktop.ui.editor.inputs.choice_inputs import FilterableChecklistInput

    editor = open_editor()
    editor.go_to(editor._section_index("children"))
    field_input = editor.row_for("children[0].disability").input
    # 13 options: a filterable list
    assert isinstance(field_input, FilterableChecklistInput)
    field_input.set_checked("AUT", True)
    field_input.set_checked("HEAR", True)
    assert editor.model.answers["children"][0]["disability"] == ["AUT", "HEAR"]


def test_long_multiple_choice_filters_and_space_ticks(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("concerns"))
    field_input = editor.row_for("concern_categories").input
    _type(field_input.filter, "neglect")
    assert field_input.proxy.rowCount() == 1
    field_input.list.setFocus()
    field_input.list.setCurrentIndex(field_input.proxy.index(0, 0))
    QTest.keyClick(field_input.list, Qt.Key.Key_Space)
    assert editor.model.answers["concern_categories"] == ["neglect"]
    assert "1 selected" in field_input.count_label.text()


def test_checkboxes_for_a_short_multiple_choice(qtbot):
    from referral_desktop.ui.editor.inputs.choice_inputs import CheckboxesInput

    widget = CheckboxesInput([("a", "A"), ("b", "B"), ("c", "C")])
    qtbot.addWidget(widget)
    seen = []
    widget.value_changed.connect(seen.append)
    widget.boxes["c"].click()
    widget.boxes["a"].click()
    assert seen[-1] == ["a", "c"]


def test_attachment_panel_adds_lists_refuses_and_removes(open_editor, runner, recording_store, tmp_path, qtbot):
    editor = open_editor()
    editor.go_to(editor._section_index("early_help"))
    panel = editor.row_for("attachments").input
    good = tmp_path / "chronology.pdf"
    good.write_bytes(b"%PDF-1.7 invented")
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ not a document")
    panel.add_files([good])
    qtbot.waitUntil(lambda: "attachments" in editor.model.answers)
    [attachment_id] = editor.model.answers["attachments"]

    def listed() -> bool:  # the list is redrawn from the store's answer, a moment after the model changes
        texts = [label.text() for label in panel.findChildren(type(panel.empty_label)) if label.isVisibleTo(panel)]
        return any("chronology.pdf" in t and "bytes" in t for t in texts)

    qtbot.waitUntil(listed)
    panel.add_files([bad])
    qtbot.waitUntil(lambda: panel.message.isVisibleTo(panel))
    assert panel.message.text() == "The selected file must be a PDF, PNG or JPEG"
    assert panel.message.accessibleName() == "Error: The selected file must be a PDF, PNG or JPEG"
    panel.remove(attachment_id)
    qtbot.waitUntil(lambda: "attachments" not in editor.model.answers)
    assert recording_store.attachments.files == {}
