"""The sandbox's persistent storage: plain sqlite3 plus one file per attachment, in ``<data>``.

It is a test server, so the store is deliberately simple and inspectable, but it is written to give the
client a faithful peer: a referral is committed once per idempotency key (replays are counted, not
stored again), status changes are recorded with their time for ``changes?since=``, and upload progress
is durable, so an interrupted upload resumes at the offset the server really holds.

Several processes may use the same data folder at once (the server, and the ``sandbox acknowledge``
command): WAL mode and a busy timeout handle that. Timestamps are stored as fixed-width UTC ISO strings
so that they sort as text.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

from referral_desktop.domain.api_contract import (
    AttachmentManifestEntry,
    Outcome,
    ReferralStatus,
    StatusReport,
    SubmissionRequest,
    UploadStatus,
)
from referral_desktop.sandbox.conversation_store import (
    SCHEMA as CONVERSATION_SCHEMA,
)
from referral_desktop.sandbox.conversation_store import (
    SandboxConversation,
    add_iart_message,
    conversation_of,
)
from referral_desktop.sandbox.stored_times import ts

_SCHEMA = """
CREATE TABLE IF NOT EXISTS referrals (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    payload_content_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    summary TEXT NOT NULL,
    received_at TEXT NOT NULL,
    decision_due TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    message TEXT,
    changed_at TEXT NOT NULL,
    replays INTEGER NOT NULL DEFAULT 0,
    activity_at TEXT
);
CREATE TABLE IF NOT EXISTS status_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    status TEXT NOT NULL,
    outcome TEXT,
    changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    attachment_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (referral_id, attachment_id)
);
CREATE TABLE IF NOT EXISTS reference_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
"""

#: Which status may follow which (the operator commands and the auto mode obey this).
ALLOWED_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.ACKNOWLEDGED}),
    ReferralStatus.ACKNOWLEDGED: frozenset({ReferralStatus.INFO_REQUESTED, ReferralStatus.DECIDED}),
    ReferralStatus.INFO_REQUESTED: frozenset(
        {ReferralStatus.ACKNOWLEDGED, ReferralStatus.INFO_REQUESTED, ReferralStatus.DECIDED}
    ),
    ReferralStatus.DECIDED: frozenset(),
}


class IdempotencyConflict(Exception):
    """The idempotency key is already held by a different request."""


class ReferralNotFound(Exception):
    """No referral with that id or reference."""


class TransitionRefused(Exception):
    """The referral's current status does not allow that move."""

    def __init__(self, current: ReferralStatus, wanted: ReferralStatus) -> None:
        super().__init__(f"a {current.value} referral cannot become {wanted.value}")
        self.current = current
        self.wanted = wanted


class UploadOffsetMismatch(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(f"the upload continues at byte {offset}")
        self.offset = offset


class ChecksumMismatch(Exception):
    """Every byte arrived but the SHA-256 differs from the manifest; the upload was reset to 0."""


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass(frozen=True)
class StoredReferral:
    """One row, as the sandbox's operator views see it."""

    referral_id: str
    reference: str
    form_id: str
    form_version: str
    payload_content_type: str
    status: ReferralStatus
    outcome: Outcome | None
    message: str | None
    received_at: datetime
    decision_due: datetime
    changed_at: datetime
    replays: int
    summary: dict
    attachments_total: int
    attachments_complete: int


@dataclass(frozen=True)
class SubmitResult:
    report: StatusReport
    created: bool


class SandboxStorage:
    """All reads and writes of the sandbox's data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / "sandbox.sqlite3"
        self.attachments_dir = data_dir / "attachments"
        data_dir.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA + CONVERSATION_SCHEMA)
            columns = {r["name"] for r in conn.execute("PRAGMA table_info(referrals)")}
            if "activity_at" not in columns:  # a data folder from before the conversation
                conn.execute("ALTER TABLE referrals ADD COLUMN activity_at TEXT")
            # The changes feed reads activity_at: a status move or a change in the conversation.
            conn.execute("UPDATE referrals SET activity_at = changed_at WHERE activity_at IS NULL")
            conn.execute("CREATE INDEX IF NOT EXISTS referrals_activity_at ON referrals(activity_at)")
        self.conversation = SandboxConversation(self)

    def connection(self):
        """A connection (closed on leaving the ``with``), for the conversation's reads."""
        return self._connect()

    def transaction(self):
        """A write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), for the conversation's writes."""
        return self._write()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.db_path, timeout=10, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- referrals ---------------------------------------------------------------------------------

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

    def _pending(self, conn: sqlite3.Connection, referral_id: str) -> list[str]:
        return [
            r["attachment_id"]
            for r in conn.execute(
                "SELECT attachment_id FROM attachments WHERE referral_id = ? AND complete = 0"
                " ORDER BY attachment_id",
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
                "SELECT r.*, (SELECT COUNT(*) FROM attachments a WHERE a.referral_id = r.id) AS att_total,"
                " (SELECT COUNT(*) FROM attachments a WHERE a.referral_id = r.id AND a.complete = 1)"
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

    # --- attachments -------------------------------------------------------------------------------

    def attachment_path(self, referral_id: UUID, attachment_id: UUID) -> Path:
        return self.attachments_dir / str(referral_id) / f"{attachment_id}.bin"

    def _attachment_row(self, conn: sqlite3.Connection, referral_id: UUID, attachment_id: UUID):
        row = conn.execute(
            "SELECT * FROM attachments WHERE referral_id = ? AND attachment_id = ?",
            (str(referral_id), str(attachment_id)),
        ).fetchone()
        if row is None:
            raise ReferralNotFound()
        return row

    def attachment_manifest(self, referral_id: UUID, attachment_id: UUID) -> AttachmentManifestEntry:
        with self._connect() as conn:
            row = self._attachment_row(conn, referral_id, attachment_id)
        return AttachmentManifestEntry(
            id=row["attachment_id"], size=row["size"], sha256=row["sha256"],
            content_type=row["content_type"],
        )

    def upload_status(self, referral_id: UUID, attachment_id: UUID) -> UploadStatus:
        with self._connect() as conn:
            row = self._attachment_row(conn, referral_id, attachment_id)
        return UploadStatus(
            referral_id=referral_id, attachment_id=attachment_id, size=row["size"],
            received=row["received"], complete=bool(row["complete"]),
        )

    def append_chunk(
        self, referral_id: UUID, attachment_id: UUID, start: int, source: BinaryIO, length: int
    ) -> UploadStatus:
        """Write ``length`` bytes read from ``source`` at byte ``start`` — only if the server holds exactly
        ``start`` bytes — and move the offset to ``start + length``: a compare-and-set in one transaction.

        Why: a client that timed out re-reads the offset and re-sends while its abandoned request may still
        be in flight. Checking the offset when the request *arrives* and writing it when the body has
        been read let the late request move the offset backwards, and two PUTs at one offset both
        succeed. Here the check, the file write and the new offset happen under the database's write
        lock (``BEGIN IMMEDIATE``, which also holds across processes), so exactly one chunk is accepted at
        each offset and the offset only moves forward; any other raises :class:`UploadOffsetMismatch`
        with the offset the server holds. A crash after the file write and before the commit leaves bytes
        past the recorded offset, which the next chunk at that offset overwrites (the file is truncated
        to the new offset).
        """
        path = self.attachment_path(referral_id, attachment_id)
        with self._write() as conn:
            row = self._attachment_row(conn, referral_id, attachment_id)
            if row["complete"] or row["received"] != start:
                raise UploadOffsetMismatch(row["size"] if row["complete"] else row["received"])
            if start + length > row["size"]:
                raise ValueError("the chunk ends past the attachment's size")
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "r+b" if path.exists() else "wb") as handle:
                handle.seek(start)
                remaining = length
                while remaining:
                    block = source.read(min(remaining, 1 << 20))
                    if not block:
                        raise ValueError("the chunk is shorter than its length")
                    handle.write(block)
                    remaining -= len(block)
                handle.truncate(start + length)
                handle.flush()  # like the database (synchronous=NORMAL): survives a kill, not a power cut
            conn.execute(
                "UPDATE attachments SET received = ? WHERE referral_id = ? AND attachment_id = ? AND received = ?",
                (start + length, str(referral_id), str(attachment_id), start),
            )
            return UploadStatus(
                referral_id=referral_id, attachment_id=attachment_id, size=row["size"],
                received=start + length, complete=False,
            )

    def finish_upload(self, referral_id: UUID, attachment_id: UUID) -> UploadStatus:
        """Check the whole file against the manifest's SHA-256: complete, or reset to 0 and raise.

        Under the write lock, like :meth:`append_chunk`, so no chunk can land between the check and
        the reset; an upload already complete is simply reported.
        """
        path = self.attachment_path(referral_id, attachment_id)
        mismatch = False
        with self._write() as conn:
            row = self._attachment_row(conn, referral_id, attachment_id)
            if not row["complete"]:
                digest = hashlib.sha256()
                if path.exists():
                    with open(path, "rb") as handle:
                        for block in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(block)
                matches = row["received"] == row["size"] and digest.hexdigest() == row["sha256"]
                conn.execute(
                    "UPDATE attachments SET complete = ?, received = ?"
                    " WHERE referral_id = ? AND attachment_id = ?",
                    (int(matches), row["size"] if matches else 0, str(referral_id), str(attachment_id)),
                )
                if not matches:
                    path.unlink(missing_ok=True)
                    mismatch = True
        if mismatch:
            raise ChecksumMismatch()
        return self.upload_status(referral_id, attachment_id)
