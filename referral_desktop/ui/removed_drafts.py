"""What a purged referral's page and saved receipt say about a reply the professional started and never
sent, removed with the referral's details by the retention purge.

Why: the reply box autosaves a draft (with any documents attached to it) that goes to iART only when
"Send reply" is pressed. If iART decides first, the purge removes it in the same round of the sender
that records the decision — the rule stands: a reply cannot go to iART after its decision — and before
the receipt counted it (``draft_replies_removed``, migration 16) nothing told the professional, who might
come back to finish it and find it gone. The page says it happened, that it did not reach iART, and what
to do if it still matters; nothing of the reply can be shown (its text and documents are gone, and the
receipt holds a count only). A receipt made before the count (None) says nothing here: whether there
was a draft cannot be known, and the page's retention text already says any unsent reply was removed.
"""

from __future__ import annotations

import html
from typing import Any

from referral_desktop.ui.contacts_place import CONTACTS_MENU_PATH


def _removed(receipt: Any) -> int:
    """How many draft replies holding anything the purge removed; 0 when none or not counted."""
    return getattr(receipt, "draft_replies_removed", None) or 0


def _when(receipt: Any) -> str:
    """When it went, as the receipt knows it: the decision, or the end of the retention period (the purge
    also takes a referral iART never decided once that has passed)."""
    return "when iART decided" if getattr(receipt, "decided_at", None) else "when the retention period ended"


def removed_draft_line(receipt: Any, reference: str) -> str:
    """Rich text for a purged referral whose receipt counts a draft reply removed unsent; empty when none."""
    removed = _removed(receipt)
    if not removed:
        return ""
    if removed == 1:
        what, it, they, was = "A reply you had started and not sent", "it", "it", "was"
    else:
        what, it, they, was = f"{removed} replies you had started and not sent", "them", "they", "were"
    return (f"<b>⚠ {what} {was} removed with the referral's details {_when(receipt)}.</b> "
            f"{they.capitalize()} did not reach iART, and nor did any document you attached to {it}. If what "
            f"{they} said still matters, phone iART ({CONTACTS_MENU_PATH}) and give them the iART reference "
            f"{html.escape(reference)}. This computer no longer holds {it}.")


def removed_draft_count(receipt: Any) -> str:
    """The same for the saved receipt's table: "1 (removed … when iART decided; never sent)"; empty when
    none."""
    removed = _removed(receipt)
    if not removed:
        return ""
    return f"{removed} (removed with the referral's details {_when(receipt)}; never sent to iART)"
