"""The sandbox's side of a referral's conversation: iART's messages and the referrer's replies.

One table holds both directions in arrival order (``seq``), so the feeds can hand the client the whole
conversation in order, each message with a stable id: iART's get a fresh UUID, a reply keeps the
client's idempotency key. A reply is committed once per key, like a referral: the same key with the
same body is a replay (counted, answered with the stored message), a different body is a conflict.

Every change to the conversation also moves the referral's ``activity_at``, which the changes feed
reads, so a client polling ``changes?since=`` hears of a new question or of a reply being read even
though the referral's status did not change. The decrypted reply text is kept (it is a test server: the
operator page shows it); the feeds never carry it.

A reply's documents are rows of the referral's ``attachments`` table marked with the reply's id
(``message_id``), so the same resumable upload routes receive them; each reply lists the ones still
missing (``attachments_pending``), and their file names (from the decrypted payload) are kept with the
reply for the operator page.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from referral_desktop.domain.api_contract import (
    ConversationMessage,
    MessageDirection,
    ReplyRequest,
)
from referral_desktop.sandbox.stored_times import ts

if TYPE_CHECKING:
    from referral_desktop.sandbox.storage import SandboxStorage

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    direction TEXT NOT NULL,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL,
    fingerprint TEXT,
    payload_content_type TEXT,
    read_at TEXT,
    replays INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_by_referral ON messages(referral_id, seq);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Bring a data folder from before reply documents up to date (after ``SCHEMA`` ran)."""
    if "attachment_names" not in {r["name"] for r in conn.execute("PRAGMA table_info(messages)")}:
        conn.execute("ALTER TABLE messages ADD COLUMN attachment_names TEXT")
    if "message_id" not in {r["name"] for r in conn.execute("PRAGMA table_info(attachments)")}:
        conn.execute("ALTER TABLE attachments ADD COLUMN message_id TEXT")


class ReplyConflict(Exception):
    """The reply's idempotency key is already held by a different body or another referral."""


class MessageNotFound(Exception):
    """No reply with that id."""


def _message(row: sqlite3.Row, sequence: int, pending: list[str]) -> ConversationMessage:
    from_iart = row["direction"] == MessageDirection.FROM_IART.value
    return ConversationMessage(
        message_id=row["id"],
        direction=MessageDirection(row["direction"]),
        sequence=sequence,
        created_at=datetime.fromisoformat(row["created_at"]),
        text=row["text"] if from_iart else None,
        read_at=datetime.fromisoformat(row["read_at"]) if row["read_at"] else None,
        attachments_pending=[UUID(a) for a in pending],
    )


def conversation_of(conn: sqlite3.Connection, referral_id: str) -> list[ConversationMessage]:
    """The referral's messages, oldest first, numbered from 1 (what the feeds carry)."""
    rows = conn.execute(
        "SELECT * FROM messages WHERE referral_id = ? ORDER BY seq", (referral_id,)
    ).fetchall()
    pending: dict[str, list[str]] = {}
    for r in conn.execute(
        "SELECT message_id, attachment_id FROM attachments WHERE referral_id = ? AND message_id IS NOT NULL"
        " AND complete = 0 ORDER BY attachment_id",
        (referral_id,),
    ):
        pending.setdefault(r["message_id"], []).append(r["attachment_id"])
    return [_message(row, number, pending.get(row["id"], [])) for number, row in enumerate(rows, start=1)]


def add_iart_message(conn: sqlite3.Connection, referral_id: str, text: str, now: datetime) -> None:
    """iART's question (``info_requested``), in the transaction that moves the referral."""
    conn.execute(
        "INSERT INTO messages(id, referral_id, direction, created_at, text) VALUES (?,?,?,?,?)",
        (str(uuid.uuid4()), referral_id, MessageDirection.FROM_IART.value, ts(now), text),
    )


def _touch(conn: sqlite3.Connection, referral_id: str, now: datetime) -> None:
    conn.execute("UPDATE referrals SET activity_at = ? WHERE id = ?", (ts(now), referral_id))


@dataclass(frozen=True)
class ReplyResult:
    message: ConversationMessage
    created: bool


@dataclass(frozen=True)
class ReplyDocument:
    """One document of a reply, as the operator sees it (its name came inside the reply's payload)."""

    attachment_id: str
    name: str
    size: int
    complete: bool


@dataclass(frozen=True)
class TranscriptEntry:
    """One message as the operator sees it (with a reply's decrypted text and its documents)."""

    message_id: str
    direction: MessageDirection
    created_at: datetime
    text: str
    read_at: datetime | None
    replays: int
    documents: tuple[ReplyDocument, ...] = ()


class SandboxConversation:
    """Reads and writes of the conversation table, through the storage's connections."""

    def __init__(self, storage: SandboxStorage) -> None:
        self._storage = storage

    def fingerprint_of(self, message_id: UUID) -> tuple[str, str] | None:
        """(referral id, fingerprint) of a reply already received under this key."""
        with self._storage.connection() as conn:
            row = conn.execute(
                "SELECT referral_id, fingerprint FROM messages WHERE id = ?", (str(message_id),)
            ).fetchone()
        return (row["referral_id"], row["fingerprint"]) if row else None

    def add_reply(
        self, referral_id: str, message_id: UUID, request: ReplyRequest, text: str, *, now: datetime,
        attachment_names: dict[str, str] | None = None,
    ) -> ReplyResult:
        """Commit a reply and its documents' manifest (or recognise its replay); :class:`ReplyConflict`
        for a reused key, or for a document id the referral already holds."""
        key = str(message_id)
        fingerprint = request.fingerprint()
        with self._storage.transaction() as conn:
            row = conn.execute("SELECT * FROM messages WHERE id = ?", (key,)).fetchone()
            if row is not None:
                if row["referral_id"] != referral_id or row["fingerprint"] != fingerprint:
                    raise ReplyConflict()
                conn.execute("UPDATE messages SET replays = replays + 1 WHERE id = ?", (key,))
                created = False
            else:
                conn.execute(
                    "INSERT INTO messages(id, referral_id, direction, created_at, text, fingerprint,"
                    " payload_content_type, attachment_names) VALUES (?,?,?,?,?,?,?,?)",
                    (key, referral_id, MessageDirection.TO_IART.value, ts(now), text, fingerprint,
                     request.payload_content_type.value, json.dumps(attachment_names or {})),
                )
                try:
                    conn.executemany(
                        "INSERT INTO attachments(referral_id, attachment_id, size, sha256, content_type,"
                        " message_id) VALUES (?,?,?,?,?,?)",
                        [(referral_id, str(e.id), e.size, e.sha256, e.content_type, key) for e in request.attachments],
                    )
                except sqlite3.IntegrityError:  # a document id the referral already holds
                    raise ReplyConflict() from None
                _touch(conn, referral_id, now)
                created = True
            message = next(m for m in conversation_of(conn, referral_id) if str(m.message_id) == key)
        return ReplyResult(message, created)

    def mark_read(self, message_id: str, *, now: datetime) -> ConversationMessage:
        """iART read a reply (operator action); reading it again keeps the first time."""
        with self._storage.transaction() as conn:
            row = conn.execute(
                "SELECT referral_id, read_at FROM messages WHERE id = ? AND direction = ?",
                (message_id, MessageDirection.TO_IART.value),
            ).fetchone()
            if row is None:
                raise MessageNotFound()
            if row["read_at"] is None:
                conn.execute("UPDATE messages SET read_at = ? WHERE id = ?", (ts(now), message_id))
                _touch(conn, row["referral_id"], now)
            return next(
                m for m in conversation_of(conn, row["referral_id"]) if str(m.message_id) == message_id
            )

    def transcript(self, referral_id: str) -> list[TranscriptEntry]:
        with self._storage.connection() as conn:
            rows = conn.execute(
                "SELECT * FROM messages WHERE referral_id = ? ORDER BY seq", (referral_id,)
            ).fetchall()
            documents: dict[str, list[sqlite3.Row]] = {}
            for a in conn.execute(
                "SELECT * FROM attachments WHERE referral_id = ? AND message_id IS NOT NULL ORDER BY rowid",
                (referral_id,),
            ):
                documents.setdefault(a["message_id"], []).append(a)
        entries = []
        for r in rows:
            names = json.loads(r["attachment_names"] or "{}")
            entries.append(TranscriptEntry(
                message_id=r["id"], direction=MessageDirection(r["direction"]),
                created_at=datetime.fromisoformat(r["created_at"]), text=r["text"],
                read_at=datetime.fromisoformat(r["read_at"]) if r["read_at"] else None,
                replays=r["replays"],
                documents=tuple(
                    ReplyDocument(a["attachment_id"], str(names.get(a["attachment_id"], "(no name given)")),
                                  a["size"], bool(a["complete"]))
                    for a in documents.get(r["id"], [])
                ),
            ))
        return entries

    def unread_replies_before(self, received_before: datetime) -> list[str]:
        """Ids of replies unread since before ``received_before`` (the demo's automatic reading)."""
        with self._storage.connection() as conn:
            return [
                r["id"]
                for r in conn.execute(
                    "SELECT id FROM messages WHERE direction = ? AND read_at IS NULL AND created_at <= ?"
                    " ORDER BY seq",
                    (MessageDirection.TO_IART.value, ts(received_before)),
                )
            ]

    def answered_before(self, read_before: datetime) -> list[str]:
        """Referrals waiting on information whose latest message is a reply iART read before
        ``read_before`` (the demo decides these)."""
        with self._storage.connection() as conn:
            return [
                r["referral_id"]
                for r in conn.execute(
                    "SELECT m.referral_id FROM messages m JOIN referrals r ON r.id = m.referral_id"
                    " WHERE r.status = 'info_requested' AND m.direction = ? AND m.read_at IS NOT NULL"
                    " AND m.read_at <= ? AND m.seq = (SELECT max(seq) FROM messages x"
                    " WHERE x.referral_id = m.referral_id)",
                    (MessageDirection.TO_IART.value, ts(read_before)),
                )
            ]

    def never_asked(self, ids: list[str]) -> list[str]:
        """Those of ``ids`` about which iART has sent no message yet."""
        with self._storage.connection() as conn:
            asked = {
                r["referral_id"]
                for r in conn.execute(
                    "SELECT DISTINCT referral_id FROM messages WHERE direction = ?",
                    (MessageDirection.FROM_IART.value,),
                )
            }
        return [i for i in ids if i not in asked]
