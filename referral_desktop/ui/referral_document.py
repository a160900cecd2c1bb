"""A referral as a printable document (HTML for QTextDocument), built from its form definition.

Why: the fallback when the API stays unreachable is a PDF the professional sends through secure email
or keeps on file; people print it and read it on paper. So it reads like the form (sections as headings,
questions in bold, answers in words, not codes) and is set for paper by ``printed_page``: 11 pt body,
A4 with 2 cm margins, and the iART reference (or "not yet sent") and "Page N of M" on every page, so a
loose page can always be put back with its referral. Names in right-to-left scripts get a right-to-left
paragraph, so a name with Arabic or Hebrew parts reads in the right order. Plain Python, no Qt: the HTML
is built on the store runner's thread with the store's reads, and laid out on the GUI thread
(``printed_page`` says why).
"""

from __future__ import annotations

import html
import unicodedata
from datetime import date
from typing import Any

from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.display_format import format_datetime
from referral_desktop.ui.editor.answer_text import answer_text
from referral_desktop.ui.editor.repeat_group import item_title
from referral_desktop.ui.referral_states import outcome_label, state_label

UNANSWERED: tuple[object, ...] = (None, "", [])
NOT_YET_SENT = "not yet sent"


#: Beside a confidential answer (an informant who must not be identified) on any copy of the referral.
CONFIDENTIAL_NOTE = "Confidential: never share this with the family"


def reference_line(reference: str | None) -> str:
    """What every printed page carries to identify its referral (never personal data)."""
    return f"iART reference: {reference or NOT_YET_SENT}"


def suggested_file_name(reference: str | None, today: date) -> str:
    """The PDF's suggested name: the iART reference and the date, never the child's name or an internal
    id that means nothing to the person filing it."""
    return f"referral-{reference or 'not-yet-sent'}-{today.isoformat()}.pdf"


def is_right_to_left(text: str) -> bool:
    """True when the first letter with a strong direction is right-to-left (Unicode bidi classes R/AL):
    the rule the Unicode bidi algorithm uses for a paragraph's base direction."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _answer_text(form: Any, field: Any, value: Any) -> str:
    """The answer in the words the check page and a sent referral's page use (one wording on paper as on
    screen: "30 May 2025 at 11:15am", never "30/05/2025 11:15"); empty when unanswered, so no row is printed."""
    if value in UNANSWERED:
        return ""
    return answer_text(field, value, form)


def _answer_cell(text: str) -> str:
    body = html.escape(text).replace("\n", "<br>")
    if is_right_to_left(text):
        return f"<td dir='rtl' align='right'>{body}</td>"
    return f"<td>{body}</td>"


def _rows(form: Any, fields: list[Any], answers: dict[str, Any]) -> str:
    """A one-row table for each answered question: the printed page keeps each row whole on one page
    (``printed_page.keep_together``), and Qt can move a table to a new page but not a row of one."""
    out = []
    for field in fields:
        text = _answer_text(form, field, answers.get(field.id))
        if text:
            label = html.escape(field.label)
            if getattr(field, "confidential", False):  # golden rule 5: who must not be identified
                label += f"<br><i>{CONFIDENTIAL_NOTE}</i>"
            out.append(f"<table width='100%'><tr><td width='40%'><b>{label}</b></td>{_answer_cell(text)}</tr></table>")
    return "".join(out)


def referral_html(referral: Any, form: Any | None) -> str:
    answers = dict(getattr(referral, "answers", None) or {})
    parts = [
        "<h1>Multi-Agency Referral Form</h1>",
        "<p><b>This copy is not encrypted.</b> Send it only by secure email (CJSM) or keep it securely. "
        "Never send it by ordinary email.</p>",
        f"<p>{html.escape(reference_line(referral.iart_reference))}<br>"
        f"State: {html.escape(state_label(referral.state))}<br>"
        f"Started: {format_datetime(referral.created_at)}<br>"
        f"Form: {html.escape(str(referral.form_id))} version {html.escape(str(referral.form_version))}",
    ]
    if getattr(referral, "outcome", None):
        parts.append(f"<br>Outcome: {html.escape(outcome_label(referral.outcome))}")
    parts.append("</p>")
    if form is None:
        parts.append("<p>The form definition for this version is not available.</p>")
        return "".join(parts)
    # The questions the form asks of this referral, as the editor shows them and as they are sent: an
    # answer to a question later answers hid (who must not be identified, before that was changed to No)
    # is kept in the draft but is printed no more than it is sent.
    answers = visible_answers(form, answers)
    for section in form.sections:
        body = []
        for item in section.items:
            if hasattr(item, "fields") and getattr(item, "kind", "") == "repeat":
                for index, entry in enumerate(answers.get(item.id) or []):
                    rows = _rows(form, item.fields, entry if isinstance(entry, dict) else {})
                    if rows:  # "Child 2", as the editor, the check page and "What you sent" title it
                        body.append(f"<h3>{html.escape(item_title(item, index))}</h3>{rows}")
            else:
                rows = _rows(form, [item], answers)
                if rows:
                    body.append(rows)
        if body:
            parts.append(f"<h2>{html.escape(section.title)}</h2>{''.join(body)}")
    return "".join(parts)
