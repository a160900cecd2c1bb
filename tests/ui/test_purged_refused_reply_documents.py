"""A purged referral's page and saved receipt count the documents of a reply iART refused among those that
never reached iART, and say why in their own words: never sent, because the reply they went with was not
accepted (not "iART did not accept it" one by one). Counts only: no file name, no word of the reply.

Before, those documents had no upload row (a reply's documents are uploaded only once iART takes it), so
the receipt's counts never saw them and the page and the PDF said nothing of them. A receipt made before
they were counted (NULL, migration 15) says "any documents attached" on the reply's line instead. Real
SQLCipher store, the real screen, the PDF read by poppler."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import pages_deleted_after_the_test  # noqa: F401 (deletes the pages _open holds)
from tests.ui.poppler import pdf_text
from tests.ui.test_referral_detail import ASKED_AT, _open, _received_with_documents

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

REPLY = "SENTINEL the family moved to Sentinelford"
NAMES = ("SENTINEL-Olive-letter.pdf", "SENTINEL-Vale-plan.pdf")


def _purged_with_a_refused_reply(store, *, reply_documents=NAMES, refuse_own: int = 0, counted: bool = True):
    """A referral (its own document ``own.png``, the first ``refuse_own`` of them refused for good) with one
    reply iART refused carrying ``reply_documents``; decided and purged. ``counted=False``: the receipt as
    one made before migration 15 reads (the refused reply's documents not counted)."""
    from referral_desktop.store.retention import purge_expired

    referral_id, ids = _received_with_documents(store, ["own.png"])
    for aid in ids[:refuse_own]:
        for _ in range(3):
            store.uploads.mark_refused(aid, error_code="rejected_422", next_attempt_at=ASKED_AT, max_refusals=3)
    for aid in ids[refuse_own:]:
        store.uploads.mark_uploaded(aid, 100)
    draft = store.replies.save_draft(referral_id, REPLY)
    for name in reply_documents:
        store.attachments.add_to_reply(draft.id, name, b"%PDF-1.4\n" + name.encode() + b"\n%%EOF\n")
    store.replies.freeze(draft.id, b"{}", "application/json")
    store.replies.mark_refused(draft.id, "rejected_422")
    store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                              outcome="early_help_and_prevention")
    assert purge_expired(store, ASKED_AT + timedelta(hours=4)) == 1
    if not counted:
        with store.write() as conn:
            conn.execute("UPDATE receipts SET documents_of_refused_replies = NULL WHERE referral_id = ?",
                         (referral_id,))
    return referral_id


def _page_text(qtbot, context, referral_id) -> str:
    screen = _open(qtbot, context, referral_id)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", screen.summary.text()).split()))  # as it reads


def _receipt_text(context, store, referral_id, path) -> str:
    from referral_desktop.ui.receipt_export import receipt_page
    from tests.ui.printed_now import print_now

    return " ".join(pdf_text(print_now(context, store, receipt_page, referral_id, path)).split())


def _nothing_personal(text: str) -> None:
    assert "SENTINEL" not in text and "Olive" not in text and "Vale" not in text and "Sentinelford" not in text


def test_the_purged_page_says_a_refused_replys_documents_never_reached_iart(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store))
    text = _page_text(qtbot, context, referral_id)
    assert ("⚠ 2 documents attached to this referral or your replies never reached iART: They went with a reply "
            "iART did not accept, so they were never sent. Phone iART (View → Contacts and hours), give them the iART "
            "reference IART-2026-000123, and ask how to send them another way.") in text
    assert "⚠ 1 reply you sent never reached iART: iART did not accept it." in text
    assert "Any documents" not in text  # counted: the documents' line told them
    _nothing_personal(text)


def test_a_refused_replys_documents_are_told_apart_from_one_iart_refused(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(
        lambda: _purged_with_a_refused_reply(store, reply_documents=NAMES[:1], refuse_own=1))
    text = _page_text(qtbot, context, referral_id)
    assert ("2 documents attached to this referral or your replies never reached iART: 1 because iART did not "
            "accept it, 1 because it went with a reply iART did not accept, so it was never sent.") in text


def test_the_saved_receipt_counts_a_refused_replys_documents(qtbot, context, tmp_path):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store))
    text = _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")
    assert ("Documents that never reached iART 2 (they went with a reply iART did not accept, so they were "
            "never sent)") in text
    assert "Replies iART did not accept 1" in text and "Replies iART did not accept 1 (" not in text
    _nothing_personal(text)


def test_a_refused_reply_without_documents_adds_none(qtbot, context, tmp_path):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store, reply_documents=()))
    text = _page_text(qtbot, context, referral_id)
    assert "documents attached to this referral" not in text and "document attached to" not in text
    assert "1 reply you sent never reached iART" in text and "Any documents" not in text
    assert "never reached" not in _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")


def test_an_older_receipt_says_any_documents_of_the_refused_reply_were_not_sent_either(qtbot, context, tmp_path):
    """A receipt from before the count (NULL) cannot say how many; it must not read as if there were none."""
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store, counted=False))
    text = _page_text(qtbot, context, referral_id)
    assert ("⚠ 1 reply you sent never reached iART: iART did not accept it. Phone iART (View → Contacts and hours), give "
            "them the iART reference IART-2026-000123, and tell them what it said. This computer no longer holds "
            "it. Any documents you attached to it were not sent either.") in text
    assert "documents attached to this referral" not in text
    receipt = _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")
    assert "Replies iART did not accept 1 (any documents attached to it were not sent either)" in receipt
    assert "Documents that never reached" not in receipt
    _nothing_personal(text + receipt)
