"""The sandbox's side of resumable attachment uploads: one file per attachment under ``attachments/``,
its durable offset and completeness in the database, so an interrupted upload resumes at the offset the
server really holds."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import IO
from uuid import UUID

from referral_desktop.domain.api_contract import AttachmentManifestEntry, UploadStatus
from referral_desktop.sandbox.storage_connection import StorageConnections
from referral_desktop.sandbox.storage_records import ChecksumMismatch, ReferralNotFound, UploadOffsetMismatch


class UploadStorage(StorageConnections):
    """Attachment rows and files: the manifest, the offset compare-and-set, the final checksum."""

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
        self, referral_id: UUID, attachment_id: UUID, start: int, source: IO[bytes], length: int
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
