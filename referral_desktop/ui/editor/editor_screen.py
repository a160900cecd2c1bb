"""The form editor: step list, one page per section, check-your-answers, autosave and error navigation.

Built entirely from the ``FormDefinition``; answers live in an ``AnswersModel`` (a plain dict) and are
saved by an ``Autosaver`` through the store task runner. Validation (``domain.validation.validate``)
runs when leaving a section and on check, never on each keystroke. A referral that is no longer a draft
opens read-only; a rejected one shows iART's reasons on the fields.

This module builds the screen and keeps answers saved; moving between its pages is
section_navigation.py, and errors and sending are editor_submission.py (read one at a time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import FormDefinition
from referral_desktop.domain.lifecycle import EDITABLE_STATES
from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.accessibility import StatusLabel
from referral_desktop.ui.display_format import format_time, uk_local
from referral_desktop.ui.editor.answers_model import AnswersModel
from referral_desktop.ui.editor.autosave import Autosaver
from referral_desktop.ui.editor.check_answers import CheckAnswersPage, declaration_section
from referral_desktop.ui.editor.editor_context import EditorContext
from referral_desktop.ui.editor.editor_submission import SubmissionMixin
from referral_desktop.ui.editor.error_timing import ErrorTiming
from referral_desktop.ui.editor.pending_layout import keep_in_place
from referral_desktop.ui.editor.row_builder import RowBuilder
from referral_desktop.ui.editor.section_navigation import SectionNavigationMixin
from referral_desktop.ui.editor.section_page import SectionPage
from referral_desktop.ui.editor.step_list import StepList
from referral_desktop.ui.editor.text_size import TextSizeFollower, keeping_place, restyle
from referral_desktop.ui.editor.validation_view import ValidationView
from referral_desktop.ui.gui_application import running_application
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.unsaved_answers import UnsavedAnswers

log = logging.getLogger(__name__)


def _save_answers(referral_id: str) -> Callable[[Any, dict], Any]:
    def save(store: Any, answers: dict) -> Any:
        return store.referrals.save_answers(referral_id, answers)

    return save


def _state_text(state: Any) -> str:
    return str(getattr(state, "value", state) or "draft")


class EditorScreen(SectionNavigationMixin, SubmissionMixin, QWidget):
    """The single way into the editor: ``EditorScreen(form, referral, runner, parent=None)``."""

    send_requested = Signal(str)
    closed = Signal()
    title_changed = Signal(str)  # what the page shown is called (the window title names it)

    def __init__(
        self,
        form: FormDefinition,
        referral: Any,
        runner: Any,
        parent: QWidget | None = None,
        *,
        policy: Any = None,
        clock: Callable[[], datetime] | None = None,
        autosave_ms: int = 400,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editorScreen")
        self.form = form
        self.referral = referral
        self.referral_id = str(referral.id)
        self._clock = clock or (lambda: datetime.now(UTC))
        state = _state_text(getattr(referral, "state", "draft"))
        self.read_only = state not in {s.value for s in EDITABLE_STATES}
        self.context = EditorContext.from_policy(
            policy,
            runner=runner,
            referral_id=self.referral_id,
            today=self.today,
            read_only=self.read_only,
        )
        answers = referral.answers if isinstance(referral.answers, dict) else {}
        self.model = AnswersModel(answers, self)
        self.rows = RowBuilder(form, self.model, self.context)
        self.autosaver = Autosaver(
            runner, _save_answers(self.referral_id), lambda: self.model.answers, delay_ms=autosave_ms,
            clock=self._clock, parent=self,
        )
        if self.read_only:
            self.autosaver.stop()
        self.validation = ValidationView(form, self.today, self.context.test_deployment)
        self._declaration = declaration_section(form)
        self.sections = [s for s in form.sections if s is not self._declaration]
        self._current = -1
        self._window_filter_installed = False
        self._pending_focus = None
        self._changing: tuple[str, int] | None = None  # (path, row) a "Change" link opened; see change_answer
        self.error_timing = ErrorTiming(self)  # when errors show: error_timing.py
        self._build()
        self.model.changed.connect(self._on_changed)
        self.autosaver.saved.connect(self._on_saved)
        self.unsaved = UnsavedAnswers(self, self.saved_label)  # says a failed save; guards the ways out
        self._apply_rejections(getattr(referral, "rejection_reasons", None) or [])
        self.error_timing.opened()
        self._refresh_section_visibility()
        self.go_to(self._first_visible())
        self.setFocusProxy(self.step_list)  # a keyboard user starts at the list of sections

    # -- building -------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(self.form.title, self)
        heading(self.title, 2)
        self.step_list = StepList([s.title for s in self.sections], self)
        self.step_list.clicked.connect(lambda index: self.go_to(index.row()))
        self.step_list.activated.connect(lambda index: self.go_to(index.row(), focus_page=True))
        self.step_list.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.go_to(cur.row()))
        self.saved_label = StatusLabel("", self)  # "Saved 4:24pm" is what assistive technology reads
        self.saved_label.setObjectName("savedIndicator")
        self.close_button = QPushButton("Back to referrals", self)
        self.close_button.clicked.connect(self.close_editor)
        self.step_list.setWordWrap(True)
        # A long status ("Not saved: the disk is full (free space on …)") wraps within the column instead
        # of widening it and squeezing the questions.
        self.saved_label.setWordWrap(True)
        self._size_left_column()
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.step_list, 1)
        left.addWidget(self.saved_label)
        left.addWidget(self.close_button)

        self.banner = QLabel(self)
        self.banner.setObjectName("editorBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#editorBanner { border: 3px solid palette(highlight); padding: 8px; }")
        self.banner.hide()
        if self.read_only:
            self.banner.setText(
                f"This referral is {_state_text(self.referral.state).replace('_', ' ')} and can no longer be changed."
            )
            self.banner.show()
        self.stack = QStackedWidget(self)
        self.pages: list[SectionPage] = []
        for section in self.sections:
            page = SectionPage(section, self.rows, self.stack)
            page.link_activated.connect(self.navigate_to)
            page.layout_changed.connect(self._on_page_layout_changed)
            self.stack.addWidget(page)
            self.pages.append(page)
        self.check_page: CheckAnswersPage | None = None
        self.previous_button = QPushButton("Previous", self)
        self.previous_button.clicked.connect(self.go_previous)
        self.continue_button = QPushButton("Continue", self)
        primary(self.continue_button)
        self.continue_button.setAutoDefault(True)
        self.continue_button.clicked.connect(self.go_next)
        bottom = QHBoxLayout()
        bottom.addWidget(self.continue_button)
        bottom.addWidget(self.previous_button)
        bottom.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        right.addLayout(bottom)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageDown), self, self.go_next)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageUp), self, self.go_previous)
        if (app := running_application()) is not None:
            app.focusChanged.connect(self._follow_focus)
        self._text_size = TextSizeFollower(self, self._follow_text_size)

    def _size_left_column(self) -> None:
        # The section list wraps long titles within about 28 characters' width, so with 200 % text the
        # questions keep most of the window and are not pushed into sideways scrolling.
        self.step_list.setMaximumWidth(max(260, self.step_list.fontMetrics().averageCharWidth() * 28))
        self.title.setMaximumWidth(self.step_list.maximumWidth())
        self.saved_label.setMaximumWidth(self.step_list.maximumWidth())

    def _follow_text_size(self) -> None:
        """The application's text size changed while the editor is open: every page, built or not yet
        shown, takes it now, the page shown keeping the person's place (text_size.py)."""
        def restyle_all() -> None:
            restyle(self)
            self._size_left_column()

        keeping_place(self.current_page(), restyle_all)

    def _ensure_check_page(self) -> CheckAnswersPage:
        if self.check_page is None:
            self.check_page = CheckAnswersPage(self.form, self.rows, self.stack)
            self.check_page.change_requested.connect(self.change_answer)
            self.check_page.link_activated.connect(self.navigate_to)
            self.check_page.send_clicked.connect(self.request_send)
            self.stack.addWidget(self.check_page)
        return self.check_page

    # -- clock ----------------------------------------------------------------------------------------
    def today(self) -> date:
        return uk_local(self._clock()).date()

    # -- answers --------------------------------------------------------------------------------------
    def _on_changed(self, path: str) -> None:
        self.autosaver.changed()
        self.validation.forget_rejection(path)
        page = self.current_page()

        def update_page() -> None:
            self.error_timing.changed(path)  # errors fixed go (the summary above may shrink)
            if isinstance(page, SectionPage):
                page.refresh_visibility()  # questions appear and go

        keep_in_place(page, update_page)
        self._refresh_section_visibility()

    def _on_page_layout_changed(self) -> None:
        if self.sender() is self.current_page():
            self._fix_tab_order()

    def _refresh_section_visibility(self) -> None:
        answers = visible_answers(self.form, self.model.answers)  # as validation reads them
        for row, section in enumerate(self.sections):
            self.step_list.set_row_shown(row, evaluate(section.visible_when, answers))

    def _on_saved(self, moment: datetime) -> None:
        self.saved_label.setText(f"Saved {format_time(moment)}")

    def flush(self) -> bool:
        """Save now (blocking until the store has it); True when nothing is left unsaved."""
        return self.autosaver.flush()

    # -- closing --------------------------------------------------------------------------------------
    def close_editor(self) -> None:
        """Back to the referrals, once the answers are saved (asked first if they cannot be)."""
        self.unsaved.leave(self.closed.emit)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if 0 <= self._current < len(self.sections):
            self.error_timing.shown(self._current)  # the page the editor opened on is seen now
        if self._pending_focus is not None:
            path, self._pending_focus = self._pending_focus, None
            QTimer.singleShot(0, lambda: self.navigate_to(path))
        window = self.window()
        if window is not self and not self._window_filter_installed:
            window.installEventFilter(self)
            self._window_filter_installed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Close:
            return self.unsaved.window_closing(self.window(), event)  # flushes; asks while unsaved
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.flush()
        super().closeEvent(event)
