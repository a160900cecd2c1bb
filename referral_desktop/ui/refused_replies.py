"""What a purged referral's page and saved receipt say about replies iART refused.

Why: before the retention purge the conversation marks such a reply "Not accepted by iART"; the purge
deletes the reply with that mark, so the professional might never learn iART did not get it. The receipt
keeps a count (``replies_refused_by_iart``, migration 14) and the page says it beside the documents that
never reached iART, in the same pattern: how many, why, and to phone iART with the reference. The text
of the replies is gone from this computer, so nothing of it can be shown, and the page says so.
"""

from __future__ import annotations

import html
from typing import Any


def _refused(receipt: Any) -> int:
    """How many of the referral's replies iART refused; 0 when none, or when the receipt predates the
    count (nothing can be said then)."""
    return getattr(receipt, "replies_refused_by_iart", None) or 0


def refused_replies_line(receipt: Any, reference: str) -> str:
    """Rich text for a purged referral whose receipt counts replies iART refused; empty when none."""
    refused = _refused(receipt)
    if not refused:
        return ""
    count, it, they = ("1 reply", "it", "it") if refused == 1 else (f"{refused} replies", "them", "they")
    return (f"<b>⚠ {count} you sent never reached iART:</b> iART did not accept {it}. Phone iART (see Who "
            f"to call), give them the iART reference {html.escape(reference)}, and tell them what {they} said. "
            f"This computer no longer holds {it}.")


def refused_replies_count(receipt: Any) -> str:
    """The same for the saved receipt's table: "1"; empty when none."""
    refused = _refused(receipt)
    return str(refused) if refused else ""
