"""The longest realistic referral, for the PDF benchmark and the printed-page checks: the demo family's
answers to the current form, with every long answer the form shows filled to its maximum length (in
sentences and paragraphs, as people write), and its lists (children, carers, professionals) grown to
the number a large family might have. Every name and word is invented."""

from __future__ import annotations

import copy
from typing import Any

from referral_desktop.domain.field_types import FieldType
from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import DEMO_FORM_ID, current_demo_version, full_answers

SENTENCE = ("The family was seen at home on Tuesday afternoon and the worker spoke with the child alone "
            "about school, friends and what happens in the evenings when the adults argue. ")
#: Entries in each list: a large family (the form allows 12 children, 12 carers, 20 professionals).
LIST_LENGTHS = {"children": 6, "carers": 4, "professionals": 8}


def free_text(length: int) -> str:
    """``length`` characters of sentences, a new paragraph every four sentences."""
    sentences = []
    while sum(len(s) for s in sentences) < length:
        sentences.append(SENTENCE + ("\n\n" if len(sentences) % 4 == 3 else ""))
    return "".join(sentences)[:length].rstrip()


def _filled(fields: list[Any], answers: dict[str, Any]) -> dict[str, Any]:
    for field in fields:
        if field.type == FieldType.LONG_TEXT and answers.get(field.id):
            answers[field.id] = free_text(getattr(field, "max_length", None) or 2000)
    return answers


def longest_answers() -> tuple[str, dict[str, Any]]:
    """(form version, answers): the demo family's, every long answer given at the form's maximum length."""
    version = current_demo_version()
    form = load_form(DEMO_FORM_ID, version)
    answers = full_answers(version)
    for section in form.sections:
        for item in section.items:
            if getattr(item, "kind", "") == "repeat":
                entries = [e for e in answers.get(item.id) or [] if isinstance(e, dict)]
                if entries:
                    wanted = LIST_LENGTHS.get(item.id, len(entries))
                    grown = [copy.deepcopy(entries[i % len(entries)]) for i in range(wanted)]
                    answers[item.id] = [_filled(item.fields, entry) for entry in grown]
            else:
                _filled([item], answers)
    return version, answers


def longest_referral(version: str, answers: dict[str, Any]) -> Any:
    """A sent referral's record with these answers (as the store gives it), for HTML built without a store."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    when = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    return SimpleNamespace(answers=answers, iart_reference="IART-2026-000123", state="sent", created_at=when,
                           form_id=DEMO_FORM_ID, form_version=version, outcome=None, sent_at=when)


def longest_page() -> Any:
    """The longest referral's copy as the runner builds it (``export_pdf.referral_copy``'s page)."""
    from referral_desktop.ui.printed_page import PrintedPage
    from referral_desktop.ui.referral_document import reference_line, referral_html

    version, answers = longest_answers()
    referral = longest_referral(version, answers)
    return PrintedPage(referral_html(referral, load_form(DEMO_FORM_ID, version)), title="Multi-Agency Referral Form",
                       running_line=f"Multi-Agency Referral Form – {reference_line(referral.iart_reference)}")
