"""The editor's view of what is wrong: the last validation result plus iART's rejection reasons.

Validation (``domain.validation.validate``) runs only when asked (leaving a section, checking), so this
keeps its last answer between runs. Rejection reasons from the server are shown on their fields until
the user changes that answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from referral_desktop.domain.form_definition import FormDefinition
from referral_desktop.ui.editor.answer_paths import FieldPath

log = logging.getLogger(__name__)

Error = tuple[str, str]  # (path, message)


class ValidationView:
    def __init__(self, form: FormDefinition, today: Callable[[], date], test_deployment: bool = False) -> None:
        self.form = form
        self._today = today
        self._test_deployment = test_deployment
        self._errors: list[tuple[str, str, str]] = []  # path, message, section id
        self.rejections: list[tuple[str, str, str]] = []

    def _section_of(self, path: str) -> str:
        parsed = FieldPath.parse(path)
        section = self.form.section_for(parsed.group_id or parsed.field_id)
        return section.id if section is not None else ""

    def run(self, answers: dict) -> None:
        try:
            from referral_desktop.domain.validation import validate
        except ImportError:  # the validation module is being written by the domain helper
            self._errors = []
            return
        try:
            result = validate(self.form, answers, today=self._today(), test_deployment=self._test_deployment)
        except Exception as error:  # validate promises never to raise; keep the editor alive if it does
            log.error("validation raised %s", type(error).__name__)
            self._errors = []
            return
        self._errors = [
            (e.path, e.message, getattr(e, "section_id", None) or self._section_of(e.path)) for e in result.errors
        ]

    def set_rejections(self, reasons: list[Any]) -> None:
        out = []
        for reason in reasons:
            if isinstance(reason, dict):
                path, message = reason.get("path"), reason.get("message")
            elif isinstance(reason, (list, tuple)) and len(reason) >= 2:
                path, message = reason[0], reason[1]
            else:
                path, message = getattr(reason, "path", None), getattr(reason, "message", None)
            if path and message:
                out.append((str(path), str(message), self._section_of(str(path))))
        self.rejections = out

    def forget_rejection(self, path: str) -> None:
        if self.rejections:
            self.rejections = [r for r in self.rejections if r[0] != path]

    def rejections_for(self, section_id: str) -> list[Error]:
        return [(p, m) for p, m, s in self.rejections if s == section_id]

    def _merge(self, items: list[tuple[str, str, str]]) -> list[Error]:
        seen: set[str] = set()
        out: list[Error] = []
        for path, message, _section in items:
            if path not in seen:
                seen.add(path)
                out.append((path, message))
        return out

    def errors_for(self, section_id: str) -> list[Error]:
        return self._merge([r for r in self.rejections + self._errors if r[2] == section_id])

    def all_errors(self) -> list[Error]:
        """Every error in form order (rejections first for a path)."""
        order = {section.id: i for i, section in enumerate(self.form.sections)}
        items = sorted(self.rejections + self._errors, key=lambda r: order.get(r[2], 999))
        return self._merge(items)
