"""Version 16: the receipt counts the draft replies the purge removed unsent.

Why: a reply the professional started on a referral's page autosaves as a draft (with any documents
attached to it) and is sent only when they press "Send reply". If iART decides first, the retention purge
removes the referral's details in the same round of the sender, and the draft with them: the rule stands
(a reply cannot go to iART after its decision), but before this version nothing recorded that a reply was
lost, so the page, the receipt, ``status`` and the notifications all said nothing. One count, no text or
file names: ``draft_replies_removed``, drafts that held anything (text that is not only whitespace, or a
document). NULL on receipts made before this version: their drafts went with the purge uncounted, so
whether there was one cannot be known, and NULL says so rather than 0.
"""

from typing import Any

VERSION = 16


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE receipts ADD COLUMN draft_replies_removed INTEGER")
