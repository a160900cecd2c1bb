"""Version 9: documents attached to a reply to iART, kept like a referral's.

Why the same table: a reply's document is checked by the same rules, kept encrypted in the same 256 KiB
chunks and uploaded by the same resumable upload job (with its own row in ``attachment_uploads``) as a
referral's; only whose it is differs. ``reply_id`` is NULL for a referral's own documents (every row
before this version) and names the reply otherwise; the row keeps its referral's id, so the retention
purge removes a reply's documents with the referral, and deleting a draft reply deletes its documents.
"""

from typing import Any

VERSION = 9


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE attachments ADD COLUMN reply_id TEXT REFERENCES replies (id) ON DELETE CASCADE")
    conn.execute("CREATE INDEX attachments_by_reply ON attachments (reply_id) WHERE reply_id IS NOT NULL")
