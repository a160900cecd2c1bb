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
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
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
from referral_desktop.ui.editor.action_row import ActionRow
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
from referral_desktop.ui.editor.validation_view import ValidationView
from referral_desktop.ui.gui_application import running_application
from referral_desktop.ui.text_size import TextSizeFollower, keeping_place, restyle
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.unsaved_answers import UnsavedAnswers

log = logging.getLogger(__name__)

#: How wide the section list is where there is room, in average letters (at 200 % text on a laptop as
#: wide as it was when the column took the width its title and list asked for).
READABLE_LETTERS = 24
#: The editor's margins where the section list is narrowed to a third (``_place_title``).
NARROW_GUTTER = 4
#: No maximum (Qt's QWIDGETSIZE_MAX).
QWIDGETSIZE_MAX = (1 << 24) - 1


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
        left = QVBoxLayout()
        left.addWidget(self.step_list, 1)
        left.addWidget(self.saved_label)

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
        # Under the page, after its own buttons (where Tab reaches it), not under the section list, which
        # it held at its own width (action_row.py).
        self.action_row = ActionRow([self.continue_button, self.previous_button], self.close_button, self)
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        self._grid = QGridLayout(self)
        self._right = right
        self._grid.addLayout(left, 1, 0)
        self._grid.addWidget(self.action_row, 2, 0, 1, 2)
        self._grid.setColumnStretch(1, 1)
        self._grid.setRowStretch(1, 1)
        self._narrow: bool | None = None
        self._gutters = self._grid.contentsMargins()
        self._place_title(narrow=False)
        self._size_left_column()
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageDown), self, self.go_next)
        QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageUp), self, self.go_previous)
        if (app := running_application()) is not None:
            app.focusChanged.connect(self._follow_focus)
        self._text_size = TextSizeFollower(self, self._follow_text_size)

    def _size_left_column(self) -> None:
        """The section list wraps long titles within about 24 characters' width, and takes at most a third
        of the editor, so the page keeps the room: at 800 px and 200 % text the list had taken more than
        the page beside it. Where a third is less than that, the form's title goes across the top (in a
        third it took seven lines and was cut) and a word too long for the list breaks, hyphenated."""
        readable = max(260, self.step_list.fontMetrics().averageCharWidth() * READABLE_LETTERS)
        width = max(self.step_list.least_width, min(readable, self.width() // 3))
        self._place_title(narrow=width < readable)
        self.step_list.setFixedWidth(width)  # the column's width, whatever the title's one line would take
        self.saved_label.setMaximumWidth(width)
        self.title.setMaximumWidth(QWIDGETSIZE_MAX if self._narrow else width)

    def _place_title(self, *, narrow: bool) -> None:
        """The form's title above the section list, the page beside both; or, narrow, across the top."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self._grid.removeWidget(self.title)
        self._grid.removeItem(self._right)
        if narrow:
            self._grid.addWidget(self.title, 0, 0, 1, 2)
            self._grid.addLayout(self._right, 1, 1)
            # Narrower gutters, as GOV.UK's on a small screen: the page's buttons then keep one line at
            # 800 px and 200 % text, where a second line took the room of two lines of the page.
            self._grid.setContentsMargins(NARROW_GUTTER, NARROW_GUTTER, NARROW_GUTTER, NARROW_GUTTER)
        else:
            self._grid.addWidget(self.title, 0, 0)
            self._grid.addLayout(self._right, 0, 1, 2, 1)
            self._grid.setContentsMargins(self._gutters)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._size_left_column()

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
