"""Version 13: the receipt counts the referral's documents that never reached iART, and why in kind.

Why: a document given up on (upload ``failed``) does not hold the retention purge, and the purge deletes
its upload row with the rest of the referral's details. Without a count on the receipt nothing would
record afterwards that iART never got the document, and the referral's page would stop telling the
professional to phone iART about it. Two counts, no names or sizes: ``documents_damaged_here`` (the copy
on this computer no longer matched the file attached) and ``documents_refused_by_iart`` (iART refused the
bytes as not matching their checksum, or refused the upload with its own final word). They cover the
referral's own documents and its replies'. NULL on receipts made before this version: their upload rows
went with the purge, so whether a document was missing cannot be known, and NULL says so rather than 0.
"""

from typing import Any

VERSION = 13


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE receipts ADD COLUMN documents_damaged_here INTEGER")
    conn.execute("ALTER TABLE receipts ADD COLUMN documents_refused_by_iart INTEGER")
