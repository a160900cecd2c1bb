"""The outbox: one row per referral waiting to be sent, with attempts and the time of the next one.

The row lives in the store (not in memory) so that sending resumes after a restart; the sync worker
owns the retry policy and reads ``due(now)``. Enqueueing moves the referral ready → queued in the same
transaction, so a referral is never queued without its outbox row.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from referral_desktop.domain.lifecycle import ReferralState, check_transition
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.errors import ReferralNotFound
from referral_desktop.store.records import OutboxEntry
from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

WAITING = "waiting"
SENDING = "sending"
RETRYING = "retrying"
#: Outbox states whose rows ``due()`` returns once their time has come.
DUE_STATES = (WAITING, RETRYING)

_COLUMNS = "referral_id, attempts, next_attempt_at, last_error_code, state, updated_at"
_UNSET = object()


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    return OutboxEntry(
        referral_id=row[0], attempts=row[1], next_attempt_at=from_text(row[2]), last_error_code=row[3],
        state=row[4], updated_at=from_text(row[5]),
    )


class Outbox:
    def __init__(self, store: Store) -> None:
        self._store = store

    def enqueue(self, referral_id: str, now: datetime | None = None) -> None:
        """Queue a frozen referral for sending now (ready → queued; sending/retrying → queued on restart)."""
        referral_id = str(referral_id)
        when = to_text(now or self._store.clock())
        with self._store.write(counts_changed=True) as conn:
            row = conn.execute("SELECT state FROM referrals WHERE id = ?", (referral_id,)).fetchone()
            if row is None:
                raise ReferralNotFound(referral_id)
            state = ReferralState(row[0])
            if state != ReferralState.QUEUED:
                check_transition(state, ReferralState.QUEUED)
                conn.execute(
                    "UPDATE referrals SET state = ?, updated_at = ? WHERE id = ?",
                    (ReferralState.QUEUED.value, when, referral_id),
                )
                self._store.audit.insert(conn, AuditEvent.QUEUED, referral_id, detail=ReferralState.QUEUED.value)
            conn.execute(
                f"INSERT INTO outbox ({_COLUMNS}) VALUES (?, 0, ?, NULL, ?, ?) "
                "ON CONFLICT (referral_id) DO UPDATE SET state = excluded.state, "
                "next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at",
                (referral_id, when, WAITING, when),
            )

    def due(self, now: datetime) -> list[OutboxEntry]:
        """Entries whose next attempt is due, oldest first."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state IN (?, ?) AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at, referral_id",
                (*DUE_STATES, to_text(now)),
            ).fetchall()
        return [_entry(row) for row in rows]

    def get(self, referral_id: str) -> OutboxEntry | None:
        with self._store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE referral_id = ?", (str(referral_id),)).fetchone()
        return _entry(row) if row else None

    def list(self) -> list[OutboxEntry]:
        with self._store.read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY next_attempt_at, referral_id").fetchall()
        return [_entry(row) for row in rows]

    def mark(self, referral_id: str, *, state: str | None = None, attempts: int | None = None,
             next_attempt_at: datetime | None = None, last_error_code: str | None | object = _UNSET) -> None:
        """Update an entry after an attempt (only the arguments given are changed)."""
        columns: dict[str, object] = {"updated_at": to_text(self._store.clock())}
        if state is not None:
            columns["state"] = state
        if attempts is not None:
            columns["attempts"] = int(attempts)
        if next_attempt_at is not None:
            columns["next_attempt_at"] = to_text(next_attempt_at)
        if last_error_code is not _UNSET:
            columns["last_error_code"] = last_error_code
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with self._store.write() as conn:
            cursor = conn.execute(
                f"UPDATE outbox SET {assignments} WHERE referral_id = ?", (*columns.values(), str(referral_id))
            )
            if cursor.rowcount == 0:
                raise ReferralNotFound(str(referral_id))

    def remove(self, referral_id: str) -> None:
        """Drop the entry once iART has the referral (or it was rejected)."""
        with self._store.write() as conn:
            conn.execute("DELETE FROM outbox WHERE referral_id = ?", (str(referral_id),))
