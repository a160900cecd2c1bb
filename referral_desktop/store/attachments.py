"""Attachments, kept inside the encrypted store in 256 KiB chunks.

The type is decided by the file's content (the ``filetype`` library reads its magic numbers), never by
its name, and must be on the allow-list; the size limit is checked before anything is written. A file
whose type cannot be recognised from its content (plain text, for example) is refused.
"""

from __future__ import annotations

import builtins
import hashlib
import uuid
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import filetype

from referral_desktop.domain.lifecycle import EDITABLE_STATES, ReferralState
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.errors import AttachmentNotFound, AttachmentRefused, NotEditable, ReferralNotFound
from referral_desktop.store.records import AttachmentInfo
from referral_desktop.store.replies import ReplyNotFound
from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

CHUNK_SIZE = 256 * 1024
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: MIME types accepted unless the policy gives its own list (entries may also be extensions: "pdf").
DEFAULT_ALLOWED_TYPES: tuple[str, ...] = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document (DOCX)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (ODT)",
}
#: Types the content check can never recognise (no magic number), so never accepted whatever a policy
#: lists; the refusal does not offer them, or it would name a type that is then refused too.
_UNRECOGNISABLE = frozenset({"text/plain", "txt"})


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{max(1, n // 1024)} KB"


def _type_list(allowed: Iterable[str]) -> str:
    names = [_TYPE_NAMES.get(t, t.split("/")[-1].upper()) for t in allowed if t not in _UNRECOGNISABLE]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def rules_sentence(allowed_types: Iterable[str], max_bytes: int) -> str:
    """What may be attached, for a hint: "PDF, JPG, PNG or Word document (DOCX), up to 20 MB each"."""
    return f"{_type_list([t.lower() for t in allowed_types])}, up to {_human_size(max_bytes)} each"


def check_size(size: int, max_bytes: int) -> None:
    """:class:`AttachmentRefused` for a file over the limit (checkable from its size alone, before it is read)."""
    if size > max_bytes:
        raise AttachmentRefused(f"The selected file must be smaller than {_human_size(max_bytes)}")


def check_attachment(data: bytes, allowed_types: Iterable[str], max_bytes: int) -> str:
    """The content's MIME type if acceptable; otherwise :class:`AttachmentRefused` with a GOV.UK sentence."""
    allowed = [t.lower() for t in allowed_types]
    if not data:
        raise AttachmentRefused("The selected file is empty")
    check_size(len(data), max_bytes)
    kind = filetype.guess(data)
    if kind is None or (kind.mime.lower() not in allowed and kind.extension.lower() not in allowed):
        raise AttachmentRefused(f"The selected file must be a {_type_list(allowed)}")
    return str(kind.mime)


def _info(row: tuple[Any, ...]) -> AttachmentInfo:
    return AttachmentInfo(
        id=row[0], referral_id=row[1], filename=row[2], content_type=row[3], size=row[4], sha256=row[5],
        created_at=from_text(row[6]), reply_id=row[7],
    )


_INFO_COLUMNS = "id, referral_id, filename, content_type, size, sha256, created_at, reply_id"


class Attachments:
    """A referral's documents, and (``reply_id`` set) the documents of its replies to iART.

    Both follow the same rules (type by content, size limit, immutable once added, removable only while
    what they belong to is still a draft) and are uploaded the same way; ``list`` is the referral's own
    (what its submission's manifest lists), ``for_reply`` a reply's.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, referral_id: str, filename: str, data: bytes, *,
            allowed_types: Iterable[str] | None = None, max_bytes: int | None = None) -> AttachmentInfo:
        """Attach a document to a draft referral (checked first; one transaction with its audit entry)."""
        referral_id = str(referral_id)

        def editable(conn: Any) -> str:
            row = conn.execute("SELECT state FROM referrals WHERE id = ?", (referral_id,)).fetchone()
            if row is None:
                raise ReferralNotFound(referral_id)
            if ReferralState(row[0]) not in EDITABLE_STATES:
                raise NotEditable(referral_id, row[0])
            return referral_id

        return self._insert(editable, None, filename, data, allowed_types, max_bytes)

    def add_to_reply(self, reply_id: str, filename: str, data: bytes, *,
                     allowed_types: Iterable[str] | None = None, max_bytes: int | None = None) -> AttachmentInfo:
        """Attach a document to a draft reply, under the same rules as a referral's documents."""
        reply_id = str(reply_id)

        def draft_reply(conn: Any) -> str:
            row = conn.execute("SELECT referral_id, state FROM replies WHERE id = ?", (reply_id,)).fetchone()
            if row is None:
                raise ReplyNotFound(reply_id)
            if row[1] != "draft":
                raise NotEditable(reply_id, row[1])
            return str(row[0])

        return self._insert(draft_reply, reply_id, filename, data, allowed_types, max_bytes)

    def _insert(self, owner: Any, reply_id: str | None, filename: str, data: bytes,
                allowed_types: Iterable[str] | None, max_bytes: int | None) -> AttachmentInfo:
        """Check the content, then write the row and its chunks in one transaction; ``owner(conn)``
        refuses what may no longer change and returns the referral's id."""
        data = bytes(data)
        content_type = check_attachment(
            data,
            DEFAULT_ALLOWED_TYPES if allowed_types is None else allowed_types,
            DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
        )
        attachment_id = str(uuid.uuid4())
        digest = hashlib.sha256(data).hexdigest()
        now = to_text(self._store.clock())
        with self._store.write() as conn:
            referral_id = owner(conn)
            conn.execute(
                f"INSERT INTO attachments ({_INFO_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (attachment_id, referral_id, str(filename), content_type, len(data), digest, now, reply_id),
            )
            conn.executemany(
                "INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)",
                (
                    (attachment_id, seq, data[offset:offset + CHUNK_SIZE])
                    for seq, offset in enumerate(range(0, len(data), CHUNK_SIZE))
                ),
            )
            self._store.audit.insert(conn, AuditEvent.ATTACHMENT_ADDED, referral_id)
        return self.info(attachment_id)

    def info(self, attachment_id: str) -> AttachmentInfo:
        with self._store.read() as conn:
            row = conn.execute(f"SELECT {_INFO_COLUMNS} FROM attachments WHERE id = ?", (str(attachment_id),)).fetchone()
        if row is None:
            raise AttachmentNotFound(str(attachment_id))
        return _info(row)

    def list(self, referral_id: str) -> list[AttachmentInfo]:
        """The referral's own documents (not its replies'), oldest first."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_INFO_COLUMNS} FROM attachments WHERE referral_id = ? AND reply_id IS NULL "
                "ORDER BY created_at, id",
                (str(referral_id),),
            ).fetchall()
        return [_info(row) for row in rows]

    def to_send(self, referral_id: str) -> builtins.list[AttachmentInfo]:
        """The documents the frozen referral sends, in :meth:`list`'s order: its own, less those its
        freezing left out (named only by an answer to a question later answers hid, or by none; see
        :meth:`mark_left_out`). What its manifest lists, its upload rows count and its screens show."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_INFO_COLUMNS} FROM attachments WHERE referral_id = ? AND reply_id IS NULL "
                "AND left_out = 0 ORDER BY created_at, id",
                (str(referral_id),),
            ).fetchall()
        return [_info(row) for row in rows]

    def mark_left_out(self, conn: Any, referral_id: str, sent: Iterable[str] | None) -> int:
        """Within the freezing transaction (``conn``): of the referral's own documents, those not in
        ``sent`` (ids, any case; None: all are sent) are left out of what is sent, the others put back.
        They stay in the draft, for if their question comes back (a referral iART turns back is corrected
        as a draft and frozen again, which marks them afresh). Returns how many are left out."""
        keep = None if sent is None else {str(ref).lower() for ref in sent}
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM attachments WHERE referral_id = ? AND reply_id IS NULL", (str(referral_id),))]
        marks = [(0 if keep is None or aid.lower() in keep else 1, aid) for aid in ids]
        conn.executemany("UPDATE attachments SET left_out = ? WHERE id = ?", marks)
        return sum(mark for mark, _ in marks)

    def leave_out_others(self, conn: Any, referral_id: str, sent: Iterable[str]) -> int:
        """Within ``conn``'s transaction: of the referral's own documents still going, leave out those not in
        ``sent`` (ids, any case), never putting one back (unlike :meth:`mark_left_out`, for a referral
        already frozen: ``Referrals.leave_out_unnamed``). Returns how many it left out."""
        keep = {str(ref).lower() for ref in sent}
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM attachments WHERE referral_id = ? AND reply_id IS NULL AND left_out = 0", (str(referral_id),))]
        others = [(aid,) for aid in ids if aid.lower() not in keep]
        conn.executemany("UPDATE attachments SET left_out = 1 WHERE id = ?", others)
        return len(others)

    def drop_left_out(self, conn: Any, referral_id: str) -> int:
        """Within the commit that records iART's acknowledgement (``conn``): delete the documents the
        referral was sent without, bytes and all. From then on it can never be edited or sent again, so
        nothing would ever send or show them: keeping them would only keep personal data for nothing.
        (The draft's answers keep their ids until the purge, like any answer to a hidden question.)"""
        cursor = conn.execute(
            "DELETE FROM attachments WHERE referral_id = ? AND reply_id IS NULL AND left_out = 1", (str(referral_id),))
        removed = max(int(cursor.rowcount), 0)
        for _ in range(removed):
            self._store.audit.insert(conn, AuditEvent.ATTACHMENT_REMOVED, str(referral_id))
        return removed

    def for_reply(self, reply_id: str) -> builtins.list[AttachmentInfo]:  # builtins: a method is named list
        """A reply's documents, oldest first: the order of its manifest, which must be the same on every
        attempt (the server compares bodies), hence by time and then id, never by a row number."""
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT {_INFO_COLUMNS} FROM attachments WHERE reply_id = ? ORDER BY created_at, id",
                (str(reply_id),),
            ).fetchall()
        return [_info(row) for row in rows]

    def remove(self, attachment_id: str) -> None:
        """Remove a document while what it belongs to (the referral, or the reply) is still a draft."""
        attachment_id = str(attachment_id)
        with self._store.write() as conn:
            row = conn.execute(
                "SELECT a.referral_id, r.state, a.reply_id, p.state FROM attachments a "
                "JOIN referrals r ON r.id = a.referral_id LEFT JOIN replies p ON p.id = a.reply_id WHERE a.id = ?",
                (attachment_id,),
            ).fetchone()
            if row is None:
                raise AttachmentNotFound(attachment_id)
            if row[2] is not None and row[3] != "draft":
                raise NotEditable(row[2], row[3])
            if row[2] is None and ReferralState(row[1]) not in EDITABLE_STATES:
                raise NotEditable(row[0], row[1])
            conn.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
            self._store.audit.insert(conn, AuditEvent.ATTACHMENT_REMOVED, row[0])

    def read(self, attachment_id: str) -> bytes:
        return b"".join(self.iter_chunks(attachment_id))

    def iter_chunks(self, attachment_id: str, size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The content in pieces of ``size`` bytes (the last may be shorter), one stored chunk at a time.

        Each stored chunk is fetched under the store lock separately, so a long upload does not hold
        the store; the content cannot change underneath (attachments are immutable once added).
        """
        if size <= 0:
            raise ValueError("size must be positive")
        self.info(attachment_id)  # raises AttachmentNotFound
        buffer = bytearray()
        seq = 0
        while True:
            with self._store.read() as conn:
                row = conn.execute(
                    "SELECT data FROM attachment_chunks WHERE attachment_id = ? AND seq = ?",
                    (str(attachment_id), seq),
                ).fetchone()
            if row is None:
                break
            buffer += row[0]
            seq += 1
            while len(buffer) >= size:
                yield bytes(buffer[:size])
                del buffer[:size]
        if buffer:
            yield bytes(buffer)
