"""Save a decided referral's receipt as PDF: the reference, dates and outcome, and nothing personal.

Why a receipt and not the referral: once iART has decided, the copy of the answers is no longer needed as
a fallback (the referral reached iART), and after the retention purge the answers are gone from this
computer anyway. What the professional may still need for their own records is proof that they referred
and what became of it: the iART reference, when it was started, sent, received and decided, the outcome
and how many messages were exchanged (and how many documents never reached iART, if any did not, and
whether a reply started and not sent was removed with the details: counts, no names or words). That
holds no answer from the form (not even the child's initials), so it is saved without the "not
encrypted" warning that the full copy needs.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from referral_desktop.ui.display_format import format_datetime, uk_local
from referral_desktop.ui.documents_status import never_reached_count
from referral_desktop.ui.export_pdf import write_where_chosen
from referral_desktop.ui.pdf_save_dialog import ask_pdf_path
from referral_desktop.ui.printed_page import PrintedPage
from referral_desktop.ui.referral_document import reference_line
from referral_desktop.ui.referral_states import outcome_label
from referral_desktop.ui.refused_replies import refused_replies_count
from referral_desktop.ui.removed_drafts import removed_draft_count

#: States whose export is the receipt only.
RECEIPT_STATES = frozenset({"decided", "purged"})


def receipt_rows(referral: Any, messages_exchanged: int | None, never_reached: str = "",
                 refused_replies: str = "", removed_drafts: str = "") -> list[tuple[str, str]]:
    """(label, value) lines of the receipt, from the referral's record (no answers are read); a moment or
    outcome the referral never had is left out, and so are documents that never reached iART when none
    did (``never_reached``: how many and why, from the purge's count) and replies iART refused when it
    refused none (``refused_replies``: how many), and replies started and not sent, removed by the purge,
    when there were none (``removed_drafts``: how many and when)."""

    def moment(name: str) -> str:
        value = getattr(referral, name, None)
        return format_datetime(value) if value else ""

    outcome = getattr(referral, "outcome", None)
    rows = [
        ("iART reference", referral.iart_reference or "not given"),
        ("Form", f"{referral.form_id} version {referral.form_version}"),
        ("Started", moment("created_at")),
        ("Sent", moment("sent_at")),
        ("Received by iART", moment("received_at")),
        ("Decision expected by", moment("decision_due")),
        ("Decided", moment("decided_at")),
        ("Outcome", outcome_label(outcome) if outcome else ""),
    ]
    if messages_exchanged is not None:
        rows.append(("Messages exchanged with iART", str(messages_exchanged)))
    rows.append(("Documents that never reached iART", never_reached))
    rows.append(("Replies iART did not accept", refused_replies))
    rows.append(("Replies started and not sent", removed_drafts))
    return [(label, value) for label, value in rows if value]


def receipt_html(rows: list[tuple[str, str]]) -> str:
    table = "".join(f"<tr><td width='40%'><b>{html.escape(label)}</b></td><td>{html.escape(value)}</td></tr>"
                    for label, value in rows)
    return ("<h1>Referral receipt</h1>"
            "<p>A record that this referral was made to Cheshire West and Chester's Integrated Access and "
            "Referral Team (iART) and what became of it. It holds no details of the child or family.</p>"
            f"<table width='100%'>{table}</table>")


def suggested_receipt_name(reference: str | None, today: Any) -> str:
    return f"receipt-{reference or 'not-sent'}-{today.isoformat()}.pdf"


def receipt_page(store: Any, referral_id: str) -> PrintedPage:
    """Store-thread work: read the record (not the answers) and build the receipt's HTML; it is laid out
    on the GUI thread and written on the store thread by ``export_pdf.write_where_chosen``."""
    referral = store.referrals.get(referral_id)
    receipt = store.receipts.get(referral_id)
    counted = getattr(receipt, "messages_exchanged", None) if receipt is not None else None
    rows = receipt_rows(referral, counted, never_reached_count(receipt), refused_replies_count(receipt),
                        removed_draft_count(receipt))
    return PrintedPage(receipt_html(rows), title="Referral receipt",
                       running_line=f"Referral receipt \u2013 {reference_line(referral.iart_reference)}")


def receipt_name(store: Any, referral_id: str) -> str:
    referral = store.referrals.get(referral_id)
    return suggested_receipt_name(referral.iart_reference, uk_local(datetime.now(UTC)).date())


class ReceiptFlow:
    """Ask where (no warning: nothing personal), then read, lay out and write (``write_where_chosen``)."""

    def __init__(self, runner: Any, parent: QWidget | None, done: Callable[[Path], None],
                 failed: Callable[[str], None], choose_path: Callable[[str], str] | None = None) -> None:
        self.runner = runner
        self.parent = parent
        self.done = done
        self.failed = failed
        self.choose_path = choose_path or self._ask_path

    def start(self, referral_id: str) -> None:
        self.runner.run_with_store(receipt_name, referral_id).success(
            lambda name: self._save_as(name, referral_id)
        ).failure(lambda e: self.failed("The referral could not be read. Try again."))

    def _save_as(self, suggested: str, referral_id: str) -> None:
        write_where_chosen(self.runner, self.choose_path, suggested, receipt_page, referral_id, self.done,
                           lambda: self.failed("The receipt could not be written. Choose another folder and try again."),
                           owner=self.parent)

    def _ask_path(self, suggested: str) -> str:
        return ask_pdf_path(self.parent, "Save the receipt", str(Path.home() / suggested))
