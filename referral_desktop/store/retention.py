"""Receipts and the retention purge.

Rule (PRODUCT.md §4): once iART has decided, or once a sent referral is older than the retention period
(policy, default 30 days, counted from when iART received it — or sent, if no receipt time was
recorded), its personal data is removed from the device: the answers, the frozen payload, the
attachments, the outbox row, iART's messages and the referrer's replies. A receipt remains: iART
reference, dates, outcome, the child's initials, how many messages were exchanged, and how many of the
referral's documents (its own and its replies') never reached iART, by why: damaged here, or not accepted
by iART, or never sent because iART refused the reply they were attached to (counts only: no names,
sizes or types), how many of the referrer's replies iART refused (a count only: no text), and whether
a reply the referrer had started and not sent was removed (a count only: no text, no file names). The
summary row stays too, in state ``purged``, so the home screen still lists it.

Nothing unsent is purged. A referral waits while a reply is still on its way to iART (until it is sent
or refused), and while any of its documents — its own or a reply's — is still on its way (an upload
``pending`` or ``uploading``): iART decided, but never got that document, and deleting it here would
lose it. The next purge after the upload is done takes the referral with everything. What bounds the
wait is the uploads' own rule (``sync/jobs/uploads.py``): an upload ends ``uploaded``, or ``failed`` —
given up on after repeated checksum mismatches, or after iART refused it repeatedly with its own final
word — and a document given up on does not hold the purge. It is counted on the receipt instead, in
the purge's own transaction (which is also where it checks that nothing is on its way), so the page of a
purged referral can still tell the professional to phone iART about it. A reply iART refused holds
nothing either (nothing more will be tried) and is counted on the receipt the same way, and so are its
documents: they have no upload row (a reply's documents are uploaded only once iART takes the reply), so
they are counted from the reply.
A draft reply holds nothing either: iART decided, so it can no longer be sent, and it goes with the
details (the reply box says so while it is open). A draft that held anything (text that is not only
whitespace, or a document) is counted on the receipt, so the page, the saved receipt, ``status`` and a
notification can tell the professional that it never reached iART, rather than it vanishing unsaid.
An upload that keeps meeting an outage or a server error is retried on its capped backoff for as long
as that lasts, and the referral's details stay until it succeeds (as an unsent referral's do). A
document without an upload row (none is created before iART acknowledges the referral) holds nothing:
no job would ever send it, so it could only hold the purge for ever.

The audit log is pruned under the same period: entries older than it go, except those of referrals still
held with their answers (a long-lived draft keeps its whole history until it is purged or deleted).

Drafts are never purged here: drafts untouched for 90 days are *offered* for deletion
(``store.referrals.stale_drafts``) and deleted only when the user says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from referral_desktop.domain.lifecycle import ReferralState, check_transition
from referral_desktop.store.attachment_uploads import ACTIVE_STATES as UPLOAD_ON_ITS_WAY
from referral_desktop.store.attachment_uploads import DAMAGED_HERE, FAILED
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.records import Receipt
from referral_desktop.store.replies import DRAFT as REPLY_DRAFT
from referral_desktop.store.replies import REFUSED as REPLY_REFUSED
from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

DEFAULT_RETENTION_DAYS = 30
_AGEING_STATES = (ReferralState.RECEIVED, ReferralState.ACKNOWLEDGED, ReferralState.INFO_REQUESTED)
_RECEIPT_COLUMNS = (
    "referral_id, iart_reference, form_id, form_version, created_at, sent_at, received_at, decision_due, "
    "decided_at, outcome, child_initials, purged_at, messages_exchanged, documents_damaged_here, "
    "documents_refused_by_iart, replies_refused_by_iart, documents_of_refused_replies, draft_replies_removed"
)
_RECEIPT_PLACEHOLDERS = ", ".join("?" * len(_RECEIPT_COLUMNS.split(",")))


def _receipt(row: tuple[Any, ...]) -> Receipt:
    return Receipt(
        referral_id=row[0], iart_reference=row[1], form_id=row[2], form_version=row[3],
        created_at=from_text(row[4]), sent_at=from_text(row[5]), received_at=from_text(row[6]),
        decision_due=from_text(row[7]), decided_at=from_text(row[8]), outcome=row[9], child_initials=row[10],
        purged_at=from_text(row[11]), messages_exchanged=row[12], documents_damaged_here=row[13],
        documents_refused_by_iart=row[14], replies_refused_by_iart=row[15], documents_of_refused_replies=row[16],
        draft_replies_removed=row[17],
    )


class Receipts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, referral_id: str) -> Receipt | None:
        with self._store.read() as conn:
            row = conn.execute(
                f"SELECT {_RECEIPT_COLUMNS} FROM receipts WHERE referral_id = ?", (str(referral_id),)
            ).fetchone()
        return _receipt(row) if row else None

    def list(self) -> list[Receipt]:
        with self._store.read() as conn:
            rows = conn.execute(f"SELECT {_RECEIPT_COLUMNS} FROM receipts ORDER BY purged_at, referral_id").fetchall()
        return [_receipt(row) for row in rows]

    def count_unsaved_reply(self, referral_id: str) -> bool:
        """A reply typed in the box but not saved yet when the purge removed the referral's details (the box
        saves after a pause in typing, and a draft cannot be saved once the details are gone): the purge
        could not count it, so the screen that held it counts it here, as the purge counts a draft (one
        reply started and not sent; a referral has one draft, so never more than 1). Returns whether the
        receipt changed (False when the purge had counted the saved draft already)."""
        with self._store.write() as conn:
            changed = conn.execute(
                "UPDATE receipts SET draft_replies_removed = 1 WHERE referral_id = ? AND draft_replies_removed = 0",
                (str(referral_id),),
            ).rowcount
        return bool(changed)


#: Replies still on their way to iART (queued, or being sent or retried).
_REPLY_ON_ITS_WAY = ("queued", "sending", "retrying")
#: True for a referral ``r`` with nothing still on its way to iART: no reply being sent, and no document
#: (its own or a reply's) being uploaded; a document given up on ('failed') or done does not count.
_NOTHING_ON_ITS_WAY = (
    "NOT EXISTS (SELECT 1 FROM replies p WHERE p.referral_id = r.id "
    f"AND p.state IN ({', '.join('?' * len(_REPLY_ON_ITS_WAY))})) "
    "AND NOT EXISTS (SELECT 1 FROM attachment_uploads u WHERE u.referral_id = r.id "
    f"AND u.state IN ({', '.join('?' * len(UPLOAD_ON_ITS_WAY))}))"
)
_NOTHING_ON_ITS_WAY_PARAMS = (*_REPLY_ON_ITS_WAY, *UPLOAD_ON_ITS_WAY)


def _documents_given_up(conn: Any, referral_id: str) -> tuple[int, int]:
    """(damaged here, not accepted by iART): the referral's documents, its own and its replies', whose
    upload was given up on. Read in the purge's transaction, before their upload rows go with it. Every
    reason other than :data:`DAMAGED_HERE` (iART refusing the bytes as not matching their checksum, or
    the upload with its own final word) is iART not accepting the document."""
    damaged, refused = conn.execute(
        "SELECT COUNT(*) FILTER (WHERE failure IS ?), COUNT(*) FILTER (WHERE failure IS NOT ?) "
        "FROM attachment_uploads WHERE referral_id = ? AND state = ?",
        (DAMAGED_HERE, DAMAGED_HERE, referral_id, FAILED),
    ).fetchone()
    return int(damaged), int(refused)


def _replies_refused(conn: Any, referral_id: str) -> int:
    """How many of the referrer's replies iART refused (never delivered: the page said "Reply not accepted
    by iART"). Read in the purge's transaction, before the replies go with it; a count, never the text."""
    return int(conn.execute(
        "SELECT COUNT(*) FROM replies WHERE referral_id = ? AND state = ?", (referral_id, REPLY_REFUSED)
    ).fetchone()[0])


def _documents_of_refused_replies(conn: Any, referral_id: str) -> int:
    """How many documents were attached to the replies iART refused: never sent, because a reply's
    documents are uploaded only once iART takes the reply. Read in the purge's transaction, before they go
    with it; a count, never a name. A document with an upload row is the uploads' to count
    (:func:`_documents_given_up`), so none is counted twice."""
    return int(conn.execute(
        "SELECT COUNT(*) FROM attachments a JOIN replies p ON p.id = a.reply_id "
        "WHERE p.referral_id = ? AND p.state = ? "
        "AND NOT EXISTS (SELECT 1 FROM attachment_uploads u WHERE u.attachment_id = a.id)",
        (referral_id, REPLY_REFUSED),
    ).fetchone()[0])


def _drafts_removed(conn: Any, referral_id: str) -> int:
    """How many draft replies of the referral held anything (text that is not only whitespace, or a
    document): never sent, and about to go with the purge. Read in the purge's transaction; a count, never
    the text or a file name. Whitespace is judged by Python's ``str.strip`` (as the reply box judges an
    empty reply), not SQL's ``trim``, which strips spaces only."""
    rows = conn.execute(
        "SELECT p.text, EXISTS (SELECT 1 FROM attachments a WHERE a.reply_id = p.id) FROM replies p "
        "WHERE p.referral_id = ? AND p.state = ?",
        (referral_id, REPLY_DRAFT),
    ).fetchall()
    return sum(1 for text, has_documents in rows if (text or "").strip() or has_documents)


def purge_expired(store: Store, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS,
                  on_purged: Callable[[str], None] | None = None) -> int:
    """Purge every referral due for it; returns how many were purged. Each purge is one transaction,
    which checks again that nothing of the referral is on its way (another process may have queued a
    reply or found a document missing at iART since the list was read). ``on_purged`` is called with each
    purged referral's id once its transaction is committed (the sender tells the screens, so what the
    receipt counts, a reply removed unsent among it, is told even when nothing else changed)."""
    cutoff = to_text(now - timedelta(days=retention_days))
    placeholders = ", ".join("?" * len(_AGEING_STATES))
    with store.read() as conn:
        ids = [
            row[0]
            for row in conn.execute(
                f"SELECT id FROM referrals r WHERE (state = ? OR (state IN ({placeholders}) "
                f"AND COALESCE(received_at, sent_at, updated_at) <= ?)) AND {_NOTHING_ON_ITS_WAY} ORDER BY id",
                (ReferralState.DECIDED.value, *(s.value for s in _AGEING_STATES), cutoff,
                 *_NOTHING_ON_ITS_WAY_PARAMS),
            ).fetchall()
        ]
    purged = 0
    for referral_id in ids:
        with store.write(counts_changed=True) as conn:
            row = conn.execute(
                "SELECT state, iart_reference, form_id, form_version, created_at, sent_at, received_at, "
                "decision_due, decided_at, outcome, child_initials FROM referrals r WHERE id = ? "
                f"AND {_NOTHING_ON_ITS_WAY}",
                (referral_id, *_NOTHING_ON_ITS_WAY_PARAMS),
            ).fetchone()
            if row is None or row[0] == ReferralState.PURGED.value:
                continue  # another process got there first, or something of it is on its way again
            check_transition(row[0], ReferralState.PURGED)
            exchanged = conn.execute(
                "SELECT (SELECT COUNT(*) FROM iart_messages WHERE referral_id = ?) + "
                "(SELECT COUNT(*) FROM replies WHERE referral_id = ? AND state = 'sent')",
                (referral_id, referral_id),
            ).fetchone()[0]
            conn.execute(
                f"INSERT OR REPLACE INTO receipts ({_RECEIPT_COLUMNS}) VALUES ({_RECEIPT_PLACEHOLDERS})",
                (referral_id, *row[1:], to_text(now), exchanged, *_documents_given_up(conn, referral_id),
                 _replies_refused(conn, referral_id), _documents_of_refused_replies(conn, referral_id),
                 _drafts_removed(conn, referral_id)),
            )
            conn.execute("DELETE FROM referral_documents WHERE referral_id = ?", (referral_id,))
            conn.execute("DELETE FROM attachments WHERE referral_id = ?", (referral_id,))
            conn.execute("DELETE FROM outbox WHERE referral_id = ?", (referral_id,))
            conn.execute("DELETE FROM iart_messages WHERE referral_id = ?", (referral_id,))
            conn.execute("DELETE FROM replies WHERE referral_id = ?", (referral_id,))
            conn.execute("DELETE FROM status_heard WHERE referral_id = ?", (referral_id,))  # nothing to hear now
            conn.execute(
                "UPDATE referrals SET state = ?, updated_at = ?, rejection_reasons = NULL WHERE id = ?",
                (ReferralState.PURGED.value, to_text(now), referral_id),
            )
            store.audit.insert(conn, AuditEvent.PURGED, referral_id)
            purged += 1
        if on_purged is not None:
            on_purged(referral_id)
    with store.write() as conn:
        store.audit.prune(conn, now - timedelta(days=retention_days))
    return purged
