"""``status`` on documents iART does not have: one still on its way is promised to ``send``; one given up
on (iART refused it for good, or the copy here is damaged) is not, and the professional is told to act.

Before, every referral missing a document got "send goes on sending them", also for a document the
uploads job had given up on and would never send again. All on the real SQLCipher store, through the
real command (``--offline``: nothing is asked of iART)."""

from __future__ import annotations

import io
import sys
from datetime import timedelta

from referral_desktop.cli import main
from referral_desktop.store.attachment_uploads import DAMAGED_HERE

from .conftest import PASSPHRASE
from .purge_steps import decide
from .test_attachment_uploads import _received_with

PROMISE = "send goes on sending them"
GIVEN_UP = "could not be sent and will not be tried again"


def status(monkeypatch, capsys, profile) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    code = main(["--profile", str(profile), "status", "--offline", "--passphrase-stdin"])
    return code, capsys.readouterr().out


def acknowledged(store, clock) -> str:
    """A referral iART received (one document of its own, arrived) and acknowledged: replies can go."""
    referral_id, _ = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [])
    store.referrals.set_state(referral_id, "acknowledged")
    return referral_id


def refused_reply(store, referral_id: str, text: str, documents: tuple[str, ...] = ()) -> None:
    """A reply (with ``documents`` attached by name) queued and refused by iART: never sent."""
    draft = store.replies.save_draft(referral_id, text)
    for name in documents:
        store.attachments.add_to_reply(draft.id, name, b"%PDF-1.4\n" + name.encode() + b"\n%%EOF\n")
    store.replies.freeze(draft.id, b"{}", "application/json")
    store.replies.mark_refused(draft.id, "rejected_422")


def decided_and_purged(store, referral_id: str, clock) -> None:
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1


def give_up(store, clock, attachment_id: str) -> None:
    for _ in range(3):
        store.uploads.mark_mismatch(attachment_id, failure=DAMAGED_HERE,
                                    next_attempt_at=clock() + timedelta(minutes=1), max_mismatches=3)


def test_a_document_given_up_on_is_not_promised_to_send(monkeypatch, capsys, profile, store, clock):
    referral_id, [uploaded, given_up] = _received_with(store, clock, 2)
    store.uploads.begin(referral_id, [given_up])
    store.uploads.mark_uploaded(uploaded, store.attachments.info(uploaded).size)
    give_up(store, clock, given_up)
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert code == 1
    assert f"{referral_id}\treceived\tIART-1" in out and "1 of 2 documents sent; 1 could not be sent" in out
    assert PROMISE not in out
    assert f"1 sent referral has documents that {GIVEN_UP}" in out and "phone iART with the reference" in out
    assert "doc1.png" not in out and "Bee" not in out  # no file name, no answer


def test_a_document_on_its_way_is_still_promised(monkeypatch, capsys, profile, store, clock):
    referral_id, [waiting] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [waiting])
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert code == 1
    assert f"1 sent referral is still missing documents; {PROMISE}." in out and GIVEN_UP not in out


def test_both_are_said_when_both_are_true(monkeypatch, capsys, profile, store, clock):
    first, [waiting] = _received_with(store, clock, 1)
    store.uploads.begin(first, [waiting])
    second, [refused] = _received_with(store, clock, 1)
    store.uploads.begin(second, [refused])
    give_up(store, clock, refused)
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert code == 1
    assert f"1 sent referral is still missing documents; {PROMISE}." in out
    assert f"1 sent referral has documents that {GIVEN_UP}" in out


def test_all_documents_there_says_nothing_more(monkeypatch, capsys, profile, store, clock):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [])
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert code == 0
    assert "1 of 1 document sent" in out and PROMISE not in out and GIVEN_UP not in out


def test_a_purged_referral_still_says_how_many_documents_never_reached_iart(monkeypatch, capsys, profile, store,
                                                                             clock):
    referral_id, [uploaded, given_up] = _received_with(store, clock, 2)
    store.uploads.begin(referral_id, [given_up])
    store.uploads.mark_uploaded(uploaded, store.attachments.info(uploaded).size)
    give_up(store, clock, given_up)
    decided_and_purged(store, referral_id, clock)
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert f"{referral_id}\tpurged\tIART-1\tearly_help" in out
    assert "1 document never reached iART (phone iART with the reference)" in out
    # The receipt's note stays for good; the exit code is about work still going, so it is not held at 1.
    assert code == 0 and PROMISE not in out


def test_a_purged_referral_says_the_replies_iart_refused_too(monkeypatch, capsys, profile, store, clock):
    referral_id = acknowledged(store, clock)
    refused_reply(store, referral_id, "SENTINEL reply words")
    decided_and_purged(store, referral_id, clock)
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert "1 reply never reached iART (phone iART with the reference)" in out
    assert "SENTINEL" not in out and code == 0


def test_a_purged_referral_counts_the_documents_of_a_refused_reply(monkeypatch, capsys, profile, store, clock):
    """The documents of a reply iART refused were never sent (no upload row); the note counts them."""
    referral_id = acknowledged(store, clock)
    refused_reply(store, referral_id, "SENTINEL reply words", ("SENTINEL-letter.pdf", "SENTINEL-plan.pdf"))
    decided_and_purged(store, referral_id, clock)
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert "2 documents and 1 reply never reached iART (phone iART with the reference)" in out
    assert "SENTINEL" not in out and "letter" not in out and code == 0


def test_an_older_receipt_says_a_refused_replys_documents_were_not_counted(monkeypatch, capsys, profile, store,
                                                                          clock):
    """A receipt made before migration 15 holds NULL for the refused replies' documents: how many is gone,
    so the note says "any" rather than leaving them out as if there were none."""
    referral_id = acknowledged(store, clock)
    refused_reply(store, referral_id, "SENTINEL reply words")
    decided_and_purged(store, referral_id, clock)
    with store.write() as conn:  # as a receipt made by version 14 reads once migrated
        conn.execute("UPDATE receipts SET documents_of_refused_replies = NULL WHERE referral_id = ?", (referral_id,))
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert "1 reply (and any documents attached to it) never reached iART (phone iART with the reference)" in out
    assert code == 0


def test_a_purged_referral_says_a_reply_you_had_not_sent_was_removed(monkeypatch, capsys, profile, store, clock):
    """A draft reply (with a document) the purge removed unsent: the note says so, without a word of it."""
    referral_id = acknowledged(store, clock)
    refused_reply(store, referral_id, "SENTINEL refused words")
    draft = store.replies.save_draft(referral_id, "SENTINEL unsent words about Sentinelford")
    store.attachments.add_to_reply(draft.id, "SENTINEL-letter.pdf", b"%PDF-1.4\nletter\n%%EOF\n")
    decided_and_purged(store, referral_id, clock)
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert ("1 reply and 1 reply you had not sent (removed with the referral's details) never reached iART "
            "(phone iART with the reference)") in out
    assert "SENTINEL" not in out and "Sentinelford" not in out and "letter" not in out and code == 0


def test_an_older_receipt_without_the_draft_count_says_nothing_of_drafts(monkeypatch, capsys, profile, store,
                                                                         clock):
    referral_id = acknowledged(store, clock)
    store.replies.save_draft(referral_id, "SENTINEL unsent words")
    decided_and_purged(store, referral_id, clock)
    with store.write() as conn:  # as a receipt made by version 15 reads once migrated
        conn.execute("UPDATE receipts SET draft_replies_removed = NULL WHERE referral_id = ?", (referral_id,))
    store.close()

    code, out = status(monkeypatch, capsys, profile)
    assert f"{referral_id}\tpurged\tIART-1" in out and "never reached" not in out and code == 0
