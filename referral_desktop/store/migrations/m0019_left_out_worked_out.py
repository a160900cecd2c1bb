"""Version 19: whether the documents a frozen referral goes without have been worked out (``left_out_worked_out``).

Why: version 18 marks the documents no visible answer names (``attachments.left_out``) when a referral is
frozen. A referral frozen before then, and still waiting to send, kept every document in its manifest; if
one of them is named only under a question its answers no longer ask, iART refuses the whole referral
("The manifest lists an attachment the answers do not"). Existing rows get 0: before the next attempt the
sender works out, once, which of their documents the answers name (``sync/frozen_before_left_out.py``)
and sets 1. Freezing sets 1, since it marks them itself. A draft's 0 means nothing: freezing sets it.
"""

from typing import Any

VERSION = 19


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE referral_documents ADD COLUMN left_out_worked_out INTEGER NOT NULL DEFAULT 0")
