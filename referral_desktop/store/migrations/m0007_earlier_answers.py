"""Version 7: the answers a draft had before it was moved to a newer form version.

Why: moving a draft to a newer form version carries only the answers whose question still means the
same; the rest must not be lost. The earlier answers (with their form version) are kept beside the
referral's answers, inside the encrypted store, until the referral is sent.
"""

from typing import Any

VERSION = 7


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE referral_documents ADD COLUMN earlier_answers TEXT")
