"""iART's reasons for returning a referral, in words a person reads, where iART's own words are not about
an answer the person can fix.

Why: the sender records iART's reasons as iART gives them (a path and a message), and the screens list each
one beside a "Fix" that opens its question. That is right for "Enter an NHS number with 10 digits"; not for
"The manifest lists an attachment the answers do not" (at the path ``attachments``), iART's refusal of a
referral frozen before version 18 whose manifest still listed a document attached under a question the
answers no longer ask (``sync/frozen_before_left_out.py`` now leaves such documents out before sending).
Nothing in the answers is wrong: sent again, the referral is frozen afresh without that document. So the
referral's page says that, with "Send it again" instead of "Fix", and the editor is not given it (it would
stand as an error on "Other documents" and hold Send back until that answer changed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: What the referral's page says instead of iART's refusal of the manifest.
MANIFEST_WORDS = ("iART did not accept this referral because it was sent with a document attached to a question "
                  "your answers no longer ask. None of your answers needs changing: send it again, and it will "
                  "go without that document (the check page names the question).")


def path_and_message(reason: Any) -> tuple[str, str]:
    """A stored reason (a pair, or an object with ``path`` and ``message``) as (path, message)."""
    if isinstance(reason, (tuple, list)) and len(reason) >= 2:
        return str(reason[0] or ""), str(reason[1] or "")
    return str(getattr(reason, "path", "") or ""), str(getattr(reason, "message", reason) or "")


def is_about_the_manifest(path: str, message: str) -> bool:
    """iART refused the list of documents sent beside the answers, not an answer: the path ``attachments``
    is also the "Other documents" question's, so iART's message tells them apart."""
    return path == "attachments" and "manifest" in message.lower()


def reasons_about_answers(reasons: Iterable[Any]) -> list[Any]:
    """The reasons the editor shows beside their questions: all but iART's refusal of the manifest."""
    return [reason for reason in reasons if not is_about_the_manifest(*path_and_message(reason))]
