"""The upload state of each attachment of a sent referral: pending, uploading at offset N, uploaded, failed.

Why it is in the store: "sent" must mean that iART holds the referral *and* its documents. The sender
records every step here (not only in a log line), so ``send`` can resume an upload a kill interrupted,
every screen and command can say "2 of 3 documents sent", and a referral is not called fully sent while a
document is missing. Each row is also the upload's own job in the outbox: its own due time and attempt
count, so a failed upload backs off on its own instead of waiting for the next status poll.

A row also counts what makes an upload stop for good (``failed``): checksum mismatches
(``mismatches``) and iART's own final refusals (``refusals``), kept apart because the screens say
different things about them; and the smaller chunk size iART took after a 413 (``chunk_bytes``).

A row is created for every attachment a referral sends (not those its freezing left out: see
``Attachments.to_send``) in the same transaction that records iART's acknowledgement (:meth:`AttachmentUploads.begin`); the server's list of attachments it still waits for
decides which start ``pending``. Later status reports reconcile the rows with what the server holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from referral_desktop.store.errors import AttachmentNotFound
from referral_desktop.store.records import UploadEntry, UploadProgress
from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

PENDING = "pending"
UPLOADING = "uploading"
UPLOADED = "uploaded"
FAILED = "failed"
#: States whose rows ``due()`` returns once their time has come.
ACTIVE_STATES = (PENDING, UPLOADING)

#: Why an upload was given up (``failure``): the copy in this store no longer matches the SHA-256 frozen
#: with the referral (or cannot be read); iART kept refusing the bytes as not matching it; or iART kept
#: refusing the upload with its own final word (a problem document: not valid, too large even in small
#: chunks, a conflict, or a referral or document it does not know).
DAMAGED_HERE = "damaged_here"
REFUSED_BY_SERVER = "checksum_refused"
REFUSED_FOR_GOOD = "refused_for_good"

_COLUMNS = (
    "attachment_id, referral_id, state, server_offset, attempts, mismatches, next_attempt_at, "
    "last_error_code, failure, updated_at"
)
#: What is read back: the columns a row is created with, and those that default (migration 12).
_READ_COLUMNS = f"{_COLUMNS}, refusals, chunk_bytes"


def _entry(row: tuple[Any, ...]) -> UploadEntry:
    return UploadEntry(
        attachment_id=row[0], referral_id=row[1], state=row[2], server_offset=row[3], attempts=row[4],
        mismatches=row[5], next_attempt_at=from_text(row[6]), last_error_code=row[7], failure=row[8],
        updated_at=from_text(row[9]), refusals=row[10], chunk_bytes=row[11],
    )


class AttachmentUploads:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- creating and reconciling -------------------------------------------------------------------

    def begin(self, referral_id: str, server_pending: Iterable[str], now: datetime | None = None) -> None:
        """Record the acknowledgement's view: the attachments the server waits for are ``pending`` (due
        now), the others ``uploaded``. Joins the caller's transaction (the "received" commit)."""
        referral_id = str(referral_id)
        waiting = {str(a) for a in server_pending}
        when = to_text(now or self._store.clock())
        with self._store.write() as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM attachments WHERE referral_id = ? AND reply_id IS NULL AND left_out = 0", (referral_id,))]
            conn.executemany(
                f"INSERT INTO attachment_uploads ({_COLUMNS}) VALUES (?, ?, ?, 0, 0, 0, ?, NULL, NULL, ?) "
                "ON CONFLICT (attachment_id) DO NOTHING",
                [(aid, referral_id, PENDING if aid in waiting else UPLOADED, when, when) for aid in ids],
            )

    def reconcile(self, referral_id: str, server_pending: Iterable[str], now: datetime | None = None) -> int:
        """Bring the rows in line with a status report: what the server no longer waits for is uploaded;
        what it waits for but this store called uploaded is pending again. Returns how many changed.

        Read first and written only when something differs: every status report passes through here.
        """
        return self._reconcile("referral_id = ? AND reply_id IS NULL AND left_out = 0", str(referral_id),
                               server_pending, now)

    def reconcile_reply(self, reply_id: str, server_pending: Iterable[str], now: datetime | None = None) -> int:
        """The same for a reply iART holds, from what the feed lists as its ``attachments_pending``: rows
        are created for its documents if the "sent" commit did not (the reply was learnt to be sent from
        the feed), and brought in line otherwise."""
        return self._reconcile("reply_id = ?", str(reply_id), server_pending, now)

    def _reconcile(self, which: str, key: str, server_pending: Iterable[str], now: datetime | None) -> int:
        waiting = {str(a) for a in server_pending}
        with self._store.read() as conn:
            ids = conn.execute(f"SELECT id, referral_id FROM attachments WHERE {which}", (key,)).fetchall()
            if not ids:
                return 0
            rows = {
                r[0]: r[1]
                for r in conn.execute(
                    "SELECT attachment_id, state FROM attachment_uploads WHERE referral_id = ?", (ids[0][1],)
                )
            }
        inserts, done, again = [], [], []
        for aid, rid in ids:
            state = rows.get(aid)
            if state is None:
                inserts.append((aid, rid))
            elif aid not in waiting and state != UPLOADED:
                done.append(aid)
            elif aid in waiting and state == UPLOADED:
                again.append(aid)
        if not (inserts or done or again):
            return 0
        when = to_text(now or self._store.clock())
        with self._store.write() as conn:
            conn.executemany(
                f"INSERT INTO attachment_uploads ({_COLUMNS}) VALUES (?, ?, ?, 0, 0, 0, ?, NULL, NULL, ?) "
                "ON CONFLICT (attachment_id) DO NOTHING",
                [(aid, rid, PENDING if aid in waiting else UPLOADED, when, when) for aid, rid in inserts],
            )
            conn.executemany(
                "UPDATE attachment_uploads SET state = ?, failure = NULL, last_error_code = NULL, updated_at = ? "
                "WHERE attachment_id = ?",
                [(UPLOADED, when, aid) for aid in done],
            )
            conn.executemany(
                "UPDATE attachment_uploads SET state = ?, server_offset = 0, next_attempt_at = ?, updated_at = ? "
                "WHERE attachment_id = ?",
                [(PENDING, when, when, aid) for aid in again],
            )
        return len(inserts) + len(done) + len(again)

    def begin_reply(self, reply_id: str, server_pending: Iterable[str], now: datetime | None = None) -> None:
        """Like :meth:`begin`, for a reply's documents once iART holds the reply (joins the "sent" commit):
        what iART's answer says it waits for is ``pending``, the rest ``uploaded``."""
        waiting = {str(a) for a in server_pending}
        when = to_text(now or self._store.clock())
        with self._store.write() as conn:
            rows = conn.execute(
                "SELECT id, referral_id FROM attachments WHERE reply_id = ?", (str(reply_id),)
            ).fetchall()
            conn.executemany(
                f"INSERT INTO attachment_uploads ({_COLUMNS}) VALUES (?, ?, ?, 0, 0, 0, ?, NULL, NULL, ?) "
                "ON CONFLICT (attachment_id) DO NOTHING",
                [(aid, rid, PENDING if aid in waiting else UPLOADED, when, when) for aid, rid in rows],
            )

    # --- reading ------------------------------------------------------------------------------------

    def get(self, attachment_id: str) -> UploadEntry | None:
        with self._store.read() as conn:
            row = conn.execute(
                f"SELECT {_READ_COLUMNS} FROM attachment_uploads WHERE attachment_id = ?", (str(attachment_id),)
            ).fetchone()
        return _entry(row) if row else None

    def for_referral(self, referral_id: str) -> list[UploadEntry]:
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_READ_COLUMNS} FROM attachment_uploads WHERE referral_id = ? ORDER BY attachment_id",
                (str(referral_id),),
            ).fetchall()
        return [_entry(r) for r in rows]

    def due(self, now: datetime) -> list[UploadEntry]:
        """Uploads to try now, the longest waiting first."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_READ_COLUMNS} FROM attachment_uploads WHERE state IN (?, ?) AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at, attachment_id",
                (*ACTIVE_STATES, to_text(now)),
            ).fetchall()
        return [_entry(r) for r in rows]

    def next_due_at(self) -> datetime | None:
        """When the next unfinished upload is due (None when none is waiting)."""
        with self._store.read() as conn:
            row = conn.execute(
                "SELECT min(next_attempt_at) FROM attachment_uploads WHERE state IN (?, ?)", ACTIVE_STATES
            ).fetchone()
        return from_text(row[0]) if row and row[0] else None

    def waiting_count(self) -> int:
        """How many uploads are not finished and not given up (``send`` exits non-zero while any is)."""
        with self._store.read() as conn:
            row = conn.execute(
                "SELECT count(*) FROM attachment_uploads WHERE state IN (?, ?)", ACTIVE_STATES
            ).fetchone()
        return int(row[0])

    def given_up(self, referral_id: str) -> dict[str, str | None]:
        """The referral's documents (its own and its replies') whose upload was given up on (``failed``):
        attachment id -> why (``failure``)."""
        with self._store.read() as conn:
            rows = conn.execute(
                "SELECT attachment_id, failure FROM attachment_uploads WHERE referral_id = ? AND state = ? "
                "ORDER BY attachment_id",
                (str(referral_id), FAILED),
            ).fetchall()
        return {r[0]: r[1] for r in rows}

    def given_up_counts(self, referral_id: str | None = None) -> dict[str, int]:
        """How many documents were given up on (``failed``), per referral that has any — its own and its
        replies' — of every referral, or of ``referral_id`` only. One query over the failed rows only (the
        state index), for reading every referral at once (the notifications, at unlock) without one query
        per referral, and one referral after a change."""
        sql = "SELECT referral_id, count(*) FROM attachment_uploads WHERE state = ?"
        params: tuple[str, ...] = (FAILED,)
        if referral_id is not None:
            sql, params = sql + " AND referral_id = ?", (*params, str(referral_id))
        with self._store.read() as conn:
            rows = conn.execute(sql + " GROUP BY referral_id", params).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def progress(self, referral_ids: Iterable[str] | None = None) -> dict[str, UploadProgress]:
        """Documents sent of documents it sends, per referral that has any (all such, or those given):
        a document its freezing left out (its question no longer applies) is not counted.

        A referral iART has not acknowledged yet has no upload rows: 0 of N sent.
        """
        sql = (
            "SELECT a.referral_id, count(*), "
            "sum(CASE WHEN u.state = ? THEN 1 ELSE 0 END), sum(CASE WHEN u.state = ? THEN 1 ELSE 0 END) "
            "FROM attachments a LEFT JOIN attachment_uploads u ON u.attachment_id = a.id "
            "WHERE a.reply_id IS NULL AND a.left_out = 0 "
        )
        params: list[object] = [UPLOADED, FAILED]
        if referral_ids is not None:
            ids = [str(r) for r in referral_ids]
            if not ids:
                return {}
            sql += f"AND a.referral_id IN ({', '.join('?' for _ in ids)}) "
            params += ids
        sql += "GROUP BY a.referral_id"
        with self._store.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return {r[0]: UploadProgress(total=int(r[1]), uploaded=int(r[2] or 0), failed=int(r[3] or 0)) for r in rows}

    def reply_progress(self, referral_id: str) -> dict[str, UploadProgress]:
        """Documents sent of documents attached, per reply of the referral that has any ("1 of 2
        documents sent"). A reply iART does not hold yet has no upload rows: 0 of N sent."""
        with self._store.read() as conn:
            rows = conn.execute(
                "SELECT a.reply_id, count(*), sum(CASE WHEN u.state = ? THEN 1 ELSE 0 END), "
                "sum(CASE WHEN u.state = ? THEN 1 ELSE 0 END) FROM attachments a "
                "LEFT JOIN attachment_uploads u ON u.attachment_id = a.id "
                "WHERE a.referral_id = ? AND a.reply_id IS NOT NULL GROUP BY a.reply_id",
                (UPLOADED, FAILED, str(referral_id)),
            ).fetchall()
        return {r[0]: UploadProgress(total=int(r[1]), uploaded=int(r[2] or 0), failed=int(r[3] or 0)) for r in rows}

    # --- recording attempts -------------------------------------------------------------------------

    def _update(self, attachment_id: str, **columns: object) -> None:
        columns["updated_at"] = to_text(self._store.clock())
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with self._store.write() as conn:
            cursor = conn.execute(
                f"UPDATE attachment_uploads SET {assignments} WHERE attachment_id = ?",
                (*columns.values(), str(attachment_id)),
            )
            if cursor.rowcount == 0:
                raise AttachmentNotFound(str(attachment_id))

    def mark_uploading(self, attachment_id: str, server_offset: int) -> None:
        """The server holds ``server_offset`` bytes and the upload goes on from there."""
        self._update(attachment_id, state=UPLOADING, server_offset=int(server_offset))

    def mark_uploaded(self, attachment_id: str, size: int) -> None:
        self._update(
            attachment_id, state=UPLOADED, server_offset=int(size), last_error_code=None, failure=None
        )

    def mark_retry(self, attachment_id: str, *, attempts: int, next_attempt_at: datetime, error_code: str,
                   server_offset: int | None = None) -> None:
        """The attempt stopped (network, 5xx, timeout…); try again at ``next_attempt_at``."""
        columns: dict[str, object] = {
            "attempts": int(attempts), "next_attempt_at": to_text(next_attempt_at), "last_error_code": error_code,
        }
        if server_offset is not None:
            columns["server_offset"] = int(server_offset)
            columns["state"] = UPLOADING if server_offset > 0 else PENDING
        self._update(attachment_id, **columns)

    def due_now_if(self, error_codes: Iterable[str], now: datetime) -> int:
        """Make the unfinished uploads whose last error is one of ``error_codes`` due at ``now`` (the API
        answers again after an outage). Returns how many were brought forward."""
        codes = [str(c) for c in error_codes]
        if not codes:
            return 0
        when = to_text(now)
        with self._store.write() as conn:
            cursor = conn.execute(
                f"UPDATE attachment_uploads SET next_attempt_at = ?, updated_at = ? "
                f"WHERE state IN (?, ?) AND next_attempt_at > ? "
                f"AND last_error_code IN ({', '.join('?' for _ in codes)})",
                (when, when, *ACTIVE_STATES, when, *codes),
            )
            return int(cursor.rowcount)

    def mark_mismatch(self, attachment_id: str, *, failure: str, next_attempt_at: datetime,
                      max_mismatches: int) -> UploadEntry:
        """The bytes did not match the frozen SHA-256 (here, or at the server). After ``max_mismatches``
        in a row the upload is given up (``failed``, with ``failure`` saying where); until then it is
        retried at ``next_attempt_at`` from the server's offset. Returns the row as it now is."""
        return self._count_towards_giving_up(
            attachment_id, "mismatches", failure=failure, error_code=failure, next_attempt_at=next_attempt_at,
            limit=max_mismatches,
        )

    def mark_refused(self, attachment_id: str, *, error_code: str, next_attempt_at: datetime,
                     max_refusals: int) -> UploadEntry:
        """iART refused the upload with its own final word (``error_code`` says which status). After
        ``max_refusals`` the upload is given up (``failed``, :data:`REFUSED_FOR_GOOD`); until then it is
        retried at ``next_attempt_at``. Returns the row as it now is."""
        return self._count_towards_giving_up(
            attachment_id, "refusals", failure=REFUSED_FOR_GOOD, error_code=error_code,
            next_attempt_at=next_attempt_at, limit=max_refusals,
        )

    def set_chunk_bytes(self, attachment_id: str, chunk_bytes: int) -> None:
        """The upload goes on in chunks of ``chunk_bytes`` (iART answered 413 to larger ones)."""
        self._update(attachment_id, chunk_bytes=int(chunk_bytes))

    def _count_towards_giving_up(self, attachment_id: str, counter: str, *, failure: str, error_code: str,
                                 next_attempt_at: datetime, limit: int) -> UploadEntry:
        """Add one to ``counter`` (``mismatches`` or ``refusals``); at ``limit`` the upload is ``failed``
        with ``failure``, before it it is due again at ``next_attempt_at``. One transaction."""
        aid = str(attachment_id)
        with self._store.write() as conn:
            row = conn.execute(f"SELECT {counter} FROM attachment_uploads WHERE attachment_id = ?", (aid,)).fetchone()
            if row is None:
                raise AttachmentNotFound(aid)
            count = int(row[0]) + 1
            columns: dict[str, object] = {counter: count, "last_error_code": error_code}
            if count >= limit:
                columns.update(state=FAILED, failure=failure)
            else:
                columns.update(next_attempt_at=to_text(next_attempt_at))
            self._update(aid, **columns)
        entry = self.get(aid)
        assert entry is not None
        return entry
