"""Hosts the form editor (built in ui/editor) inside the main window, or a placeholder without it.

Why: the editor is its own package with its own owner; the shell only loads the referral and its form
definition on the store thread, builds the editor on the GUI thread, and relays its two signals.
Destroying the host destroys the editor's widgets and every answer they hold (auto-lock relies on it).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.theme import heading

log = logging.getLogger(__name__)


def load_for_editing(store: Any, referral_id: str) -> tuple[Any, Any]:
    """(form definition, referral), read on the store thread."""
    from referral_desktop.domain.form_catalog import load_form

    referral = store.referrals.get(referral_id)
    return load_form(referral.form_id, referral.form_version), referral


def editor_class() -> Any:
    try:
        from referral_desktop.ui.editor import EditorScreen  # type: ignore[attr-defined]

        return EditorScreen
    except ImportError:
        return None


class EditorHost(QWidget):
    send_requested = Signal(str)
    closed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorHost")
        self.context = context
        self.editor: QWidget | None = None
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
        cls = editor_class()
        if cls is None:
            self.editor = self._placeholder(referral)
        else:
            self.editor = _construct(cls, form, referral, self.context, self)
            self.editor.send_requested.connect(self.send_requested)
            self.editor.closed.connect(self.closed)
            if focus_path:
                for name in ("navigate_to", "focus_path"):
                    method = getattr(self.editor, name, None)
                    if callable(method):
                        method(focus_path)
                        break
        self.layout_.addWidget(self.editor)
        if not focus_path:
            # The screen that had focus (urgency, home) is gone: without this, focus is nowhere and a
            # keyboard user cannot start. Start where reading starts: the list of sections.
            start = getattr(self.editor, "step_list", None) or self.editor
            QTimer.singleShot(0, start, lambda: start.setFocus(Qt.FocusReason.OtherFocusReason))

    def _placeholder(self, referral: Any) -> QWidget:
        page = QWidget(objectName="editorPlaceholder")
        layout = QVBoxLayout(page)
        title = QLabel("Form editor not available in this build")
        heading(title)
        layout.addWidget(title)
        text = QLabel(f"The draft was saved with {len(referral.answers or {})} answers. "
                      "The form editor is delivered separately.")
        text.setWordWrap(True)
        layout.addWidget(text)
        row = QHBoxLayout()
        back = QPushButton("Back to referrals", objectName="editorPlaceholderBack")
        back.clicked.connect(self.closed)
        row.addWidget(back)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _failed(self, error: BaseException) -> None:
        log.warning("editor could not open: %s", type(error).__name__)
        self.loading.setText("This referral could not be opened.")

    def flush(self) -> None:
        """Write pending answers now (before lock or quit)."""
        for name in ("flush", "save_now"):
            method = getattr(self.editor, name, None)
            if callable(method):
                try:
                    method()
                except Exception as exc:  # never block the lock on a failed save
                    log.warning("flush failed: %s", type(exc).__name__)
                return


def _construct(cls: Any, form: Any, referral: Any, context: AppContext, parent: QWidget) -> QWidget:
    """Build the editor with what it accepts (its signature is the editor package's to choose)."""
    import inspect

    params = inspect.signature(cls).parameters
    kwargs: dict[str, Any] = {}
    if "policy" in params:
        kwargs["policy"] = context.policy
    if "clock" in params:
        kwargs["clock"] = context.clock
    if "context" in params:
        kwargs["context"] = context
    return cls(form, referral, context.runner, parent=parent, **kwargs)
