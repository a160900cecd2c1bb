"""Attachments (type by content, size, sha256, chunks), the outbox, receipts and the retention purge."""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import timedelta

import pytest

from referral_desktop.store import AttachmentRefused, NotEditable

from .conftest import answers_with_child


def png_bytes(extra: int = 0) -> bytes:
    """A real (tiny) PNG, optionally padded with an ancillary chunk to make it bigger."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", ihdr)
    if extra:
        body += chunk(b"teXt", b"c\x00" + b"x" * extra)
    body += chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_add_read_and_stream(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    data = png_bytes(extra=600_000)
    info = store.attachments.add(referral.id, "scan.png", data)
    assert info.content_type == "image/png"
    assert info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert store.attachments.read(info.id) == data
    chunks = list(store.attachments.iter_chunks(info.id, 100_000))
    assert all(len(c) == 100_000 for c in chunks[:-1])
    assert b"".join(chunks) == data
    assert [a.id for a in store.attachments.list(referral.id)] == [info.id]
    store.attachments.remove(info.id)
    assert store.attachments.list(referral.id) == []


def test_type_is_checked_by_content_not_name(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    with pytest.raises(AttachmentRefused) as info:
        store.attachments.add(referral.id, "letter.pdf", b"just some text pretending to be a pdf")
    assert info.value.message == "The selected file must be a PDF, JPG, PNG or Word document (DOCX)"
    exe = b"MZ" + b"\x90" * 200
    with pytest.raises(AttachmentRefused):
        store.attachments.add(referral.id, "photo.png", exe)
    assert store.attachments.add(referral.id, "whatever.bin", PDF).content_type == "application/pdf"
    with pytest.raises(AttachmentRefused) as narrow:
        store.attachments.add(referral.id, "x.png", png_bytes(), allowed_types=["application/pdf"])
    assert narrow.value.message == "The selected file must be a PDF"


def test_size_limit_and_empty(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    with pytest.raises(AttachmentRefused) as info:
        store.attachments.add(referral.id, "big.png", png_bytes(extra=3000), max_bytes=2048)
    assert info.value.message == "The selected file must be smaller than 2 KB"
    with pytest.raises(AttachmentRefused):
        store.attachments.add(referral.id, "empty.pdf", b"")


def test_no_attachments_once_frozen(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.freeze(referral.id, b"p", "application/json")
    with pytest.raises(NotEditable):
        store.attachments.add(referral.id, "a.pdf", PDF)


def test_outbox_enqueue_due_mark(store, clock):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.freeze(referral.id, b"p", "application/json")
    store.outbox.enqueue(referral.id)
    assert store.referrals.get(referral.id).state == "queued"
    [entry] = store.outbox.due(clock.now)
    assert (entry.referral_id, entry.attempts, entry.state) == (referral.id, 0, "waiting")
    later = clock.now + timedelta(seconds=30)
    store.outbox.mark(referral.id, state="retrying", attempts=1, next_attempt_at=later, last_error_code="503")
    assert store.outbox.due(clock.now) == []
    [entry] = store.outbox.due(later)
    assert (entry.attempts, entry.last_error_code) == (1, "503")
    store.outbox.remove(referral.id)
    assert store.outbox.list() == []


def _decided(store, clock, child=("Ann", "Bee")):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child(*child))
    store.attachments.add(referral.id, "a.pdf", PDF)
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    store.referrals.set_state(referral.id, "received", iart_reference="IART-1", sent_at=clock(),
                              received_at=clock(), decision_due=clock() + timedelta(days=1))
    return referral.id


def test_purge_after_decision_keeps_a_receipt(store, clock):
    referral_id = _decided(store, clock)
    assert store.purge_expired(clock.now, 30) == 0  # received, not decided, not old
    store.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=clock())
    assert store.purge_expired(clock.now, 30) == 1
    purged = store.referrals.get(referral_id)
    assert purged.state == "purged"
    assert purged.answers == {}
    assert purged.frozen_payload is None
    assert store.attachments.list(referral_id) == []
    receipt = store.receipts.get(referral_id)
    assert (receipt.iart_reference, receipt.outcome, receipt.child_initials) == ("IART-1", "early_help", "AB")
    assert receipt.sent_at is not None and receipt.decided_at is not None
    assert store.audit.list(referral_id)[-1].event == "purged"
    assert store.purge_expired(clock.now, 30) == 0


def test_purge_after_retention_days_without_decision(store, clock):
    referral_id = _decided(store, clock)
    clock.advance(days=29)
    assert store.purge_expired(clock.now, 30) == 0
    clock.advance(days=2)
    assert store.purge_expired(clock.now, 30) == 1
    assert store.receipts.get(referral_id).outcome is None
    assert [r.referral_id for r in store.receipts.list()] == [referral_id]


# ------------------------------------------------------------------------------------- iART's messages


def test_messages_from_iart_are_kept_newest_first_once_each(store, clock):
    referral_id = _decided(store, clock)
    first_at = clock()
    store.referrals.set_state(referral_id, "info_requested", message="Please send the school report.",
                              message_at=first_at)
    clock.advance(hours=2)
    second_at = clock()
    assert store.referrals.add_message(referral_id, "And the GP's details, please.", second_at)
    # The poller sees the same message on every poll: it is kept once.
    assert not store.referrals.add_message(referral_id, "Please send the school report.", first_at)
    store.referrals.set_state(referral_id, "info_requested", message="And the GP's details, please.",
                              message_at=second_at)
    messages = store.referrals.messages(referral_id)
    assert [(m.text, m.sent_at) for m in messages] == [
        ("And the GP's details, please.", second_at),
        ("Please send the school report.", first_at),
    ]
    assert all(m.recorded_at is not None for m in messages)
    assert str(store.referrals.get(referral_id).state) == "info_requested"
    # The audit log says a message came, never what it said.
    audit = [e for e in store.audit.list(referral_id) if e.event == "message_received"]
    assert len(audit) == 2 and all(e.detail is None and e.fields == () for e in audit)
    assert not store.referrals.add_message(referral_id, "   ")  # nothing to keep


def test_message_for_an_unknown_referral_is_refused(store):
    from referral_desktop.store import ReferralNotFound

    with pytest.raises(ReferralNotFound):
        store.referrals.add_message("no-such-referral", "Hello")


def test_purge_removes_iart_messages_with_the_personal_data(store, clock):
    referral_id = _decided(store, clock)
    store.referrals.set_state(referral_id, "info_requested", message="About Ann Bee's school", message_at=clock())
    assert len(store.referrals.messages(referral_id)) == 1
    store.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=clock())
    assert store.purge_expired(clock.now, 30) == 1
    assert store.referrals.messages(referral_id) == []
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM iart_messages").fetchone()[0] == 0


def test_deleting_a_draft_deletes_its_messages(store):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child())
    store.referrals.add_message(draft.id, "Not usually, but kept if it happens")
    store.referrals.delete_draft(draft.id)
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM iart_messages").fetchone()[0] == 0
