"""A purged referral's page and saved receipt say that a reply the professional started and never sent was
removed with the referral's details, that it did not reach iART, and what to do if it still matters;
nothing of the reply (its words, its documents' names) is shown.

Before, the retention purge removed the draft with the details and nothing said so: someone who came back
to finish the reply found it gone without a word. A receipt made before the count (NULL, migration 16)
says nothing of it beyond the retention text (whether there was a draft cannot be known). Real SQLCipher
store, the real screen, the PDF read by poppler."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.test_purged_refused_reply_documents import _page_text, _receipt_text
from tests.ui.test_referral_detail import ASKED_AT, _received_with_documents

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

TEXT = "SENTINEL the family moved to Sentinelford"
NAME = "SENTINEL-Olive-letter.pdf"
LINE = ("⚠ A reply you had started and not sent was removed with the referral's details when iART decided. It did "
        "not reach iART, and nor did any document you attached to it. If what it said still matters, phone iART "
        "(View → Contacts and hours) and give them the iART reference IART-2026-000123. This computer no longer holds it.")


def _purged_with_a_draft(store, *, text: str = TEXT, document: bool = True, decided: bool = True,
                         counted: bool = True) -> str:
    """A referral iART received (its own document arrived) with a draft reply holding ``text`` (and a
    document), never sent; decided and purged (or purged when the retention period ended). ``counted=False``:
    the receipt as one made before migration 16 reads."""
    from referral_desktop.store.retention import purge_expired

    referral_id, ids = _received_with_documents(store, ["own.png"])
    store.uploads.mark_uploaded(ids[0], 100)
    draft = store.replies.save_draft(referral_id, text)
    if document:
        store.attachments.add_to_reply(draft.id, NAME, b"%PDF-1.4\n" + NAME.encode() + b"\n%%EOF\n")
    if decided:
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                                  outcome="early_help_and_prevention")
        assert purge_expired(store, ASKED_AT + timedelta(hours=4)) == 1
    else:
        assert purge_expired(store, ASKED_AT + timedelta(days=31)) == 1
    if not counted:
        with store.write() as conn:
            conn.execute("UPDATE receipts SET draft_replies_removed = NULL WHERE referral_id = ?", (referral_id,))
    return referral_id


def _nothing_of_the_reply(text: str) -> None:
    assert "SENTINEL" not in text and "Sentinelford" not in text and "Olive" not in text and ".pdf" not in text


def test_the_purged_page_says_an_unsent_reply_was_removed_and_did_not_reach_iart(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_draft(store))
    text = _page_text(qtbot, context, referral_id)
    assert LINE in text
    assert "(answers, documents, messages and any reply you had not sent) were removed" in text
    assert "never reached iART" not in text  # its document was never tried: told with the reply, not as a loss
    _nothing_of_the_reply(text)


def test_the_saved_receipt_counts_the_unsent_reply(qtbot, context, tmp_path):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_draft(store))
    text = _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")
    assert ("Replies started and not sent 1 (removed with the referral's details when iART decided; never sent "
            "to iART)") in text
    _nothing_of_the_reply(text)


def test_removed_at_the_end_of_the_retention_period_it_does_not_say_iart_decided(qtbot, context, tmp_path):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_draft(store, document=False, decided=False))
    text = _page_text(qtbot, context, referral_id)
    assert "A reply you had started and not sent was removed with the referral's details when the retention " \
           "period ended." in text
    assert "iART decided" not in text
    receipt = _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")
    assert "when the retention period ended" in receipt and "iART decided" not in receipt


def test_a_blank_draft_held_nothing_and_nothing_is_said(qtbot, context, tmp_path):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_draft(store, text=" \n ", document=False))
    text = _page_text(qtbot, context, referral_id)
    assert "started and not sent" not in text
    assert "started and not sent" not in _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")


def test_an_older_receipt_reads_without_the_count(qtbot, context, tmp_path):
    """NULL: not known. The page neither claims a reply was removed nor that none was; its retention text
    says any unsent reply went with the details."""
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_draft(store, counted=False))
    text = _page_text(qtbot, context, referral_id)
    assert "started and not sent" not in text
    assert "any reply you had not sent) were removed" in text
    assert "started and not sent" not in _receipt_text(context, store, referral_id, tmp_path / "receipt.pdf")
