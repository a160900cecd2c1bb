"""The receipt kept after the purge counts the replies iART refused, with nothing of their text.

A reply the professional sent that iART refused (state ``refused``: the page says "Reply not accepted by
iART") does not hold the purge, and the purge deletes it with the rest of the referral's details. Without
a count on the receipt nothing would record afterwards that iART never got that reply, and the purged
referral's page could not tell the professional to phone iART about it. All on the real SQLCipher store."""

from __future__ import annotations

from referral_desktop.store import open_store

from .conftest import PASSPHRASE
from .purge_steps import decide, receipt_row
from .test_replies import _sent_referral

#: Reply text no receipt may hold.
REFUSED_TEXT = "SENTINEL the family moved to Sentinelford"
SENT_TEXT = "SENTINEL mother agrees"


def _reply(store, referral_id: str, text: str) -> str:
    draft = store.replies.save_draft(referral_id, text)
    return store.replies.freeze(draft.id, b"{}", "application/json").id


def test_a_reply_iart_refused_is_counted_on_the_receipt_without_its_text(store, clock):
    referral_id = _sent_referral(store, clock)
    refused = _reply(store, referral_id, REFUSED_TEXT)
    store.replies.mark_refused(refused, "rejected_422")
    sent = _reply(store, referral_id, SENT_TEXT)
    store.replies.mark_sent(sent, sent_at=clock(), sequence=2)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert receipt.replies_refused_by_iart == 1
    assert receipt.messages_exchanged == 1  # the sent reply only, as before
    text = " ".join(str(value) for value in receipt_row(store, referral_id))
    assert "SENTINEL" not in text and "Sentinelford" not in text and "mother" not in text
    assert refused not in text and sent not in text  # nor the replies' ids
    assert store.replies.list(referral_id) == []  # the replies went with the purge


def test_sent_replies_and_an_unsent_draft_are_not_counted_as_refused(store, clock):
    referral_id = _sent_referral(store, clock)
    sent = _reply(store, referral_id, SENT_TEXT)
    store.replies.mark_sent(sent, sent_at=clock(), sequence=1)
    store.replies.save_draft(referral_id, "never sent")
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    assert store.receipts.get(referral_id).replies_refused_by_iart == 0


def test_two_refused_replies_are_counted_and_survive_reopening(store, profile, clock):
    referral_id = _sent_referral(store, clock)
    for n in range(2):
        store.replies.mark_refused(_reply(store, referral_id, f"{REFUSED_TEXT} {n}"), "rejected_409")
    clock.advance(days=31)  # received, never decided: purged under the retention period

    assert store.purge_expired(clock.now, 30) == 1
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.receipts.get(referral_id).replies_refused_by_iart == 2
        assert [r.replies_refused_by_iart for r in reopened.receipts.list()] == [2]
    finally:
        reopened.close()
