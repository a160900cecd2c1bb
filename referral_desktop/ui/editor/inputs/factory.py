"""Which widget answers which field type: the single place that maps ``FieldType`` to an input.

Short option lists are radio buttons or check boxes (every choice visible); long ones, and any shared
code list such as ethnicity, become a searchable combo or a filterable checklist.
"""

from __future__ import annotations

from referral_desktop.domain.field_types import DEFAULT_MAX_LENGTH, FieldType
from referral_desktop.domain.form_definition import Field, FormDefinition
from referral_desktop.ui.editor.editor_context import EditorContext
from referral_desktop.ui.editor.inputs.attachment_input import AttachmentInput
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.inputs.choice_inputs import (
    CheckboxesInput,
    FilterableChecklistInput,
    RadioInput,
)
from referral_desktop.ui.editor.inputs.date_inputs import DateInput
from referral_desktop.ui.editor.inputs.searchable_choice import SearchableChoiceInput
from referral_desktop.ui.editor.inputs.text_inputs import LineInput, LongTextInput

#: Above these counts a list is searched/filtered rather than shown as radios or check boxes.
RADIO_LIMIT = 8
CHECKBOX_LIMIT = 10

_LINE_TYPES = {
    FieldType.TEXT,
    FieldType.TELEPHONE,
    FieldType.EMAIL,
    FieldType.POSTCODE,
    FieldType.NHS_NUMBER,
    FieldType.UPN,
    FieldType.INTEGER,
}


def build_input(field: Field, form: FormDefinition, context: EditorContext) -> FieldInput:
    kind = field.type
    if kind in _LINE_TYPES:
        return LineInput(kind.value, field.max_length or DEFAULT_MAX_LENGTH.get(kind))
    if kind == FieldType.LONG_TEXT:
        return LongTextInput(field.max_length or DEFAULT_MAX_LENGTH.get(kind))
    if kind in (FieldType.DATE, FieldType.DATETIME):
        return DateInput(with_time=kind == FieldType.DATETIME)
    options = [(option.code, option.label) for option in form.options_for(field)]
    if kind in (FieldType.YES_NO, FieldType.YES_NO_UNKNOWN):
        return RadioInput(options, inline=True)
    if kind == FieldType.SINGLE_CHOICE:
        if field.code_list is not None or len(options) > RADIO_LIMIT:
            return SearchableChoiceInput(options)
        return RadioInput(options)
    if kind == FieldType.MULTIPLE_CHOICE:
        if len(options) > CHECKBOX_LIMIT:
            return FilterableChecklistInput(options)
        return CheckboxesInput(options)
    if kind == FieldType.ATTACHMENT:
        return AttachmentInput(context)
    raise ValueError(f"no input for field type {kind!r}")
