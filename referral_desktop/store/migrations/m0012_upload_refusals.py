"""Version 12: iART's final refusals of an upload are counted, and the chunk size it takes is kept.

Why: an upload that iART refuses with its own word (a 409/413/422 problem document other than a
checksum or offset mismatch, or "not found" for a referral it no longer holds) was retried on its capped
backoff for ever, and held the referral's purge meanwhile. The uploads job now counts such refusals
(``refusals``) and gives the upload up after a few, as it does with checksum mismatches (``mismatches``,
kept apart: they mean something else and the screens say something else). ``chunk_bytes`` is the chunk
size an upload goes on with after iART answered 413 to a larger one (NULL: the job's default), so a
restart does not learn it again.
"""

from typing import Any

VERSION = 12


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE attachment_uploads ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE attachment_uploads ADD COLUMN chunk_bytes INTEGER")
