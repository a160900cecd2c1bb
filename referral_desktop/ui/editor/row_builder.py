"""Builds a question row wired to the answers model (the one place an input meets the model)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from referral_desktop.domain.form_definition import Field, FormDefinition
from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.editor.answer_defaults import FillWhenShown
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.answers_model import AnswersModel
from referral_desktop.ui.editor.editor_context import EditorContext
from referral_desktop.ui.editor.field_row import FieldRow
from referral_desktop.ui.editor.inputs.factory import build_input


class RowBuilder:
    def __init__(self, form: FormDefinition, model: AnswersModel, context: EditorContext) -> None:
        self.form = form
        self.model = model
        self.context = context

    def shown_answers(self) -> dict[str, Any]:
        """The answers conditions are read against: a hidden question's answer counts as not given (it is
        kept in the model for when the question is asked again)."""
        return visible_answers(self.form, self.model.answers)

    def build(self, field: Field, path: FieldPath, parent: QWidget) -> FieldRow:
        field_input = build_input(field, self.form, self.context)
        field_input.set_value(self.model.get(path))
        if self.context.read_only:
            field_input.set_read_only(True)
        field_input.value_changed.connect(lambda value, p=path: self.model.set(p, value))
        row = FieldRow(field, path, field_input, parent)
        if field.id in self.context.answer_defaults and not self.context.read_only:
            FillWhenShown(row, field_input, self.model, path, self.context.answer_defaults[field.id])
        return row
