"""A referral that is no longer a draft opens read-only; one queued from the editor locks at once."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from referral_desktop.ui.editor.demo_answers import full_answers

pytestmark = pytest.mark.gui


def test_queued_referral_opens_read_only(open_editor, recording_store, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"), state="queued")
    assert editor.read_only
    assert "queued" in editor.banner.text()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_name").input.edit
    assert edit.isReadOnly()
    edit.setFocus()
    QTest.keyClicks(edit, "X")
    assert editor.model.answers["referrer_name"] == "Alex Sample"
    editor.go_to(editor._section_index("children"))
    view = editor.page_for_section("children").groups["children"]
    assert view.add_button.isHidden() and all(b.isHidden() for b in view.remove_buttons)
    editor.go_to_check()
    assert editor.check_page.send_button.isHidden() and not editor.check_page.change_links
    editor.close()
    QTest.qWait(50)
    assert recording_store.referrals.saves == []


def test_set_read_only_after_queuing_locks_every_built_input(open_editor, recording_store):
    editor = open_editor(answers=full_answers("1.0.0"))
    editor.go_to(editor._section_index("about_you"))
    editor.set_read_only()
    assert editor.row_for("referrer_name").input.edit.isReadOnly()
    editor.go_to(editor._section_index("concerns"))  # built after locking
    assert editor.row_for("concern_details").input.edit.isReadOnly()
    assert editor.banner.isVisibleTo(editor)


@pytest.mark.parametrize("queue_later", [False, True])
def test_a_referral_that_cannot_be_changed_counts_no_characters_remaining(open_editor, queue_later):
    """"This referral is queued and can no longer be changed" above "You have 479 characters remaining"
    under its address: the count invites typing where none is possible, so it goes when answers lock."""
    from referral_desktop.ui.editor.character_count import CharacterCount

    editor = open_editor(answers=full_answers("1.0.0"), state="draft" if queue_later else "queued")
    editor.go_to(editor._section_index("about_you"))
    if queue_later:
        editor.set_read_only()
    page = editor.page_for_section("about_you")
    counts = [c for c in page.findChildren(CharacterCount) if c.isVisibleTo(page)]
    assert counts == [], [c.text() for c in counts]
