"""A referral as a printable document (HTML for QTextDocument), built from its form definition.

Why: the fallback when the API stays unreachable is a PDF the professional sends through secure email
or keeps; it must read like the form (sections, questions, answers in words, not codes). Runs on the
store thread: no widgets here, only QTextDocument and QPdfWriter, which Qt allows off the GUI thread.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from referral_desktop.ui.display_format import format_datetime
from referral_desktop.ui.referral_states import outcome_label, state_label

UNANSWERED = (None, "", [])


def _answer_text(form: Any, field: Any, value: Any) -> str:
    if value in UNANSWERED:
        return ""
    options = {o.code: o.label for o in form.options_for(field)} if hasattr(form, "options_for") else {}
    if isinstance(value, list):
        if str(getattr(field.type, "value", field.type)) == "attachment":
            return f"{len(value)} attached file(s)"
        return "; ".join(options.get(str(v), str(v)) for v in value)
    text = options.get(str(value), str(value))
    kind = str(getattr(field.type, "value", field.type))
    if kind == "date" and len(text) == 10 and text[4] == "-":
        text = f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    elif kind == "datetime" and len(text) >= 16 and text[4] == "-":
        text = f"{text[8:10]}/{text[5:7]}/{text[0:4]} {text[11:16]}"
    return text


def _rows(form: Any, fields: list[Any], answers: dict[str, Any]) -> str:
    out = []
    for field in fields:
        text = _answer_text(form, field, answers.get(field.id))
        if text:
            body = html.escape(text).replace("\n", "<br>")
            out.append(f"<tr><td width='40%'><b>{html.escape(field.label)}</b></td><td>{body}</td></tr>")
    return "".join(out)


def referral_html(referral: Any, form: Any | None) -> str:
    answers = dict(getattr(referral, "answers", None) or {})
    parts = [
        "<h1>Multi-Agency Referral Form</h1>",
        "<p><b>This copy is not encrypted.</b> Send it only by secure email (CJSM) or keep it securely. "
        "Never send it by ordinary email.</p>",
        f"<p>State: {html.escape(state_label(referral.state))}<br>"
        f"iART reference: {html.escape(referral.iart_reference or 'not given yet')}<br>"
        f"Started: {format_datetime(referral.created_at)}<br>"
        f"Form: {html.escape(str(referral.form_id))} version {html.escape(str(referral.form_version))}",
    ]
    if getattr(referral, "outcome", None):
        parts.append(f"<br>Outcome: {html.escape(outcome_label(referral.outcome))}")
    parts.append("</p>")
    if form is None:
        parts.append("<p>The form definition for this version is not available.</p>")
        return "".join(parts)
    for section in form.sections:
        body = []
        for item in section.items:
            if hasattr(item, "fields") and getattr(item, "kind", "") == "repeat":
                for number, entry in enumerate(answers.get(item.id) or [], start=1):
                    rows = _rows(form, item.fields, entry if isinstance(entry, dict) else {})
                    if rows:
                        body.append(f"<h3>{html.escape(item.item_label)} {number}</h3><table>{rows}</table>")
            else:
                rows = _rows(form, [item], answers)
                if rows:
                    body.append(f"<table>{rows}</table>")
        if body:
            parts.append(f"<h2>{html.escape(section.title)}</h2>{''.join(body)}")
    return "".join(parts)


def write_pdf(document_html: str, path: Path, title: str = "Referral") -> None:
    """Render to an A4 PDF readable by the user only."""
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Referral Desktop")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    document = QTextDocument()
    document.setDefaultStyleSheet("td { padding: 3px; vertical-align: top; } h2 { margin-top: 14px; }")
    document.setHtml(document_html)
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.print_(writer)
    del writer  # finishes the file
    if os.name == "posix":
        os.chmod(path, 0o600)
