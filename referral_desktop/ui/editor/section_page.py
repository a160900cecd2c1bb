"""One section of the form as a scrollable page: title, description, error summary, questions.

Pages are built the first time they are shown (opening a full referral builds only the first one), and
they re-evaluate their questions' ``visible_when`` after every change, so conditional questions appear
and disappear as answers change.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import RepeatGroup, Section
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.error_summary import ErrorSummary, show_top_of
from referral_desktop.ui.editor.field_row import FieldRow
from referral_desktop.ui.editor.pending_layout import settle_pending_layout
from referral_desktop.ui.editor.repeat_group import RepeatGroupView
from referral_desktop.ui.editor.row_builder import RowBuilder
from referral_desktop.ui.editor.section_heading import SectionHeading
from referral_desktop.ui.widgets.plain_label import plain_label

#: Room kept below a focused question opened at the foot of the page, so its focus edge is not flush.
FOCUS_MARGIN = 6


class SectionPage(QScrollArea):
    link_activated = Signal(str)
    layout_changed = Signal()  # repeat items were rebuilt: the tab order needs redoing

    def __init__(self, section: Section, rows: RowBuilder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self._rows = rows
        self.built = False
        self.top_rows: dict[str, FieldRow] = {}
        self.groups: dict[str, RepeatGroupView] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop; it follows focus inside
        # Named by the section: focus moved by Continue lands on a question, and a screen reader speaks
        # the named container it entered ("About you"), as a sighted user sees the heading.
        self.setAccessibleName(section.title)
        self.summary: ErrorSummary | None = None
        self._errors: list[tuple[str, str]] = []

    def build(self) -> None:
        if self.built:
            return
        self.built = True
        content = QWidget(self)
        content.setObjectName("sectionContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 16, 24, 24)
        layout.setSpacing(6)
        self.summary = ErrorSummary(content)
        self.summary.link_activated.connect(self.link_activated)
        layout.addWidget(self.summary)
        self.title = SectionHeading(self.section.title, content)
        layout.addWidget(self.title)
        if self.section.description:
            description = plain_label(self.section.description, content)
            description.setWordWrap(True)
            layout.addWidget(description)
        for item in self.section.items:
            if isinstance(item, RepeatGroup):
                view = RepeatGroupView(item, self._rows, content)
                if item.label == self.section.title:
                    view.title.hide()  # the page heading already says it
                view.rows_rebuilt.connect(self._reapply_errors)
                view.rows_rebuilt.connect(self.layout_changed)
                self.groups[item.id] = view
                layout.addWidget(view)
            else:
                row = self._rows.build(item, FieldPath(item.id), content)
                self.top_rows[item.id] = row
                layout.addWidget(row)
        layout.addStretch(1)
        content.setMaximumWidth(900)
        self.setWidget(content)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.refresh_visibility()
        self._reapply_errors()

    # -- visibility -------------------------------------------------------------------------------------
    def refresh_visibility(self) -> None:
        if not self.built:
            return
        answers = self._rows.shown_answers()
        for item in self.section.items:
            if isinstance(item, RepeatGroup):
                view = self.groups[item.id]
                view.setHidden(not evaluate(item.visible_when, answers))
                view.refresh_visibility()
            else:
                self.top_rows[item.id].setHidden(not evaluate(item.visible_when, answers))

    # -- rows -------------------------------------------------------------------------------------------
    def all_rows(self) -> list[FieldRow]:
        rows: list[FieldRow] = []
        for item in self.section.items:
            if isinstance(item, RepeatGroup):
                rows.extend(self.groups[item.id].all_rows())
            else:
                rows.append(self.top_rows[item.id])
        return rows

    def row_for(self, path: FieldPath) -> FieldRow | None:
        self.build()
        if path.group_id is not None:
            view = self.groups.get(path.group_id)
            return view.row_for(path) if view else None
        return self.top_rows.get(path.field_id)

    def focus_path(self, path: FieldPath) -> bool:
        """Move keyboard focus to the question at ``path`` (or the group's add button); True if found."""
        self.build()
        row = self.row_for(path)
        if row is not None and not row.isHidden():
            self.ensureWidgetVisible(row, 0, 40)
            row.focus_input()
            self.ensureWidgetVisible(row.input.focus_target(), 0, 40)
            return True
        group_id = path.group_id or path.field_id
        view = self.groups.get(group_id)
        if view is not None:
            # The group's own error ("Add at least one child"): an item nobody has filled in yet (the
            # page adds the group's first one) is where to start; otherwise "Add another ...".
            empty = view.first_row_of_an_empty_item()
            if empty is not None:
                self.ensureWidgetVisible(empty, 0, 40)
                empty.focus_input()
                self.ensureWidgetVisible(empty.input.focus_target(), 0, 40)
                return True
            target = view.add_button if view.add_button.isVisible() else view
            target.setFocus()
            self.ensureWidgetVisible(target, 0, 40)  # the button sits below the items, often out of sight
            return True
        return False

    def open_at_top(self, first: QWidget | None) -> None:
        """Opened by Continue or Previous: show the page from its top, its heading read first (GOV.UK),
        with focus on ``first`` (its first question) if that is seen whole too, scrolled at most by the
        space above the page's first line; otherwise on the heading, and Tab reaches ``first`` next.
        Scrolling just far enough to show the question cut the heading in half at 200 % text."""
        self.build()
        # A page just built or shown has layout requests pending: measure where things will be drawn.
        settle_pending_layout()
        summary = self.summary
        if summary is not None and first is summary:
            # Back on a section left with problems: "There is a problem" takes focus (GOV.UK), its top
            # in view even when it is taller than the page.
            show_top_of(self, summary)
            summary.setFocus(Qt.FocusReason.TabFocusReason)
            return
        inner = self.widget()
        assert inner is not None  # built above
        bar = self.verticalScrollBar()
        page_top = self.title.mapTo(inner, QPoint(0, 0)).y()
        if self.summary is not None and not self.summary.isHidden():
            page_top = min(page_top, self.summary.mapTo(inner, QPoint(0, 0)).y())
        if first is not None:
            bottom = first.mapTo(inner, QPoint(0, first.height())).y()
            needed = max(0, bottom + FOCUS_MARGIN - self.viewport().height())
            if needed <= page_top:
                bar.setValue(needed)
                first.setFocus(Qt.FocusReason.TabFocusReason)
                return
        bar.setValue(0)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- errors -----------------------------------------------------------------------------------------
    def show_errors(self, errors: list[tuple[str, str]], *, summary: bool = True) -> None:
        """Show ``(path, message)`` pairs next to their questions and, with ``summary``, at the top."""
        self._errors = list(errors)
        self._show_summary = summary
        if self.built:
            self._reapply_errors()

    @property
    def errors(self) -> list[tuple[str, str]]:
        return list(self._errors)

    def _reapply_errors(self) -> None:
        if not self.built:
            return
        by_path: dict[str, str] = {}
        for path, message in self._errors:
            by_path.setdefault(path, message)
        for row in self.all_rows():
            row.set_error(by_path.get(str(row.path)))
        for group_id, view in self.groups.items():
            view.set_group_error(by_path.get(group_id))
        if self.summary is not None:
            self.summary.set_errors(self._errors if getattr(self, "_show_summary", True) else [])

    def focus_summary(self) -> None:
        if self.summary is not None and self.summary.isVisible():
            show_top_of(self, self.summary)
            self.summary.take_focus()
