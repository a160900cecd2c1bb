"""What a purged referral's page and saved receipt say about replies iART refused.

Why: before the retention purge the conversation marks such a reply "Not accepted by iART"; the purge
deletes the reply with that mark, so the professional might never learn iART did not get it. The receipt
keeps a count (``replies_refused_by_iart``, migration 14) and the page says it beside the documents that
never reached iART (which count the refused replies' documents, migration 15), in the same pattern: how
many, why, and to phone iART with the reference. The text of the replies is gone from this computer, so
nothing of it can be shown, and the page says so.
"""

from __future__ import annotations

import html
from typing import Any

from referral_desktop.ui.contacts_place import CONTACTS_MENU_PATH


def _refused(receipt: Any) -> int:
    """How many of the referral's replies iART refused; 0 when none, or when the receipt predates the
    count (nothing can be said then)."""
    return getattr(receipt, "replies_refused_by_iart", None) or 0


def _documents_not_counted(receipt: Any) -> bool:
    """True on a receipt made before the documents of refused replies were counted (migration 15): such
    documents were never sent either (a reply's documents go only once iART takes it), but how many there
    were is gone, so the reply's line says it of "any" rather than the documents' line leaving them out."""
    return getattr(receipt, "documents_of_refused_replies", None) is None


def refused_replies_line(receipt: Any, reference: str) -> str:
    """Rich text for a purged referral whose receipt counts replies iART refused; empty when none. Their
    documents, when counted, are told with the other documents that never reached iART."""
    refused = _refused(receipt)
    if not refused:
        return ""
    count, it, they = ("1 reply", "it", "it") if refused == 1 else (f"{refused} replies", "them", "they")
    line = (f"<b>⚠ {count} you sent never reached iART:</b> iART did not accept {it}. Phone iART "
            f"({CONTACTS_MENU_PATH}), give them the iART reference {html.escape(reference)}, and tell them what "
            f"{they} said. This computer no longer holds {it}.")
    if _documents_not_counted(receipt):
        line += f" Any documents you attached to {it} were not sent either."
    return line


def refused_replies_count(receipt: Any) -> str:
    """The same for the saved receipt's table: "1"; empty when none."""
    refused = _refused(receipt)
    if not refused:
        return ""
    if _documents_not_counted(receipt):
        return f"{refused} (any documents attached to {'it' if refused == 1 else 'them'} were not sent either)"
    return str(refused)
