"""A referral iART refused because its manifest listed a document no answer names is told in people's words.

Found with ``tests/sync/test_frozen_before_documents_left_out.py``: a referral frozen before version 18
with a document only a hidden question names was refused by iART ("The manifest lists an attachment the
answers do not", at the path ``attachments``), and that is what the person read, under "Fix these
answers", beside a "Fix" button that opened "Other documents". In the editor the same words stood as an
error on "Other documents", and Send was refused until that answer was changed, though nothing in the
answers was wrong. The sender now leaves such documents out before sending; a referral refused before the
update says what happened and what to do, and the editor does not hold it back.
"""

from __future__ import annotations

import pytest

from referral_desktop.ui.iart_refusal_words import MANIFEST_WORDS
from referral_desktop.ui.screens.editor_host import load_for_editing
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

#: What iART (the sandbox) answered, as the sender recorded it before the update.
IART_SAID = ("attachments", "The manifest lists an attachment the answers do not")
NHS = ("children[0].nhs_number", "Enter an NHS number with 10 digits")


def _refused(store, reasons):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    store.referrals.reject(referral.id, reasons)
    return str(referral.id)


def _open(qtbot, context, rid):
    screen = hold(qtbot, ReferralDetailScreen(context))
    screen.show()
    screen.load(rid)
    qtbot.waitUntil(lambda: bool(_texts(screen)[1]), timeout=5000)  # its reasons listed
    return screen


def _texts(screen):
    from PySide6.QtWidgets import QLabel, QPushButton

    labels = [label.text() for label in screen.reasons_box.findChildren(QLabel)]
    buttons = [(b.text(), b.accessibleName()) for b in screen.reasons_box.findChildren(QPushButton)]
    return labels, buttons


def test_the_referral_page_says_what_happened_and_what_to_do(qtbot, context):
    store = create_store_now(context)
    screen = _open(qtbot, context, context.runner.run_sync(lambda: _refused(store, [IART_SAID])))
    labels, buttons = _texts(screen)
    assert "iART returned this referral:" in labels  # not "Fix these answers": none is wrong
    assert f"• {MANIFEST_WORDS}" in labels
    assert not any("manifest" in text.lower() for text in labels)
    assert buttons == [("Send it again", f"Send it again: {MANIFEST_WORDS}")]


def test_beside_a_real_problem_both_are_listed(qtbot, context):
    store = create_store_now(context)
    screen = _open(qtbot, context, context.runner.run_sync(lambda: _refused(store, [NHS, IART_SAID])))
    labels, buttons = _texts(screen)
    assert "iART returned this referral. Fix these answers, then send it again:" in labels
    assert f"• {NHS[1]}" in labels and f"• {MANIFEST_WORDS}" in labels
    assert [text for text, _name in buttons] == ["Fix", "Send it again"]


def test_the_editor_is_not_held_back_by_it(qtbot, context):
    """The editor shows iART's reasons beside their questions and refuses Send until each is changed; this
    one is about no answer, so it is not given to the editor (the check page says which document stays)."""
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _refused(store, [NHS, IART_SAID]))
    _form, referral, _newer = context.runner.run_sync(lambda: load_for_editing(store, rid))
    assert list(referral.rejection_reasons) == [NHS]


def test_send_it_again_opens_the_editor_on_its_check_page(qtbot, context):
    """The button asks for the first declaration's path, which the editor shows on its check page: where
    Send is, and where the inset names the question whose document will stay behind."""
    from PySide6.QtWidgets import QPushButton

    from referral_desktop.ui.editor import EditorScreen

    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _refused(store, [IART_SAID]))
    screen = _open(qtbot, context, rid)
    [button] = [b for b in screen.reasons_box.findChildren(QPushButton) if b.text() == "Send it again"]
    with qtbot.waitSignal(screen.fix_requested) as asked:
        button.click()
    assert asked.args == [rid, "subject_access_confirmed"]
    form, referral, _newer = context.runner.run_sync(lambda: load_for_editing(store, rid))
    editor = hold(qtbot, EditorScreen(form, referral, context.runner))
    editor.show()
    editor.navigate_to(asked.args[1])
    assert editor.current_page() is editor.check_page
