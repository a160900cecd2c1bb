"""The sandbox's persistent storage: plain sqlite3 plus one file per attachment, in ``<data>``.

It is a test server, so the store is deliberately simple and inspectable, but it is written to give the
client a faithful peer: a referral is committed once per idempotency key (replays are counted, not
stored again), status changes are recorded with their time for ``changes?since=``, and upload progress
is durable, so an interrupted upload resumes at the offset the server really holds.

The storage is in layers: :mod:`storage_connection` (the tables and connections), :mod:`upload_storage`
(attachments), this module (referrals, their status and the feeds) and the conversation
(:mod:`conversation_store`). Timestamps are stored as fixed-width UTC ISO strings so that they sort as
text. The records and refusals live in :mod:`storage_records` and are re-exported here.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from uuid import UUID

from referral_desktop.domain.api_contract import (
    Outcome,
    ReferralStatus,
    StatusReport,
    SubmissionRequest,
)
from referral_desktop.sandbox.conversation_store import (
    SandboxConversation,
    add_iart_message,
    conversation_of,
)
from referral_desktop.sandbox.storage_records import (
    ALLOWED_TRANSITIONS,
    ChecksumMismatch,
    IdempotencyConflict,
    ReferralNotFound,
    StoredReferral,
    SubmitResult,
    TransitionRefused,
    UploadOffsetMismatch,
)
from referral_desktop.sandbox.stored_times import ts
from referral_desktop.sandbox.upload_storage import UploadStorage

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ChecksumMismatch",
    "IdempotencyConflict",
    "ReferralNotFound",
    "SandboxStorage",
    "StoredReferral",
    "SubmitResult",
    "TransitionRefused",
    "UploadOffsetMismatch",
]


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


class SandboxStorage(UploadStorage):
    """All reads and writes of the sandbox's data folder."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.conversation = SandboxConversation(self)

    def fingerprint_of(self, referral_id: UUID) -> str | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT fingerprint FROM referrals WHERE id = ?", (str(referral_id),)
            ).fetchone()
        return row["fingerprint"] if row else None

    def submit(
        self,
        referral_id: UUID,
        request: SubmissionRequest,
        *,
        received_at: datetime,
        decision_due: datetime,
        summary: dict,
    ) -> SubmitResult:
        """Commit a new referral, or recognise a replay; raise :class:`IdempotencyConflict` otherwise."""
        fingerprint = request.fingerprint()
        key = str(referral_id)
        with self._write() as conn:
            row = conn.execute("SELECT fingerprint FROM referrals WHERE id = ?", (key,)).fetchone()
            if row is not None:
                if row["fingerprint"] != fingerprint:
                    raise IdempotencyConflict()
                conn.execute("UPDATE referrals SET replays = replays + 1 WHERE id = ?", (key,))
                created = False
            else:
                year = received_at.year
                conn.execute(
                    "INSERT INTO reference_counters(year, last) VALUES (?, 1) "
                    "ON CONFLICT(year) DO UPDATE SET last = last + 1",
                    (year,),
                )
                number = conn.execute(
                    "SELECT last FROM reference_counters WHERE year = ?", (year,)
                ).fetchone()["last"]
                conn.execute(
                    "INSERT INTO referrals(id, reference, fingerprint, form_id, form_version,"
                    " payload_content_type, payload, summary, received_at, decision_due, status,"
                    " changed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        key, f"IART-{year:04d}-{number:06d}", fingerprint, request.form_id,
                        request.form_version, request.payload_content_type.value, request.payload,
                        json.dumps(summary), ts(received_at), ts(decision_due),
                        ReferralStatus.RECEIVED.value, ts(received_at),
                    ),
                )
                conn.execute("UPDATE referrals SET activity_at = changed_at WHERE id = ?", (key,))
                conn.execute(
                    "INSERT INTO status_events(referral_id, status, changed_at) VALUES (?,?,?)",
                    (key, ReferralStatus.RECEIVED.value, ts(received_at)),
                )
                for entry in request.attachments:
                    conn.execute(
                        "INSERT INTO attachments(referral_id, attachment_id, size, sha256, content_type)"
                        " VALUES (?,?,?,?,?)",
                        (key, str(entry.id), entry.size, entry.sha256, entry.content_type),
                    )
                created = True
            report = self._report(conn, key)
        return SubmitResult(report=report, created=created)

    def _row(self, conn: sqlite3.Connection, id_or_reference: str) -> sqlite3.Row:
        row = conn.execute(
            "SELECT * FROM referrals WHERE id = ? OR reference = ?", (id_or_reference, id_or_reference)
        ).fetchone()
        if row is None:
            raise ReferralNotFound()
        return row

    def _pending(self, conn: sqlite3.Connection, referral_id: str) -> list[UUID]:
        return [
            UUID(r["attachment_id"])
            for r in conn.execute(
                "SELECT attachment_id FROM attachments WHERE referral_id = ? AND complete = 0"
                " AND message_id IS NULL ORDER BY attachment_id",
                (referral_id,),
            )
        ]

    def _report_from_row(self, conn: sqlite3.Connection, row: sqlite3.Row) -> StatusReport:
        return StatusReport(
            referral_id=row["id"],
            iart_reference=row["reference"],
            status=ReferralStatus(row["status"]),
            changed_at=_dt(row["changed_at"]),
            received_at=_dt(row["received_at"]),
            decision_due=_dt(row["decision_due"]),
            outcome=row["outcome"],
            message=row["message"],
            attachments_pending=self._pending(conn, row["id"]),
            messages=conversation_of(conn, row["id"]),
        )

    def _report(self, conn: sqlite3.Connection, id_or_reference: str) -> StatusReport:
        return self._report_from_row(conn, self._row(conn, id_or_reference))

    def status(self, id_or_reference: str) -> StatusReport:
        """The status of a referral found by its UUID or its iART reference."""
        with self._connect() as conn:
            return self._report(conn, id_or_reference)

    def changes_since(
        self, since: datetime, until: datetime, limit: int
    ) -> tuple[list[StatusReport], datetime, bool]:
        """Referrals whose status or conversation changed in ``(since, until]``, oldest change first.

        When more than ``limit`` changed, the page ends before the first change it could not hold (never
        splitting a run of equal times), and the returned ``until`` is where the next page starts.
        """
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM referrals WHERE activity_at > ? AND activity_at <= ?"
                " ORDER BY activity_at, id LIMIT ?",
                (ts(since), ts(until), limit + 1),
            ).fetchall()
            has_more = len(rows) > limit
            if has_more:
                cut = rows[limit]["activity_at"]
                kept = [r for r in rows[:limit] if r["activity_at"] < cut]
                if kept:
                    rows = kept
                    until = _dt(rows[-1]["activity_at"])
                else:  # more than `limit` changes share one instant: hand them all over
                    rows = conn.execute(
                        "SELECT * FROM referrals WHERE activity_at = ? ORDER BY id", (cut,)
                    ).fetchall()
                    until = _dt(cut)
            reports = [self._report_from_row(conn, r) for r in rows]
        return reports, until, has_more

    def move(
        self,
        id_or_reference: str,
        status: ReferralStatus,
        *,
        now: datetime,
        outcome: Outcome | None = None,
        message: str | None = None,
    ) -> StatusReport:
        """Move a referral on (operator action); deciding a received referral acknowledges it first."""
        with self._write() as conn:
            row = self._row(conn, id_or_reference)
            current = ReferralStatus(row["status"])
            steps = [status]
            if current is ReferralStatus.RECEIVED and status is not ReferralStatus.ACKNOWLEDGED:
                steps = [ReferralStatus.ACKNOWLEDGED, status]
            for step in steps:
                if step not in ALLOWED_TRANSITIONS[current]:
                    raise TransitionRefused(current, step)
                conn.execute(
                    "UPDATE referrals SET status = ?, outcome = ?, message = ?, changed_at = ?,"
                    " activity_at = ? WHERE id = ?",
                    (
                        step.value,
                        outcome.value if step is ReferralStatus.DECIDED and outcome else None,
                        message if step is ReferralStatus.INFO_REQUESTED else None,
                        ts(now),
                        ts(now),
                        row["id"],
                    ),
                )
                if step is ReferralStatus.INFO_REQUESTED and message:
                    add_iart_message(conn, row["id"], message, now)
                conn.execute(
                    "INSERT INTO status_events(referral_id, status, outcome, changed_at) VALUES (?,?,?,?)",
                    (row["id"], step.value, outcome.value if outcome else None, ts(now)),
                )
                current = step
            return self._report(conn, row["id"])

    def due_for(self, status: ReferralStatus, changed_before: datetime) -> list[str]:
        """Ids of referrals sitting in ``status`` since before ``changed_before`` (the demo auto mode)."""
        with self._connect() as conn:
            return [
                r["id"]
                for r in conn.execute(
                    "SELECT id FROM referrals WHERE status = ? AND changed_at <= ? ORDER BY changed_at",
                    (status.value, ts(changed_before)),
                )
            ]

    def list_referrals(self) -> list[StoredReferral]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT r.*, (SELECT COUNT(*) FROM attachments a WHERE a.referral_id = r.id AND a.message_id IS NULL)"
                " AS att_total, (SELECT COUNT(*) FROM attachments a WHERE a.referral_id = r.id"
                " AND a.message_id IS NULL AND a.complete = 1)"
                " AS att_done FROM referrals r ORDER BY r.received_at DESC"
            ).fetchall()
        return [
            StoredReferral(
                referral_id=r["id"],
                reference=r["reference"],
                form_id=r["form_id"],
                form_version=r["form_version"],
                payload_content_type=r["payload_content_type"],
                status=ReferralStatus(r["status"]),
                outcome=Outcome(r["outcome"]) if r["outcome"] else None,
                message=r["message"],
                received_at=_dt(r["received_at"]),
                decision_due=_dt(r["decision_due"]),
                changed_at=_dt(r["changed_at"]),
                replays=r["replays"],
                summary=json.loads(r["summary"]),
                attachments_total=r["att_total"],
                attachments_complete=r["att_done"],
            )
            for r in rows
        ]

    def status_history(self, id_or_reference: str) -> list[tuple[ReferralStatus, datetime]]:
        with self._connect() as conn:
            row = self._row(conn, id_or_reference)
            return [
                (ReferralStatus(r["status"]), _dt(r["changed_at"]))
                for r in conn.execute(
                    "SELECT status, changed_at FROM status_events WHERE referral_id = ? ORDER BY seq",
                    (row["id"],),
                )
            ]
