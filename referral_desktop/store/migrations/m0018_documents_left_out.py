"""Version 18: a referral's document that its frozen referral leaves out is marked so (``left_out``).

Why: a document is attached under a question, and the answer holds its id. When later answers hide that
question, its answer is not sent (``validation.visible_answers``), and neither may the document be:
``domain.attachment_references.sent_documents`` says which are sent, and freezing marks the others
``left_out = 1`` in the same transaction as the frozen bytes. The manifest, the upload rows and the counts
("1 of 2 documents sent") read only the documents not left out. The draft keeps the others (a referral
iART turns back is corrected as a draft, and the question may come back); they are deleted when iART
acknowledges the referral, since it can never be edited again (``store/attachments.py``).

Existing rows keep 0: a referral frozen before this version is sent with the documents it was frozen
with, as it would have been.
"""

from typing import Any

VERSION = 18


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE attachments ADD COLUMN left_out INTEGER NOT NULL DEFAULT 0")
