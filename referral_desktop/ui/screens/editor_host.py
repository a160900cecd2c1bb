"""Hosts the form editor (ui/editor) inside the main window.

Why: the editor is its own package with one way in (``EditorScreen``); the shell only loads the referral
and its form definition on the store thread, builds the editor on the GUI thread, and relays its two
signals. Destroying the host destroys the editor's widgets and every answer they hold (auto-lock relies
on it).
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.editor import EditorScreen
from referral_desktop.ui.editor.form_version_move import (
    MoveDraftDialog,
    NewerVersionBanner,
    move_draft,
    newer_form_for,
    preview_move,
)
from referral_desktop.ui.iart_refusal_words import reasons_about_answers

log = logging.getLogger(__name__)

#: QSettings key: {referral id: the page it was left on}. Random ids and the form's page ids only — no
#: answers — so reopening a draft returns to where the user left off, even after a restart.
POSITION_KEY = "editor/last_page"
POSITIONS_KEPT = 50


def _positions(settings: Any) -> dict[str, str]:
    try:
        value = json.loads(str(settings.value(POSITION_KEY, "{}") or "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def load_for_editing(store: Any, referral_id: str) -> tuple[Any, Any, Any]:
    """(form definition, referral, newer form a draft can move to or None), read on the store thread."""
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.domain.lifecycle import EDITABLE_STATES

    referral = store.referrals.get(referral_id)
    # iART's refusal of the documents' list is about no answer: not shown as an error on one, nor holding
    # Send back until that answer changes (``iart_refusal_words``; the referral's page says it).
    referral = replace(referral, rejection_reasons=reasons_about_answers(referral.rejection_reasons or []))
    form = load_form(referral.form_id, referral.form_version)
    newer = newer_form_for(form) if referral.state in EDITABLE_STATES else None
    return form, referral, newer


class EditorHost(QWidget):
    send_requested = Signal(str)
    closed = Signal()
    title_changed = Signal(str)  # the editor's page: a section's title or "Check your answers"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorHost")
        self.context = context
        self.editor: EditorScreen | None = None
        self.banner: NewerVersionBanner | None = None
        self.move_dialog: MoveDraftDialog | None = None
        self.referral_id = ""
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.loading = QLabel("Opening the referral…")
        self.layout_.addWidget(self.loading)
        # Given focus as it opens (the window gives a new screen focus), the host passes it to these words
        # until the editor takes it: a screen reader said "filler" for the unnamed host.
        self.setFocusProxy(self.loading)

    def open(self, referral_id: str, focus_path: str | None = None) -> None:
        self.referral_id = referral_id
        self.context.runner.run_with_store(load_for_editing, referral_id).owned_by(self).success(
            lambda loaded: self._build(loaded, focus_path)
        ).failure(self._failed)

    def _build(self, loaded: tuple[Any, Any, Any], focus_path: str | None) -> None:
        form, referral, newer = loaded  # load_for_editing's answer
        held = self.context.held_answers.take(referral.id) if self.context.held_answers is not None else None
        if held is not None:  # typed before a lock while the store refused them: newer than the store's
            referral = replace(referral, answers=held)
        if newer is not None:
            self.banner = NewerVersionBanner(form, newer, self)
            self.banner.move_requested.connect(lambda: self._offer_move(form, newer))
            self.layout_.addWidget(self.banner)
        self.editor = EditorScreen(
            form, referral, self.context.runner, parent=self, policy=self.context.policy, clock=self.context.clock
        )
        if held is not None:
            self.editor.autosaver.changed()  # not saved yet: the editor's autosave takes them over
        self.editor.send_requested.connect(self.send_requested)
        self.editor.closed.connect(self.closed)
        self.editor.title_changed.connect(self.title_changed)
        self.editor.title_changed.connect(lambda _title: self._remember_page())
        if not focus_path:
            self._return_to_last_page()
        self.title_changed.emit(self.editor.page_title())
        self.layout_.addWidget(self.editor)
        if focus_path:
            self.editor.navigate_to(focus_path)
        else:
            # The screen that had focus (urgency, home) is gone: without this, focus is nowhere and a
            # keyboard user cannot start. Start where reading starts: the list of sections.
            start = self.editor.step_list
            QTimer.singleShot(0, start, lambda: start.setFocus(Qt.FocusReason.OtherFocusReason))
        self.setFocusProxy(self.editor)
        if self.loading.hasFocus():  # hidden now, it would pass focus down the chain first: once it has moved
            QTimer.singleShot(0, self.loading, self.loading.hide)
        else:
            self.loading.hide()

    # -- moving the draft to a newer form version ---------------------------------------------------
    def _offer_move(self, old: Any, new: Any) -> None:
        if self.editor is None:
            return
        self.move_dialog = MoveDraftDialog(preview_move(old, new, self.editor.model.answers), self)
        self.move_dialog.accepted.connect(lambda: self._move(old, new))
        self.move_dialog.open()

    def _move(self, old: Any, new: Any) -> None:
        if self.editor is None or not self.editor.flush():
            if self.banner is not None:
                self.banner.text.setText("The draft could not be saved, so it was not moved. Try again.")
            return
        self.context.runner.run_with_store(move_draft, self.referral_id, old, new).owned_by(self).success(
            self._moved
        ).failure(self._move_failed)

    def _moved(self, move: Any) -> None:
        for widget in (self.banner, self.editor):
            if widget is not None:
                self.layout_.removeWidget(widget)
                widget.deleteLater()
        self.banner, self.editor = None, None
        self.loading.setText("Opening the referral…")
        self.loading.show()
        self.setFocusProxy(self.loading)
        self.open(self.referral_id)
        announce(self, f"This draft is now on form version {move.to_version}. "
                       f"{len(move.not_carried)} earlier answers were not carried and are kept with the referral.")

    def _move_failed(self, error: BaseException) -> None:
        log.warning("draft not moved to the newer form: %s", type(error).__name__)
        if self.banner is not None:
            self.banner.text.setText("The draft could not be moved; it is unchanged on its own version.")

    def _return_to_last_page(self) -> None:
        page = _positions(self.context.settings).get(self.referral_id)
        if page and self.editor is not None:
            self.editor.go_to_page(page)

    def _remember_page(self) -> None:
        if self.editor is None or self.editor.read_only:
            return
        positions = _positions(self.context.settings)
        positions.pop(self.referral_id, None)
        positions[self.referral_id] = self.editor.page_id()
        kept = dict(list(positions.items())[-POSITIONS_KEPT:])
        self.context.settings.setValue(POSITION_KEY, json.dumps(kept))

    def _failed(self, error: BaseException) -> None:
        log.warning("editor could not open: %s", type(error).__name__)
        self.loading.setText("This referral could not be opened.")

    def unsaved_answers(self) -> dict | None:
        """A copy of the answers on screen when the store does not hold them yet (a save failing), else
        None."""
        if self.editor is None or self.editor.read_only or not self.editor.autosaver.dirty:
            return None
        return copy.deepcopy(self.editor.model.answers)

    def flush(self) -> None:
        """Write pending answers now (before lock or quit)."""
        if self.editor is None:
            return
        try:
            self.editor.flush()
        except Exception as exc:  # never block the lock on a failed save
            log.warning("flush failed: %s", type(exc).__name__)

