"""Which stored documents a referral sends: those its answers to the form's attachment questions name.

Why a rule of its own: a document is stored for the referral (``attachments`` in the store), but it is
attached *under a question* — "Other documents", "Attach the completed assessment", or one inside a
repeated item — and the answer holds its id. When later answers hide that question, its answer is not sent
(``validation.visible_answers``); nor may the document be, or iART would receive a document the form no
longer asks for (and refuse the referral: its manifest would list a document no answer names). So what is
sent is worked out from the visible answers, by the client when it freezes a referral and by the sandbox
when it checks a manifest: one function, so that they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from referral_desktop.domain.field_types import FieldType
from referral_desktop.domain.form_definition import Field, FormDefinition, RepeatGroup
from referral_desktop.domain.validation import visible_answers


def _ids(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (ref.lower() for ref in value if isinstance(ref, str))


def _attachment_fields(fields: list[Field]) -> list[str]:
    return [field.id for field in fields if field.type == FieldType.ATTACHMENT]


def named_documents(form: FormDefinition, answers: Mapping[str, Any]) -> list[str]:
    """The document ids the ``answers`` name under the form's attachment questions, top level and in each
    repeated item, in the form's order, each once (lower case, as validation compares them). Pass answers
    already cut to the visible ones (:func:`sent_documents` does): this reads whatever it is given."""
    found: dict[str, None] = {}
    for section in form.sections:
        for item in section.items:
            if isinstance(item, RepeatGroup):
                keys = _attachment_fields(item.fields)
                entries = answers.get(item.id)
                for entry in entries if keys and isinstance(entries, list) else ():
                    if isinstance(entry, Mapping):
                        for key in keys:
                            found.update(dict.fromkeys(_ids(entry.get(key))))
            elif item.type == FieldType.ATTACHMENT:
                found.update(dict.fromkeys(_ids(answers.get(item.id))))
    return list(found)


def sent_documents(form: FormDefinition, answers: Mapping[str, Any]) -> list[str]:
    """The ids of the documents that go with the referral: those named by an answer the form still asks
    (a document named only under a hidden question, or by no answer at all, is not among them)."""
    return named_documents(form, visible_answers(form, answers))


def left_out_documents(form: FormDefinition, answers: Mapping[str, Any]) -> list[tuple[Field, int]]:
    """The attachment questions no longer asked whose answers still name documents that will not be sent,
    each with how many, in the form's order (one entry per question, its repeated items counted together;
    a document also named under a question still asked is sent, so not counted). For the check page, which
    must say what sending will leave out: the question itself is no longer listed there."""
    sent = set(sent_documents(form, answers))
    found: dict[str, tuple[Field, set[str]]] = {}

    def note(field: Field, value: Any) -> None:
        ids = set(_ids(value)) - sent
        if ids:
            found.setdefault(field.id, (field, set()))[1].update(ids)

    for section in form.sections:
        for item in section.items:
            if isinstance(item, RepeatGroup):
                entries = answers.get(item.id)
                items = [entry for entry in entries if isinstance(entry, Mapping)] if isinstance(entries, list) else []
                for field in item.fields:
                    for entry in items if field.type == FieldType.ATTACHMENT else ():
                        note(field, entry.get(field.id))
            elif item.type == FieldType.ATTACHMENT:
                note(item, answers.get(item.id))
    return [(field, len(ids)) for field, ids in found.values()]
