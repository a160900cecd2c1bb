"""The audit log: what happened, when, by which OS user, to which referral — never a value.

Entries carry field *paths* (``children[0].nhs_number``) and short non-personal details (a state name),
both checked against a strict pattern so that a value cannot slip in by mistake.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from referral_desktop.store.records import AuditEntry
from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store


class AuditEvent(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    FORM_VERSION_CHANGED = "form_version_changed"
    VALIDATED = "validated"
    FROZEN = "frozen"
    QUEUED = "queued"
    SENT = "sent"
    STATUS_CHANGED = "status_changed"
    MESSAGE_RECEIVED = "message_received"
    REPLY_DRAFTED = "reply_drafted"
    REPLY_DISCARDED = "reply_discarded"
    REPLY_QUEUED = "reply_queued"
    REPLY_SENT = "reply_sent"
    REPLY_REFUSED = "reply_refused"
    REJECTED = "rejected"
    EXPORTED = "exported"
    PURGED = "purged"
    DELETED = "deleted"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_REMOVED = "attachment_removed"
    PROFILE_CHANGED = "profile_changed"
    UNLOCKED = "unlocked"
    LOCKED = "locked"
    PASSPHRASE_CHANGED = "passphrase_changed"


#: Edits of one referral within this long of the first are one audit entry.
COALESCE_WITHIN = timedelta(minutes=1)

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?)*$")
_DETAIL = re.compile(r"^[a-z0-9_.:>-]{0,64}$")


def safe_paths(paths: Iterable[str]) -> list[str]:
    """Paths fit for the log; anything not shaped like a field path is reported once as ``_other``."""
    paths = [str(p) for p in paths]
    safe = [p for p in paths if _PATH.match(p)]
    if len(safe) != len(paths):
        safe.append("_other")
    return safe


def _checked_fields(fields: Iterable[str]) -> list[str]:
    checked = []
    for path in fields:
        if not isinstance(path, str) or not _PATH.match(path):
            raise ValueError("Audit entries take field paths only")
        checked.append(path)
    return checked


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._deferred: list[tuple[Any, ...]] = []  # rows that could not be written yet (a full disk at unlock)

    def insert(self, conn: Any, event: AuditEvent | str, referral_id: str | None = None,
               fields: Iterable[str] = (), detail: str | None = None) -> None:
        """Add an entry inside the caller's transaction (used by the other repositories)."""
        event = AuditEvent(event)
        if detail is not None and not _DETAIL.match(detail):
            raise ValueError("Audit details are short codes only")
        conn.execute(
            "INSERT INTO audit_log (at, user, event, referral_id, fields, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (
                to_text(self._store.clock()),
                self._store.user,
                event.value,
                referral_id,
                json.dumps(_checked_fields(fields)),
                detail,
            ),
        )

    def insert_edit(self, conn: Any, referral_id: str, fields: Iterable[str]) -> None:
        """An ``edited`` entry, coalesced: within a minute of this user's last entry for the referral,
        when that was an edit too, its field paths are merged into it instead of adding a row.

        Why: autosave writes every second or so while someone types, and one entry per save made the log
        grow by ~184 bytes a save without saying more than "edited at about this time, these fields".
        """
        now = self._store.clock()
        checked = _checked_fields(fields)
        row = conn.execute(
            "SELECT id, at, user, event, fields FROM audit_log WHERE referral_id = ? ORDER BY id DESC LIMIT 1",
            (referral_id,),
        ).fetchone()
        if (row is not None and row[3] == AuditEvent.EDITED.value and row[2] == self._store.user
                and timedelta(0) <= now - from_text(row[1]) < COALESCE_WITHIN):
            merged = list(dict.fromkeys([*json.loads(row[4]), *checked]))
            conn.execute("UPDATE audit_log SET fields = ? WHERE id = ?", (json.dumps(merged), row[0]))
            return
        self.insert(conn, AuditEvent.EDITED, referral_id, checked)

    def prune(self, conn: Any, cutoff: datetime) -> int:
        """Delete entries from before ``cutoff`` (the retention period), except those of referrals still
        held with their answers, whose history stays whole until they are purged. Returns how many."""
        return int(conn.execute(
            "DELETE FROM audit_log WHERE at < ? AND (referral_id IS NULL OR referral_id NOT IN "
            "(SELECT id FROM referrals WHERE state != 'purged'))",
            (to_text(cutoff),),
        ).rowcount)

    def defer(self, event: AuditEvent | str, referral_id: str | None = None) -> None:
        """Keep an entry (with its time now) to write with the next transaction that succeeds.

        For unlock on a full disk: refusing to unlock because the "unlocked" entry cannot be written
        would lock the user out of answers that are safe on disk; the entry keeps its real time.
        """
        self._deferred.append(
            (to_text(self._store.clock()), self._store.user, AuditEvent(event).value, referral_id, "[]", None)
        )

    @property
    def has_deferred(self) -> bool:
        return bool(self._deferred)

    def take_deferred(self) -> list[tuple[Any, ...]]:
        """The deferred rows, removed from memory (the caller writes them, or gives them back)."""
        rows, self._deferred = self._deferred, []
        return rows

    def give_back(self, rows: list[tuple[Any, ...]]) -> None:
        self._deferred[:0] = rows

    @staticmethod
    def insert_rows(conn: Any, rows: list[tuple[Any, ...]]) -> None:
        conn.executemany(
            "INSERT INTO audit_log (at, user, event, referral_id, fields, detail) VALUES (?, ?, ?, ?, ?, ?)", rows
        )

    def record(self, event: AuditEvent | str, referral_id: str | None = None, fields: Iterable[str] = (),
               detail: str | None = None) -> None:
        """Record an event in its own transaction (e.g. ``validated``, ``exported``, ``locked``)."""
        with self._store.write() as conn:
            self.insert(conn, event, referral_id, fields, detail)

    def list(self, referral_id: str | None = None) -> list[AuditEntry]:
        """Entries oldest first; for one referral, or all of them."""
        sql = "SELECT id, at, user, event, referral_id, fields, detail FROM audit_log"
        params: tuple[Any, ...] = ()
        if referral_id is not None:
            sql += " WHERE referral_id = ?"
            params = (referral_id,)
        with self._store.read() as conn:
            rows = conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            AuditEntry(
                id=row[0], at=from_text(row[1]), user=row[2], event=row[3], referral_id=row[4],
                fields=tuple(json.loads(row[5])), detail=row[6],
            )
            for row in rows
        ]
