"""Referrals: drafts, autosave, freezing for sending, lifecycle moves, the home-screen list.

A referral is two rows: ``referrals`` (the small summary the home screen lists: state, dates,
reference, child's initials) and ``referral_documents`` (the answers JSON and the frozen payload).
Every change is one transaction that updates both and adds its audit entry, so a crash leaves either
the old or the new version, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from referral_desktop.domain.lifecycle import (
    EDITABLE_STATES,
    ReferralState,
    check_transition,
)
from referral_desktop.domain.strict_json import is_finite_json
from referral_desktop.store.answer_paths import changed_paths
from referral_desktop.store.audit import AuditEvent, safe_paths
from referral_desktop.store.errors import (
    DAMAGED_CONTENT,
    NotEditable,
    ReferralNotFound,
    StoreDamaged,
    UnusableAnswers,
)
from referral_desktop.store.records import FrozenReferral, IartMessage, Referral, ReferralSummary
from referral_desktop.store.summary_fields import child_initials
from referral_desktop.store.timestamps import from_text, to_text
from referral_desktop.store.unsent import counted_group

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

_SUMMARY_COLUMNS = (
    "id, state, form_id, form_version, child_initials, created_at, updated_at, iart_reference, sent_at, "
    "received_at, decision_due, outcome, rejection_reasons IS NOT NULL"
)
#: Details that ``set_state`` accepts, each a time or a short text from iART.
_STATE_DETAILS = {"iart_reference", "sent_at", "received_at", "decision_due", "decided_at", "outcome"}
_TIME_DETAILS = {"sent_at", "received_at", "decision_due", "decided_at"}


def _dumps(answers: dict[str, Any]) -> str:
    if not is_finite_json(answers):
        raise UnusableAnswers()
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


_STATES = {state.value: state for state in ReferralState}


def _answers_read_back(text: str | None) -> dict[str, Any]:
    """The saved answers, or :class:`StoreDamaged`: an overflow page that fails its HMAC reads back as
    NUL characters without an error from SQLCipher, and such a document must never reach the editor
    (whose next autosave would write the damage back as if it were the user's answers)."""
    if not text:
        return {}
    try:
        answers = json.loads(text)
    except ValueError:
        raise StoreDamaged(DAMAGED_CONTENT) from None
    if not isinstance(answers, dict):
        raise StoreDamaged(DAMAGED_CONTENT)
    return answers


def _payload_read_back(payload: bytes | None, sha256: str | None) -> bytes | None:
    """The frozen bytes if they still match the digest kept when they were frozen (else damage)."""
    if payload is None:
        return None
    payload = bytes(payload)
    if sha256 is not None and hashlib.sha256(payload).hexdigest() != sha256:
        raise StoreDamaged(DAMAGED_CONTENT)
    return payload


def _summary(row: tuple[Any, ...], _time: Callable[[str], datetime] = datetime.fromisoformat) -> ReferralSummary:
    # Called once per referral when listing: kept lean (no per-field helper calls).
    return ReferralSummary(
        row[0], _STATES[row[1]], row[2], row[3], row[4], _time(row[5]), _time(row[6]), row[7],
        row[8] and _time(row[8]), row[9] and _time(row[9]), row[10] and _time(row[10]), row[11], bool(row[12]),
    )


class Referrals:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading -------------------------------------------------------------------------------
    def _joined_row(self, columns: str, referral_id: str) -> tuple[Any, ...]:
        """``columns`` (of ``r``, the referral, and ``d``, its document) for one referral, or
        :class:`ReferralNotFound`. ``columns`` is always a constant of this class, never input."""
        with self._store.read() as conn:
            row = conn.execute(
                f"SELECT {columns} FROM referrals r LEFT JOIN referral_documents d "
                "ON d.referral_id = r.id WHERE r.id = ?",
                (str(referral_id),),
            ).fetchone()
        if row is None:
            raise ReferralNotFound(str(referral_id))
        return tuple(row)

    def get(self, referral_id: str) -> Referral:
        row = self._joined_row(
            "r.id, r.form_id, r.form_version, r.state, r.created_at, r.updated_at, r.child_initials, "
            "r.iart_reference, r.sent_at, r.received_at, r.decision_due, r.decided_at, r.outcome, "
            "r.rejection_reasons, d.answers, d.frozen_payload, d.payload_content_type, d.payload_sha256",
            referral_id,
        )
        reasons = [tuple(pair) for pair in json.loads(row[13])] if row[13] else []
        answers = _answers_read_back(row[14])
        return Referral(
            id=row[0], form_id=row[1], form_version=row[2], state=ReferralState(row[3]),
            created_at=from_text(row[4]), updated_at=from_text(row[5]), child_initials=row[6],
            iart_reference=row[7], sent_at=from_text(row[8]), received_at=from_text(row[9]),
            decision_due=from_text(row[10]), decided_at=from_text(row[11]), outcome=row[12],
            rejection_reasons=reasons, answers=answers,
            frozen_payload=_payload_read_back(row[15], row[17]), payload_content_type=row[16],
        )

    def frozen(self, referral_id: str) -> FrozenReferral:
        """The frozen payload and state for sending: reads neither the answers nor the summary columns
        (each attempt calls it, and parsing an ~8 KB answers document there was wasted work)."""
        row = self._joined_row(
            "r.id, r.form_id, r.form_version, r.state, r.iart_reference, d.frozen_payload, d.payload_content_type, "
            "d.payload_sha256, d.left_out_worked_out",
            referral_id,
        )
        return FrozenReferral(
            id=row[0], form_id=row[1], form_version=row[2], state=ReferralState(row[3]), iart_reference=row[4],
            frozen_payload=_payload_read_back(row[5], row[7]), payload_content_type=row[6],
            left_out_worked_out=bool(row[8]),
        )

    def list_summaries(self, states: Iterable[ReferralState | str] | None = None) -> list[ReferralSummary]:
        """Every referral's summary, most recently updated first, from the summary rows only."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM referrals"
        params: list[str] = []
        if states is not None:
            params = [ReferralState(s).value for s in states]
            if not params:
                return []
            sql += f" WHERE state IN ({', '.join('?' * len(params))})"
        with self._store.read() as conn:
            rows = conn.execute(sql + " ORDER BY updated_at DESC, id", params).fetchall()
        return [_summary(row) for row in rows]

    def summary(self, referral_id: str) -> ReferralSummary:
        """One referral's summary, as ``list_summaries`` gives it (the home list's row after a sender event),
        without reading or decrypting its answers; :class:`ReferralNotFound` if it is gone."""
        with self._store.read() as conn:
            row = conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM referrals WHERE id = ?", (str(referral_id),)).fetchone()
        if row is None:
            raise ReferralNotFound(str(referral_id))
        return _summary(tuple(row))

    def stale_drafts(self, now: datetime, days: int = 90) -> list[ReferralSummary]:
        """Drafts untouched for ``days``: to be *offered* for deletion, never deleted silently."""
        cutoff = to_text(now - timedelta(days=days))
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM referrals WHERE state = ? AND updated_at <= ? "
                "ORDER BY updated_at",
                (ReferralState.DRAFT.value, cutoff),
            ).fetchall()
        return [_summary(row) for row in rows]

    def _state_of(self, conn: Any, referral_id: str) -> ReferralState:
        row = conn.execute("SELECT state FROM referrals WHERE id = ?", (referral_id,)).fetchone()
        if row is None:
            raise ReferralNotFound(referral_id)
        return ReferralState(row[0])

    # --- drafts ----------------------------------------------------------------------------------
    def create_draft(self, form_id: str, form_version: str, answers: dict[str, Any] | None = None) -> Referral:
        """A new draft with a fresh UUID: the idempotency key it will be sent under, for ever."""
        answers = dict(answers or {})
        referral_id = str(uuid.uuid4())
        now = to_text(self._store.clock())
        with self._store.write(counts_changed=True) as conn:
            conn.execute(
                "INSERT INTO referrals (id, form_id, form_version, state, created_at, updated_at, "
                "child_initials) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (referral_id, form_id, form_version, ReferralState.DRAFT.value, now, now,
                 child_initials(answers)),
            )
            conn.execute(
                "INSERT INTO referral_documents (referral_id, answers) VALUES (?, ?)",
                (referral_id, _dumps(answers)),
            )
            self._store.audit.insert(conn, AuditEvent.CREATED, referral_id)
        return self.get(referral_id)

    def save_answers(self, referral_id: str, answers: dict[str, Any]) -> datetime:
        """Autosave: replace the answers of an editable referral; the audit entry names changed paths.

        One transaction, fsynced before returning. Saving an unchanged document writes nothing.
        Returns the referral's ``updated_at``.
        """
        referral_id = str(referral_id)
        new_json = _dumps(answers)
        with self._store.write() as conn:
            row = conn.execute(
                "SELECT r.state, r.updated_at, d.answers FROM referrals r JOIN referral_documents d "
                "ON d.referral_id = r.id WHERE r.id = ?",
                (referral_id,),
            ).fetchone()
            if row is None:
                raise ReferralNotFound(referral_id)
            state = ReferralState(row[0])
            if state not in EDITABLE_STATES:
                raise NotEditable(referral_id, state.value)
            if row[2] == new_json:
                return datetime.fromisoformat(str(row[1]))
            paths = safe_paths(changed_paths(_answers_read_back(row[2]), answers))
            now = self._store.clock()
            conn.execute(
                "UPDATE referrals SET updated_at = ?, child_initials = ? WHERE id = ?",
                (to_text(now), child_initials(answers), referral_id),
            )
            conn.execute(
                "UPDATE referral_documents SET answers = ? WHERE referral_id = ?", (new_json, referral_id)
            )
            self._store.audit.insert_edit(conn, referral_id, paths)
        self._store.snapshots.take_if_due()  # at most hourly while editing
        return now

    def delete_draft(self, referral_id: str) -> None:
        """Delete an unsent referral the user chose to discard (with its attachments)."""
        referral_id = str(referral_id)
        with self._store.write(counts_changed=True) as conn:
            state = self._state_of(conn, referral_id)
            if state not in EDITABLE_STATES and state != ReferralState.READY:
                raise NotEditable(referral_id, state.value)
            conn.execute("DELETE FROM referrals WHERE id = ?", (referral_id,))
            self._store.audit.insert(conn, AuditEvent.DELETED, referral_id)

    # --- lifecycle ---------------------------------------------------------------------------------
    def freeze(self, referral_id: str, payload: bytes, content_type: str,
               sent_documents: Iterable[str] | None = None) -> None:
        """Draft → ready: keep the exact bytes that will be sent (every time); answers become read-only.

        ``sent_documents``: the ids of the referral's documents that go with it (None: all of them); the
        others are left out of its manifest in the same transaction (``Attachments.mark_left_out``)."""
        referral_id = str(referral_id)
        with self._store.write(counts_changed=True) as conn:
            state = self._state_of(conn, referral_id)
            if state == ReferralState.REJECTED:  # an old store could hold one; treat as the draft it is
                state = ReferralState.DRAFT
            check_transition(state, ReferralState.READY)
            now = to_text(self._store.clock())
            conn.execute(
                "UPDATE referrals SET state = ?, updated_at = ?, rejection_reasons = NULL WHERE id = ?",
                (ReferralState.READY.value, now, referral_id),
            )
            conn.execute(
                "UPDATE referral_documents SET frozen_payload = ?, payload_content_type = ?, payload_sha256 = ?, "
                "left_out_worked_out = 1 WHERE referral_id = ?",
                (bytes(payload), content_type, hashlib.sha256(bytes(payload)).hexdigest(), referral_id),
            )
            self._store.attachments.mark_left_out(conn, referral_id, sent_documents)
            self._store.audit.insert(conn, AuditEvent.FROZEN, referral_id)

    def leave_out_unnamed(self, referral_id: str, sent_documents: Iterable[str]) -> int:
        """For a referral frozen before version 19 (``FrozenReferral.left_out_worked_out`` false), once,
        before its next attempt: leave out of its manifest the documents not in ``sent_documents`` (what its
        answers name, worked out as freezing does now) and record that it was done, in one transaction.
        Only ever adds marks, and only while it waits to send: see ``sync/frozen_before_left_out.py`` for
        why this cannot turn a replay into a conflict. Returns how many documents it left out."""
        referral_id = str(referral_id)
        with self._store.write(counts_changed=True) as conn:
            state = self._state_of(conn, referral_id)
            if state not in (ReferralState.READY, ReferralState.QUEUED, ReferralState.SENDING, ReferralState.RETRYING):
                return 0
            left_out = self._store.attachments.leave_out_others(conn, referral_id, sent_documents)
            conn.execute("UPDATE referral_documents SET left_out_worked_out = 1 WHERE referral_id = ?", (referral_id,))
        return left_out

    def set_state(self, referral_id: str, state: ReferralState | str, **details: Any) -> None:
        """Move along the lifecycle, recording iART's details (reference, times, outcome) as they come.

        ``details`` may hold ``iart_reference``, ``outcome`` (text) and ``sent_at``, ``received_at``,
        ``decision_due``, ``decided_at`` (aware datetimes); ``message`` (iART's text, for example what
        it asks for with ``info_requested``) with ``message_at`` (when iART sent it; default now) is
        kept as in :meth:`add_message`, in the same transaction. Use :meth:`reject` for a refusal and
        ``store.purge_expired`` for the purge, which do more than change the state.
        """
        referral_id = str(referral_id)
        target = ReferralState(state)
        message = details.pop("message", None)
        message_at = details.pop("message_at", None)
        unknown = set(details) - _STATE_DETAILS
        if unknown:
            raise TypeError(f"set_state() got unexpected details: {', '.join(sorted(unknown))}")
        if target in (ReferralState.REJECTED, ReferralState.PURGED):
            raise ValueError(f"Use reject() or purge_expired() to move a referral to {target}")
        with self._store.write() as conn:
            current = self._state_of(conn, referral_id)
            if current != target:
                check_transition(current, target)
            if counted_group(current) != counted_group(target):  # not queued -> sending -> retrying
                self._store.note_counts_changed()
            columns = {"state": target.value, "updated_at": to_text(self._store.clock())}
            for name, value in details.items():
                columns[name] = to_text(value) if name in _TIME_DETAILS else value
            if target == ReferralState.RECEIVED:  # sent: answers from before a form move are not kept
                conn.execute("UPDATE referral_documents SET earlier_answers = NULL WHERE referral_id = ?",
                             (referral_id,))
            if target == ReferralState.DRAFT:  # withdrawn before queueing: editable again
                conn.execute(
                    "UPDATE referral_documents SET frozen_payload = NULL, payload_content_type = NULL, payload_sha256 = NULL "
                    "WHERE referral_id = ?",
                    (referral_id,),
                )
            assignments = ", ".join(f"{name} = ?" for name in columns)
            conn.execute(f"UPDATE referrals SET {assignments} WHERE id = ?", (*columns.values(), referral_id))
            if current != target:
                event = {
                    ReferralState.QUEUED: AuditEvent.QUEUED,
                    ReferralState.RECEIVED: AuditEvent.SENT,
                }.get(target, AuditEvent.STATUS_CHANGED)
                self._store.audit.insert(conn, event, referral_id, detail=target.value)
            if message:
                self._insert_message(conn, referral_id, message, message_at)

    # --- messages from iART ------------------------------------------------------------------------
    def add_message(
        self, referral_id: str, text: str, sent_at: datetime | None = None, message_id: str | None = None
    ) -> bool:
        """Keep a message iART sent about this referral; returns False if it was already kept.

        The same ``message_id`` (the feeds' id of the message), or the same text with the same
        ``sent_at``, is one message (the status poller sees it on every poll). The audit log records
        that a message arrived, never its text.
        """
        referral_id = str(referral_id)
        with self._store.write() as conn:
            self._state_of(conn, referral_id)  # raises ReferralNotFound
            return self._insert_message(conn, referral_id, text, sent_at, message_id)

    def _insert_message(
        self, conn: Any, referral_id: str, text: str, sent_at: datetime | None, message_id: str | None = None
    ) -> bool:
        text = str(text).strip()
        if not text:
            return False
        now = self._store.clock()
        cursor = conn.execute(
            "INSERT OR IGNORE INTO iart_messages (referral_id, sent_at, recorded_at, text, message_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (referral_id, to_text(sent_at or now), to_text(now), text, message_id),
        )
        if cursor.rowcount != 1:
            return False
        self._store.audit.insert(conn, AuditEvent.MESSAGE_RECEIVED, referral_id)
        return True

    def messages(self, referral_id: str) -> list[IartMessage]:
        """iART's messages about this referral, newest first (none after the retention purge)."""
        with self._store.read() as conn:
            rows = conn.execute(
                "SELECT referral_id, sent_at, recorded_at, text FROM iart_messages WHERE referral_id = ? "
                "ORDER BY sent_at DESC, id DESC",
                (str(referral_id),),
            ).fetchall()
        return [IartMessage(row[0], from_text(row[1]), from_text(row[2]), row[3]) for row in rows]

    def reject(self, referral_id: str, reasons: Iterable[tuple[str, str]]) -> None:
        """iART refused the content: back to an editable draft with the reasons (path, message) kept.

        The frozen payload is dropped (a corrected referral is frozen again) and the outbox entry removed.
        """
        referral_id = str(referral_id)
        kept = [[str(path), str(message)] for path, message in reasons]
        with self._store.write(counts_changed=True) as conn:
            current = self._state_of(conn, referral_id)
            check_transition(current, ReferralState.REJECTED)
            conn.execute(
                "UPDATE referrals SET state = ?, updated_at = ?, rejection_reasons = ? WHERE id = ?",
                (ReferralState.DRAFT.value, to_text(self._store.clock()), json.dumps(kept), referral_id),
            )
            conn.execute(
                "UPDATE referral_documents SET frozen_payload = NULL, payload_content_type = NULL, payload_sha256 = NULL "
                "WHERE referral_id = ?",
                (referral_id,),
            )
            conn.execute("DELETE FROM outbox WHERE referral_id = ?", (referral_id,))
            self._store.audit.insert(
                conn, AuditEvent.REJECTED, referral_id, safe_paths(path for path, _ in kept)
            )
