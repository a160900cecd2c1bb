"""Version 15: the receipt counts the documents of the replies iART refused.

Why: a reply's documents are uploaded only once iART has taken the reply (their upload rows are made with
"sent"), so the documents of a reply iART refused were never sent and have no upload row. The counts of
version 13 come from upload rows, so they never saw them, and the receipt of a referral whose refused
reply carried documents said that none was missing. One count, no names or sizes:
``documents_of_refused_replies``, apart from the two kinds of version 13 because the why differs (never
sent, because the reply was refused; not damaged here nor refused by iART one by one). NULL on receipts
made before this version: their replies' documents went with the purge, so how many there were cannot be
known, and NULL says so rather than 0.
"""

from typing import Any

VERSION = 15


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE receipts ADD COLUMN documents_of_refused_replies INTEGER")
