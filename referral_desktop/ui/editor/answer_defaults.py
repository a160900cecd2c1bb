"""Answers the app can fill in for the professional, once, when their question is first shown.

Why: the version of the privacy notice the family was given is the notice in force (the bundled one, or
the one the deployment policy names); typing it by hand invited typos and stale versions. It is filled
in only when the question appears (so nothing is recorded for a notice that was not shared), only if the
answer is empty, and only once per question: after that the professional's own edit, even clearing it,
is left alone. The answer stays an ordinary text answer they can change.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject

from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.answers_model import AnswersModel

log = logging.getLogger(__name__)

PRIVACY_NOTICE_VERSION_FIELD = "privacy_notice_version"


def defaults_from_policy(policy: Any) -> dict[str, Any]:
    """Field id -> value: the privacy notice version in force (none if the notice cannot be loaded:
    the question is then answered by hand, as before)."""
    try:
        from referral_desktop.domain.privacy_notice import load_privacy_notice

        settings = getattr(policy, "privacy_notice", None)
        notice = load_privacy_notice(**settings.model_dump()) if settings is not None else load_privacy_notice()
    except Exception as exc:  # noqa: BLE001 - a notice that cannot be loaded leaves the answer to the user
        log.info("privacy notice version not offered: %s", type(exc).__name__)
        return {}
    version = str(getattr(notice, "version", "") or "").strip()
    return {PRIVACY_NOTICE_VERSION_FIELD: version} if version else {}


class FillWhenShown(QObject):
    """Watches one question's row; the first time it is shown with an empty answer, fills it in."""

    def __init__(self, row: QObject, field_input: Any, model: AnswersModel, path: FieldPath, value: Any) -> None:
        super().__init__(row)
        self.field_input = field_input
        self.model = model
        self.path = path
        self.value = value
        row.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show:
            filled = self.model.filled_defaults
            key = str(self.path)
            if key not in filled and self.model.get(self.path) in (None, ""):
                filled.add(key)
                self.field_input.set_value(self.value)
                self.model.set(self.path, self.value)
            elif key not in filled:
                filled.add(key)  # answered already: never overwrite
        return False
