"""Documents attached to a reply: kept encrypted like a referral's, under the same rules, frozen with the
reply, counted per reply once iART holds it ("1 of 2 documents sent"), and purged with the referral."""

from __future__ import annotations

import uuid

import pytest

from referral_desktop.store import NotEditable
from referral_desktop.store.errors import AttachmentRefused

from .purge_steps import decide
from .test_replies import _sent_referral

PDF = b"%PDF-1.4\nreply document\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_reply_document_is_the_replys_not_the_referrals(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.ensure_draft(referral_id)
    assert (draft.state, draft.text) == ("draft", "")
    info = store.attachments.add_to_reply(draft.id, "school report.pdf", PDF)
    assert (info.reply_id, info.referral_id, info.content_type) == (draft.id, referral_id, "application/pdf")
    assert store.attachments.for_reply(draft.id) == [info]
    assert store.attachments.list(referral_id) == []  # not in the referral's manifest
    assert store.attachments.read(info.id) == PDF
    assert store.uploads.progress([referral_id]) == {}  # the referral's "n of m" is about its own documents
    assert store.replies.ensure_draft(referral_id).id == draft.id  # the same draft, not a second one


@pytest.mark.parametrize(("data", "limit", "message"), [
    (b"just some text", None, "The selected file must be a PDF, JPG, PNG or Word document (DOCX)"),
    (PDF, 10, "The selected file must be smaller than 1 KB"),
    (b"", None, "The selected file is empty"),
])
def test_a_reply_document_is_checked_by_the_forms_rules_before_anything_is_kept(store, clock, data, limit, message):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.ensure_draft(referral_id)
    with pytest.raises(AttachmentRefused) as refused:
        store.attachments.add_to_reply(draft.id, "notes.txt", data, max_bytes=limit)
    assert str(refused.value) == message
    assert store.attachments.for_reply(draft.id) == []


def test_the_policys_types_apply_to_replies_too(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.ensure_draft(referral_id)
    with pytest.raises(AttachmentRefused, match="must be a PDF"):
        store.attachments.add_to_reply(draft.id, "photo.png", PNG, allowed_types=["application/pdf"])
    assert store.attachments.add_to_reply(draft.id, "photo.png", PNG, allowed_types=["png"]).content_type == "image/png"


def test_documents_are_fixed_once_the_reply_is_queued_and_go_with_a_discarded_draft(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, "The report is attached")
    kept = store.attachments.add_to_reply(draft.id, "a.pdf", PDF)
    removed = store.attachments.add_to_reply(draft.id, "b.pdf", PDF)
    store.attachments.remove(removed.id)
    store.replies.freeze(draft.id, b'{"text":"x"}', "application/json")
    with pytest.raises(NotEditable):
        store.attachments.add_to_reply(draft.id, "c.pdf", PDF)
    with pytest.raises(NotEditable):
        store.attachments.remove(kept.id)
    other = store.replies.save_draft(referral_id, "Another")
    dropped = store.attachments.add_to_reply(other.id, "d.pdf", PDF)
    assert store.replies.discard_draft(referral_id)
    assert [a.id for a in store.attachments.for_reply(other.id)] == []
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM attachment_chunks WHERE attachment_id = ?",
                            (dropped.id,)).fetchone()[0] == 0


def test_progress_per_reply_once_iart_holds_it(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, "Two documents")
    first = store.attachments.add_to_reply(draft.id, "a.pdf", PDF)
    second = store.attachments.add_to_reply(draft.id, "b.pdf", PDF)
    store.replies.freeze(draft.id, b"{}", "application/json")
    progress = store.uploads.reply_progress(referral_id)[draft.id]
    assert (progress.total, progress.uploaded) == (2, 0)  # not held by iART yet: 0 of 2
    with store.write():
        store.replies.mark_sent(draft.id, sent_at=clock(), sequence=2)
        store.uploads.begin_reply(draft.id, [first.id, second.id])
    assert {e.attachment_id for e in store.uploads.due(clock())} == {first.id, second.id}
    store.uploads.mark_uploaded(first.id, first.size)
    progress = store.uploads.reply_progress(referral_id)[draft.id]
    assert (progress.total, progress.uploaded, progress.sentence()) == (2, 1, "1 of 2 documents sent")
    store.uploads.reconcile(referral_id, [])  # the referral's own reconciliation leaves them alone
    assert [e.attachment_id for e in store.uploads.due(clock())] == [second.id]


def _a_sent_replys_document_on_its_way(store, clock):
    """A sent referral with a reply sent to iART whose one document is still to be uploaded."""
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, "Attached")
    info = store.attachments.add_to_reply(draft.id, "a.pdf", PDF)
    store.replies.freeze(draft.id, b"{}", "application/json")
    with store.write():
        store.replies.mark_sent(draft.id, sent_at=clock(), sequence=1)
        store.uploads.begin_reply(draft.id, [info.id])
    return referral_id, info


def test_the_purge_waits_for_a_replys_documents_then_takes_them_with_the_referral(store, clock):
    referral_id, info = _a_sent_replys_document_on_its_way(store, clock)
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 0  # the document is still on its way: nothing purged
    store.uploads.mark_uploading(info.id, 10)
    assert store.purge_expired(clock.now, 30) == 0
    store.uploads.mark_uploaded(info.id, info.size)
    assert store.purge_expired(clock.now, 30) == 1
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM attachments WHERE id = ?", (info.id,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM attachment_chunks WHERE attachment_id = ?",
                            (info.id,)).fetchone()[0] == 0


def test_a_document_given_up_on_does_not_hold_the_purge(store, clock):
    referral_id, info = _a_sent_replys_document_on_its_way(store, clock)
    assert store.uploads.mark_mismatch(info.id, failure="damaged_here", next_attempt_at=clock(),
                                       max_mismatches=1).state == "failed"
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1


def test_the_feed_brings_a_replys_uploads_in_line_as_for_a_referral(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, "Two documents")
    first = store.attachments.add_to_reply(draft.id, "a.pdf", PDF)
    second = store.attachments.add_to_reply(draft.id, "b.pdf", PDF)
    store.replies.freeze(draft.id, b"{}", "application/json")
    store.replies.mark_sent(draft.id, sent_at=clock(), sequence=1)  # learnt from the feed: no rows yet
    assert store.uploads.reconcile_reply(draft.id, [first.id, second.id]) == 2
    assert store.uploads.reply_progress(referral_id)[draft.id].sentence() == "0 of 2 documents sent"
    assert store.uploads.reconcile_reply(draft.id, [first.id, second.id]) == 0  # unchanged: nothing written
    assert store.uploads.reconcile_reply(draft.id, [second.id]) == 1  # iART has the first
    store.uploads.mark_uploaded(second.id, second.size)
    assert store.uploads.reconcile_reply(draft.id, [second.id]) == 1  # iART lost it: send it again
    assert [e.attachment_id for e in store.uploads.due(clock())] == [second.id]
    assert store.uploads.reconcile_reply(str(uuid.uuid4()), []) == 0  # a reply with no documents here
