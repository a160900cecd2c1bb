"""The form editor: step list, one page per section, check-your-answers, autosave and error navigation.

Built entirely from the ``FormDefinition``; answers live in an ``AnswersModel`` (a plain dict) and are
saved by an ``Autosaver`` through the store task runner. Validation (``domain.validation.validate``)
runs when leaving a section and on check, never on each keystroke. A referral that is no longer a draft
opens read-only; a rejected one shows iART's reasons on the fields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
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
from referral_desktop.ui.accessibility import StatusLabel
from referral_desktop.ui.display_format import format_time, uk_local
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.answers_model import AnswersModel
from referral_desktop.ui.editor.autosave import Autosaver
from referral_desktop.ui.editor.check_answers import CheckAnswersPage, declaration_section
from referral_desktop.ui.editor.editor_context import EditorContext
from referral_desktop.ui.editor.error_timing import ErrorTiming
from referral_desktop.ui.editor.reading_order import apply_tab_order, focusables_in_reading_order
from referral_desktop.ui.editor.row_builder import RowBuilder
from referral_desktop.ui.editor.section_page import SectionPage
from referral_desktop.ui.editor.step_list import StepList
from referral_desktop.ui.editor.validation_view import ValidationView
from referral_desktop.ui.theme import heading, primary

log = logging.getLogger(__name__)



def _save_answers(referral_id: str) -> Callable[[Any, dict], Any]:
    def save(store: Any, answers: dict) -> Any:
        return store.referrals.save_answers(referral_id, answers)

    return save


def _state_text(state: Any) -> str:
    return str(getattr(state, "value", state) or "draft")


class EditorScreen(QWidget):
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
        self._clock = clock or (lambda: datetime.now(timezone.utc))
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
        self._pending_focus: str | None = None
        self.error_timing = ErrorTiming(self)  # when errors show: error_timing.py
        self._build()
        self.model.changed.connect(self._on_changed)
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.save_failed.connect(self.saved_label.setText)
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
        # The section list wraps long titles within about 28 characters' width, so with 200 % text the
        # questions keep most of the window and are not pushed into sideways scrolling.
        self.step_list.setWordWrap(True)
        self.step_list.setMaximumWidth(max(260, self.step_list.fontMetrics().averageCharWidth() * 28))
        self.title.setMaximumWidth(self.step_list.maximumWidth())
        # A long status ("Not saved: the disk is full (free space on …)") wraps within the column instead
        # of widening it and squeezing the questions.
        self.saved_label.setWordWrap(True)
        self.saved_label.setMaximumWidth(self.step_list.maximumWidth())
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

    def _ensure_check_page(self) -> CheckAnswersPage:
        if self.check_page is None:
            self.check_page = CheckAnswersPage(self.form, self.rows, self.stack)
            self.check_page.change_requested.connect(self.navigate_to)
            self.check_page.link_activated.connect(self.navigate_to)
            self.check_page.send_clicked.connect(self.request_send)
            self.stack.addWidget(self.check_page)
        return self.check_page

    # -- clock ----------------------------------------------------------------------------------------
    def today(self) -> date:
        return uk_local(self._clock()).date()

    # -- navigation -----------------------------------------------------------------------------------
    @property
    def current_index(self) -> int:
        return self._current

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _visible_rows(self) -> list[int]:
        answers = self.model.answers
        rows = [i for i, s in enumerate(self.sections) if evaluate(s.visible_when, answers)]
        return rows + [self.step_list.check_row]

    def _first_visible(self) -> int:
        return self._visible_rows()[0]

    def go_to(self, row: int, *, focus_page: bool = False, submitted: bool = False) -> None:
        """Show section ``row`` (or the check page, the last row). The section being left is validated
        when the user acted on it: changed an answer in it, or pressed Continue (``submitted``)."""
        if row < 0 or row == self._current:
            if focus_page:
                self._focus_first_in_page()
            return
        leaving = self._current
        self._current = row
        if 0 <= leaving < len(self.sections) and not self.read_only:
            self.error_timing.left(leaving, submitted)
        if row == self.step_list.check_row:
            page = self._ensure_check_page()
            page.refresh()
            self.stack.setCurrentWidget(page)
            self.continue_button.hide()
            self.previous_button.show()
        else:
            page = self.pages[row]
            page.build()
            page.refresh_visibility()
            self.stack.setCurrentWidget(page)
            self.continue_button.show()
            self.continue_button.setText("Continue")
            self.previous_button.setVisible(row != self._first_visible())
        self.step_list.select_row(row)
        self.title_changed.emit(self.page_title())
        self._fix_tab_order()
        if focus_page:
            self._focus_first_in_page()

    def page_id(self) -> str:
        """The page shown, by the form's section id ("check" for check your answers)."""
        if self._current == self.step_list.check_row:
            return "check"
        return self.sections[self._current].id if 0 <= self._current < len(self.sections) else ""

    def go_to_page(self, page_id: str) -> None:
        """Open the page ``page_id`` (from ``page_id()``) if it is shown for these answers."""
        row = self.step_list.check_row if page_id == "check" else self._section_index(page_id)
        if row is not None and row in self._visible_rows():
            self.go_to(row)

    def page_title(self) -> str:
        if self._current == self.step_list.check_row:
            return "Check your answers"
        return self.sections[self._current].title if 0 <= self._current < len(self.sections) else ""

    def _focus_first_in_page(self) -> None:
        page = self.current_page()
        inner = page.widget() if hasattr(page, "widget") else page
        widgets = [w for w in focusables_in_reading_order(inner) if w.isVisibleTo(inner) and w.isEnabled()]
        if widgets:
            widgets[0].setFocus(Qt.FocusReason.TabFocusReason)
            page.ensureWidgetVisible(widgets[0])

    def _neighbour(self, step: int) -> int | None:
        visible = self._visible_rows()
        if self._current not in visible:
            return visible[0]
        position = visible.index(self._current) + step
        return visible[position] if 0 <= position < len(visible) else None

    def go_next(self) -> None:
        """Continue: the user submits this section (GOV.UK), so its errors show even if nothing changed."""
        target = self._neighbour(+1)
        if target is not None:
            self.go_to(target, focus_page=True, submitted=True)

    def go_previous(self) -> None:
        target = self._neighbour(-1)
        if target is not None:
            self.go_to(target, focus_page=True)

    def go_to_check(self) -> None:
        self.go_to(self.step_list.check_row, focus_page=True)

    def navigate_to(self, path_text: str) -> None:
        """Switch to the question's section (and repeat item) and move keyboard focus to it."""
        if not self.isVisible():
            self._pending_focus = path_text  # focus can only land once the editor is on screen
        path = FieldPath.parse(path_text)
        owner = path.group_id or path.field_id
        section = self.form.section_for(owner)
        if section is None:
            log.info("no section for error path")
            return
        if section is self._declaration:
            check = self._ensure_check_page()
            if self._current != self.step_list.check_row:
                self.go_to(self.step_list.check_row)
            row = check.row_for(path)
            if row is not None:
                check.ensureWidgetVisible(row)
                row.focus_input()
            return
        index = self.sections.index(section)
        self.go_to(index)
        self.pages[index].focus_path(path)

    def row_for(self, path_text: str) -> Any:
        """The question row for a path, building its page if needed (None when hidden or unknown)."""
        path = FieldPath.parse(path_text)
        section = self.form.section_for(path.group_id or path.field_id)
        if section is None:
            return None
        if section is self._declaration:
            return self._ensure_check_page().row_for(path)
        return self.pages[self.sections.index(section)].row_for(path)

    def page_for_section(self, section_id: str) -> SectionPage:
        index = self._section_index(section_id)
        if index is None:
            raise KeyError(section_id)
        return self.pages[index]

    def _fix_tab_order(self) -> None:
        page = self.current_page()
        inner = page.widget() if hasattr(page, "widget") else page
        order = [self.step_list, *focusables_in_reading_order(inner), self.continue_button, self.previous_button,
                 self.close_button]
        apply_tab_order(order)

    # -- answers --------------------------------------------------------------------------------------
    def _on_changed(self, path: str) -> None:
        self.autosaver.changed()
        self.validation.forget_rejection(path)
        self.error_timing.changed(path)
        page = self.current_page()
        if isinstance(page, SectionPage):
            page.refresh_visibility()
        self._refresh_section_visibility()

    def _on_page_layout_changed(self) -> None:
        if self.sender() is self.current_page():
            self._fix_tab_order()

    def _refresh_section_visibility(self) -> None:
        answers = self.model.answers
        for row, section in enumerate(self.sections):
            self.step_list.set_row_shown(row, evaluate(section.visible_when, answers))

    def _on_saved(self, moment: datetime) -> None:
        self.saved_label.setText(f"Saved {format_time(moment)}")

    def flush(self) -> bool:
        """Save now (blocking until the store has it); True when nothing is left unsaved."""
        return self.autosaver.flush()

    # -- validation and errors ------------------------------------------------------------------------
    def _section_index(self, section_id: str) -> int | None:
        for index, section in enumerate(self.sections):
            if section.id == section_id:
                return index
        return None

    def _apply_rejections(self, reasons: list[Any]) -> None:
        self.validation.set_rejections(reasons)
        if self.validation.rejections and not self.read_only:
            self.banner.setText(
                "iART could not accept this referral. The problems are shown next to the questions; "
                "fix them and send it again."
            )
            self.banner.show()

    def check_all(self) -> bool:
        """Validate everything, show every section's errors, summarise them on the check page."""
        return self.error_timing.check_all(self._ensure_check_page())

    def request_send(self) -> None:
        if self.read_only:
            return
        self.flush()
        if not self.check_all():
            if self._current != self.step_list.check_row:
                self.go_to(self.step_list.check_row)
            self._fix_tab_order()  # the summary and its links, now shown, come first on the page
            self.check_page.focus_summary()
            return
        log.info("send requested for referral %s", self.referral_id)
        # Progress at once: queueing (a final check and freezing the payload) takes a moment, and a
        # button that does nothing meanwhile invites a second press.
        self.check_page.send_button.setText("Sending…")
        self.check_page.send_button.setEnabled(False)
        self.check_page.send_button.repaint()
        self.send_requested.emit(self.referral_id)

    def sending_finished(self) -> None:
        """Queueing was refused or failed: the button is ready for another try."""
        if self.check_page is not None:
            self.check_page.send_button.setText("Send referral")
            self.check_page.send_button.setEnabled(True)

    # -- read-only ------------------------------------------------------------------------------------
    def set_read_only(self, message: str = "This referral has been queued to send and can no longer be changed.") -> None:
        """Lock the editor (after the referral is queued): every input read-only, autosave stopped."""
        self.flush()
        self.read_only = True
        self.context.read_only = True
        self.autosaver.stop()
        for page in self.pages:
            if page.built:
                for row in page.all_rows():
                    row.input.set_read_only(True)
                for view in page.groups.values():
                    view.read_only = True
                    view.rebuild()
        if self.check_page is not None:
            self.check_page.set_read_only()
            self.check_page.refresh()
        self.banner.setText(message)
        self.banner.show()

    # -- closing --------------------------------------------------------------------------------------
    def close_editor(self) -> None:
        self.flush()
        self.closed.emit()

    def showEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._pending_focus is not None:
            path, self._pending_focus = self._pending_focus, None
            QTimer.singleShot(0, lambda: self.navigate_to(path))
        window = self.window()
        if window is not self and not self._window_filter_installed:
            window.installEventFilter(self)
            self._window_filter_installed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Close:
            self.flush()
        return False

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        self.flush()
        super().closeEvent(event)
