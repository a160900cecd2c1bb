"""Hosts the form editor (ui/editor) inside the main window.

Why: the editor is its own package with one way in (``EditorScreen``); the shell only loads the referral
and its form definition on the store thread, builds the editor on the GUI thread, and relays its two
signals. Destroying the host destroys the editor's widgets and every answer they hold (auto-lock relies
on it).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.editor import EditorScreen

log = logging.getLogger(__name__)


def load_for_editing(store: Any, referral_id: str) -> tuple[Any, Any]:
    """(form definition, referral), read on the store thread."""
    from referral_desktop.domain.form_catalog import load_form

    referral = store.referrals.get(referral_id)
    return load_form(referral.form_id, referral.form_version), referral


class EditorHost(QWidget):
    send_requested = Signal(str)
    closed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorHost")
        self.context = context
        self.editor: EditorScreen | None = None
        self.referral_id = ""
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.loading = QLabel("Opening the referral…")
        self.layout_.addWidget(self.loading)

    def open(self, referral_id: str, focus_path: str | None = None) -> None:
        self.referral_id = referral_id
        self.context.runner.run_with_store(load_for_editing, referral_id).owned_by(self).success(
            lambda loaded: self._build(*loaded, focus_path=focus_path)
        ).failure(self._failed)

    def _build(self, form: Any, referral: Any, focus_path: str | None = None) -> None:
        self.loading.hide()
        self.editor = EditorScreen(
            form, referral, self.context.runner, parent=self, policy=self.context.policy, clock=self.context.clock
        )
        self.editor.send_requested.connect(self.send_requested)
        self.editor.closed.connect(self.closed)
        self.layout_.addWidget(self.editor)
        if focus_path:
            self.editor.navigate_to(focus_path)
        else:
            # The screen that had focus (urgency, home) is gone: without this, focus is nowhere and a
            # keyboard user cannot start. Start where reading starts: the list of sections.
            start = self.editor.step_list
            QTimer.singleShot(0, start, lambda: start.setFocus(Qt.FocusReason.OtherFocusReason))

    def _failed(self, error: BaseException) -> None:
        log.warning("editor could not open: %s", type(error).__name__)
        self.loading.setText("This referral could not be opened.")

    def flush(self) -> None:
        """Write pending answers now (before lock or quit)."""
        if self.editor is None:
            return
        try:
            self.editor.flush()
        except Exception as exc:  # never block the lock on a failed save
            log.warning("flush failed: %s", type(exc).__name__)

