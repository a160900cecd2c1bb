"""A draft on form 1.0.0 moves to 1.1.0 from the real editor (banner, dialog, real SQLCipher store)
with nothing lost: carried answers on screen, the rest kept with the referral, and the moved route c
notification, which 1.0.0 could never send, is now valid."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_catalog import load_form
from referral_desktop.domain.validation import validate
from referral_desktop.ui.screens.editor_host import EditorHost
from tests.ui.conftest import create_store_now

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def _draft_on_1_0_0(context) -> tuple[str, dict]:
    answers = json.loads((forms_dir() / "examples" / "valid-route-c.json").read_text(encoding="utf-8"))["answers"]
    store = create_store_now(context)
    referral = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", answers))
    return str(referral.id), answers


def _open(qtbot, context, referral_id: str) -> EditorHost:
    host = EditorHost(context)
    qtbot.addWidget(host)
    host.resize(1200, 800)
    host.show()
    host.open(referral_id)
    qtbot.waitUntil(lambda: host.editor is not None, timeout=10_000)
    return host


def test_a_1_0_0_draft_moves_to_1_1_0_with_nothing_lost(qtbot, context):
    referral_id, answers = _draft_on_1_0_0(context)
    old, new = load_form("cwac-marf", "1.0.0"), load_form("cwac-marf", "1.1.0")
    assert answers["consent_obtained"] == "yes"  # a 1.0.0 answer 1.1.0 no longer asks
    host = _open(qtbot, context, referral_id)
    assert host.editor.form.version == "1.0.0"
    # Widgets added to a shown window are shown by a queued event: wait for it rather than race it.
    qtbot.waitUntil(lambda: host.banner is not None and host.banner.isVisible(), timeout=5000)
    assert "A newer version of this form is available" in host.banner.text.text()

    qtbot.mouseClick(host.banner.button, LEFT)
    qtbot.waitUntil(lambda: host.move_dialog is not None and host.move_dialog.isVisible(), timeout=5000)
    dialog = host.move_dialog
    assert old.find("consent_obtained").label in dialog.not_carried.text()
    assert new.find("family_agreement").label in dialog.new_questions.text()
    assert dialog.keep_button.isDefault()
    # Nothing on screen opens the earlier answers after a move: the dialog must not promise them back
    # ("not lost"), but say they leave the form and to note what is needed first.
    intro = dialog.intro.text()
    assert "not lost" not in intro and "not shown in the form after the move" in intro, intro
    assert "note" in intro.lower()
    qtbot.mouseClick(dialog.move_button, LEFT)

    qtbot.waitUntil(lambda: host.editor is not None and host.editor.form.version == "1.1.0", timeout=10_000)
    assert host.banner is None  # 1.1.0 is the newest
    store = context.runner.store
    referral = context.runner.run_sync(lambda: store.referrals.get(referral_id))
    assert referral.form_version == "1.1.0"
    earlier = context.runner.run_sync(lambda: store.form_moves.earlier_answers(referral_id))
    assert earlier == [{"form_version": "1.0.0", "answers": answers}]  # every old answer kept
    for key in ("referrer_name", "statutory_notification_type", "statutory_notification_details", "route"):
        assert referral.answers[key] == answers[key]
        assert host.editor.model.answers[key] == answers[key]
    assert referral.answers["children"][0]["family_name"] == answers["children"][0]["family_name"]
    assert validate(new, referral.answers, today=date(2025, 6, 2)).errors == []


def test_keeping_the_old_version_changes_nothing(qtbot, context):
    referral_id, answers = _draft_on_1_0_0(context)
    host = _open(qtbot, context, referral_id)
    qtbot.mouseClick(host.banner.button, LEFT)
    qtbot.waitUntil(lambda: host.move_dialog is not None and host.move_dialog.isVisible(), timeout=5000)
    qtbot.mouseClick(host.move_dialog.keep_button, LEFT)
    qtbot.waitUntil(lambda: not host.move_dialog.isVisible(), timeout=5000)
    store = context.runner.store
    referral = context.runner.run_sync(lambda: store.referrals.get(referral_id))
    assert (referral.form_version, referral.answers) == ("1.0.0", answers)
    assert host.editor.form.version == "1.0.0" and host.banner is not None


def test_sections_hidden_by_an_answer_leave_no_gap_in_the_numbering(qtbot, context):
    referral_id, _ = _draft_on_1_0_0(context)
    store = context.runner.store
    answers = {"referrer_type": "professional", "route": "a"}
    referral = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.1.0", answers))
    host = _open(qtbot, context, str(referral.id))
    steps = host.editor.step_list
    shown = [steps.step_model.item(r).text() for r in range(steps.step_model.rowCount()) if not steps.isRowHidden(r)]
    assert [text.split(".")[0] for text in shown] == [str(n) for n in range(1, len(shown) + 1)]
    assert shown[1].startswith("2. About you")  # "If you are not a professional" is hidden


def test_any_copy_of_the_referral_marks_the_protected_informant_confidential():
    from types import SimpleNamespace

    from referral_desktop.ui.referral_document import CONFIDENTIAL_NOTE, referral_html

    answers = json.loads((forms_dir() / "examples" / "1.1.0" / "valid-route-a.json").read_text(encoding="utf-8"))
    answers = answers["answers"] | {"informant_protected": "yes", "informant_details": "The neighbour at number 3"}
    referral = SimpleNamespace(id="r", answers=answers, state="draft", iart_reference=None, outcome=None,
                               form_id="cwac-marf", form_version="1.1.0", sent_at=None, received_at=None,
                               decision_due=None, created_at=None, updated_at=None)
    page = referral_html(referral, load_form("cwac-marf", "1.1.0"))
    assert page.count(CONFIDENTIAL_NOTE) == 2  # beside both informant answers, nowhere else
    before, _, after = page.partition("The neighbour at number 3")
    assert CONFIDENTIAL_NOTE in before[-300:]
