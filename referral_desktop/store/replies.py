"""The referrer's replies to iART: an autosaved draft, then the same exactly-once path as a referral.

Why the shape (see migration 8): a reply is written offline, autosaved in this encrypted store, and
frozen once — the exact bytes (canonical JSON of ``{"text": …}``, or its JWE to iART's key) are kept
and sent unchanged on every attempt under the reply's own UUID, so a retry after any failure or kill is
a replay the server recognises, never a second reply. Freezing and queueing are one transaction (a
reply is never queued without its bytes); "sending" is committed before each attempt and "sent" with
iART's answer, so a reply found ``sending`` at start-up is simply sent again.

The audit log records that a reply was drafted, queued and sent — never its text. Deleting the
referral (the retention purge) deletes its replies.
"""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from referral_desktop.domain.lifecycle import ReferralState
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.errors import NotEditable, ReferralNotFound
from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

DRAFT = "draft"
QUEUED = "queued"
SENDING = "sending"
RETRYING = "retrying"
SENT = "sent"
REFUSED = "refused"
#: States in which the sender owns the reply.
OUTGOING = (QUEUED, SENDING, RETRYING)
#: The referral states in which iART holds the referral, so a reply can go to it.
REPLYABLE_STATES = (
    ReferralState.RECEIVED, ReferralState.ACKNOWLEDGED, ReferralState.INFO_REQUESTED, ReferralState.DECIDED,
)

_COLUMNS = (
    "id, referral_id, state, text, created_at, updated_at, queued_at, frozen_payload, payload_content_type, "
    "attempts, next_attempt_at, last_error_code, sent_at, read_at, sequence"
)


class ReplyNotFound(LookupError):
    """No reply with that id (or no draft to queue)."""


@dataclass(frozen=True)
class Reply:
    """One reply. ``text`` is personal data (never logged); the rest is safe to show or log."""

    id: str
    referral_id: str
    state: str
    text: str
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    frozen_payload: bytes | None
    payload_content_type: str | None
    attempts: int
    next_attempt_at: datetime | None
    last_error_code: str | None
    sent_at: datetime | None
    read_at: datetime | None
    sequence: int | None


def _reply(row: tuple[Any, ...]) -> Reply:
    return Reply(
        id=row[0], referral_id=row[1], state=row[2], text=row[3], created_at=from_text(row[4]),
        updated_at=from_text(row[5]), queued_at=from_text(row[6]),
        frozen_payload=bytes(row[7]) if row[7] is not None else None, payload_content_type=row[8],
        attempts=row[9], next_attempt_at=from_text(row[10]), last_error_code=row[11],
        sent_at=from_text(row[12]), read_at=from_text(row[13]), sequence=row[14],
    )


class Replies:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading -------------------------------------------------------------------------------
    def get(self, reply_id: str) -> Reply:
        with self._store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM replies WHERE id = ?", (str(reply_id),)).fetchone()
        if row is None:
            raise ReplyNotFound(str(reply_id))
        return _reply(row)

    def list(self, referral_id: str) -> list[Reply]:
        """The referral's replies, oldest first (a draft last: it is the newest)."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM replies WHERE referral_id = ? "
                "ORDER BY state = 'draft', COALESCE(queued_at, created_at), id",
                (str(referral_id),),
            ).fetchall()
        return [_reply(row) for row in rows]

    def draft(self, referral_id: str) -> Reply | None:
        with self._store.read() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM replies WHERE referral_id = ? AND state = ?", (str(referral_id), DRAFT)
            ).fetchone()
        return _reply(row) if row else None

    def due(self, now: datetime) -> builtins.list[Reply]:  # builtins: this class has a method named list
        """Replies the sender should attempt now, oldest first."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM replies WHERE state IN (?, ?) AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at, queued_at, id",
                (QUEUED, RETRYING, to_text(now)),
            ).fetchall()
        return [_reply(row) for row in rows]

    def outgoing(self) -> builtins.list[Reply]:
        """Every reply the sender owns (queued, sending, retrying)."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM replies WHERE state IN (?, ?, ?) ORDER BY queued_at, id", OUTGOING
            ).fetchall()
        return [_reply(row) for row in rows]

    # --- writing the draft -----------------------------------------------------------------------
    def _replyable(self, conn: Any, referral_id: str) -> None:
        row = conn.execute("SELECT state FROM referrals WHERE id = ?", (referral_id,)).fetchone()
        if row is None:
            raise ReferralNotFound(referral_id)
        if ReferralState(row[0]) not in REPLYABLE_STATES:
            raise NotEditable(referral_id, row[0])

    def save_draft(self, referral_id: str, text: str) -> Reply:
        """Autosave the reply box: create the referral's draft (with its UUID, for ever) or replace its
        text. One transaction, fsynced before returning. An unchanged text writes nothing."""
        referral_id = str(referral_id)
        now = to_text(self._store.clock())
        with self._store.write() as conn:
            self._replyable(conn, referral_id)
            row = conn.execute(
                "SELECT id, text FROM replies WHERE referral_id = ? AND state = ?", (referral_id, DRAFT)
            ).fetchone()
            if row is None:
                reply_id = str(uuid.uuid4())
                conn.execute(
                    "INSERT INTO replies (id, referral_id, state, text, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (reply_id, referral_id, DRAFT, text, now, now),
                )
                self._store.audit.insert(conn, AuditEvent.REPLY_DRAFTED, referral_id)
            else:
                reply_id = row[0]
                if row[1] != text:
                    conn.execute("UPDATE replies SET text = ?, updated_at = ? WHERE id = ?", (text, now, reply_id))
        return self.get(reply_id)

    def ensure_draft(self, referral_id: str) -> Reply:
        """The referral's draft reply, created empty if there is none (a document chosen before any text
        is typed needs a reply to belong to)."""
        return self.draft(referral_id) or self.save_draft(referral_id, "")

    def discard_draft(self, referral_id: str) -> bool:
        """Throw away the referral's draft (the user chose to); returns whether there was one."""
        with self._store.write() as conn:
            cursor = conn.execute(
                "DELETE FROM replies WHERE referral_id = ? AND state = ?", (str(referral_id), DRAFT)
            )
            if cursor.rowcount:
                self._store.audit.insert(conn, AuditEvent.REPLY_DISCARDED, str(referral_id))
            return bool(cursor.rowcount)

    def freeze(self, reply_id: str, payload: bytes, content_type: str) -> Reply:
        """Draft → queued, keeping the exact bytes every attempt will send; due at once. One commit."""
        reply_id = str(reply_id)
        now = to_text(self._store.clock())
        with self._store.write() as conn:
            row = conn.execute("SELECT referral_id, state FROM replies WHERE id = ?", (reply_id,)).fetchone()
            if row is None:
                raise ReplyNotFound(reply_id)
            if row[1] != DRAFT:
                raise NotEditable(reply_id, row[1])
            self._replyable(conn, row[0])
            conn.execute(
                "UPDATE replies SET state = ?, frozen_payload = ?, payload_content_type = ?, queued_at = ?, "
                "next_attempt_at = ?, updated_at = ? WHERE id = ?",
                (QUEUED, bytes(payload), content_type, now, now, now, reply_id),
            )
            self._store.audit.insert(conn, AuditEvent.REPLY_QUEUED, row[0])
        return self.get(reply_id)

    # --- the sender's records ----------------------------------------------------------------------
    def _set(self, reply_id: str, conn: Any, **columns: object) -> None:
        columns["updated_at"] = to_text(self._store.clock())
        assignments = ", ".join(f"{name} = ?" for name in columns)
        cursor = conn.execute(f"UPDATE replies SET {assignments} WHERE id = ?", (*columns.values(), str(reply_id)))
        if cursor.rowcount == 0:
            raise ReplyNotFound(str(reply_id))

    def mark_sending(self, reply_id: str) -> None:
        """Committed before each attempt (a kill from here on means "send again" on restart)."""
        with self._store.write(fsync=False) as conn:  # a lost "sending" mark only means "send again"
            self._set(reply_id, conn, state=SENDING)

    def mark_retry(self, reply_id: str, *, attempts: int, next_attempt_at: datetime, error_code: str) -> None:
        with self._store.write() as conn:
            self._set(reply_id, conn, state=RETRYING, attempts=attempts,
                      next_attempt_at=to_text(next_attempt_at), last_error_code=error_code)

    def mark_due_now(self, reply_id: str, now: datetime) -> None:
        """Put back a reply found ``sending`` (killed mid-attempt), or bring a waiting one forward."""
        with self._store.write() as conn:
            self._set(reply_id, conn, state=RETRYING, next_attempt_at=to_text(now))

    def mark_sent(self, reply_id: str, *, sent_at: datetime, sequence: int, read_at: datetime | None = None) -> None:
        """iART holds the reply (its answer to the first attempt or to a replay)."""
        with self._store.write() as conn:
            row = conn.execute("SELECT referral_id FROM replies WHERE id = ?", (str(reply_id),)).fetchone()
            if row is None:
                raise ReplyNotFound(str(reply_id))
            self._set(reply_id, conn, state=SENT, sent_at=to_text(sent_at), sequence=int(sequence),
                      read_at=to_text(read_at) if read_at else None, next_attempt_at=None, last_error_code=None)
            self._store.audit.insert(conn, AuditEvent.REPLY_SENT, row[0])

    def refused_counts(self, referral_id: str | None = None) -> dict[str, int]:
        """How many replies iART refused, per referral that has any, of every referral or of ``referral_id``
        only: one query, for reading every referral at once (the notifications, at unlock) and one referral
        after a change, without reading any reply's text."""
        sql = "SELECT referral_id, count(*) FROM replies WHERE state = ?"
        params: tuple[str, ...] = (REFUSED,)
        if referral_id is not None:
            sql, params = sql + " AND referral_id = ?", (*params, str(referral_id))
        with self._store.read() as conn:
            rows = conn.execute(sql + " GROUP BY referral_id", params).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def mark_refused(self, reply_id: str, error_code: str) -> None:
        """iART refused the reply (it stays readable on the referral's page, marked as not sent)."""
        with self._store.write() as conn:
            row = conn.execute("SELECT referral_id FROM replies WHERE id = ?", (str(reply_id),)).fetchone()
            if row is None:
                raise ReplyNotFound(str(reply_id))
            self._set(reply_id, conn, state=REFUSED, next_attempt_at=None, last_error_code=error_code)
            self._store.audit.insert(conn, AuditEvent.REPLY_REFUSED, row[0])

    def record_seen(self, reply_id: str, *, sent_at: datetime, sequence: int, read_at: datetime | None) -> bool:
        """What a status feed says about a reply iART holds: sent (if a lost answer left it outgoing),
        its place, and when iART read it. Returns True when something changed."""
        try:
            reply = self.get(reply_id)
        except ReplyNotFound:
            return False
        if reply.state in (DRAFT, REFUSED):
            return False
        if reply.state != SENT:
            self.mark_sent(reply_id, sent_at=sent_at, sequence=sequence, read_at=read_at)
            return True
        if reply.read_at == read_at and reply.sequence == sequence:
            return False
        with self._store.write() as conn:
            self._set(reply_id, conn, sequence=int(sequence), read_at=to_text(read_at) if read_at else None)
        return True
