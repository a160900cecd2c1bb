"""Check your answers: every answer grouped by section with a "Change" link, the declarations, and Send.

The declarations (subject-access confirmation, accuracy) are ordinary fields of the form definition's
declaration section, so they are rendered here as real questions rather than hard-coded check boxes;
their answers live in the answers dict like any other. The summary part is rebuilt each time the page
is shown, because answers change between visits.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import Field, FormDefinition, RepeatGroup, Section
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.answer_text import answer_text
from referral_desktop.ui.editor.error_summary import ErrorSummary, show_top_of
from referral_desktop.ui.editor.field_row import FieldRow
from referral_desktop.ui.editor.link_button import LinkButton
from referral_desktop.ui.editor.repeat_group import item_title
from referral_desktop.ui.editor.row_builder import RowBuilder
from referral_desktop.ui.editor.summary_columns import fitted_key_width, key_width
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.widgets.empty_layout import empty_layout
from referral_desktop.ui.widgets.plain_label import plain_label

CHECK_TITLE = "Check your answers before sending your referral"

#: Section ids that hold the declarations made on the check page rather than on a page of their own.
DECLARATION_SECTION_IDS = frozenset({"declaration", "declarations", "check_answers", "check_your_answers"})


def declaration_section(form: FormDefinition) -> Section | None:
    for section in form.sections:
        if section.id in DECLARATION_SECTION_IDS:
            return section
    return None


class CheckAnswersPage(QScrollArea):
    change_requested = Signal(str)  # field path
    link_activated = Signal(str)
    send_clicked = Signal()

    def __init__(self, form: FormDefinition, rows: RowBuilder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self._rows = rows
        self.model = rows.model
        self.read_only = rows.context.read_only
        self.declaration = declaration_section(form)
        self.declaration_rows: dict[str, FieldRow] = {}
        self.change_links: dict[str, LinkButton] = {}
        self._errors: list[tuple[str, str]] = []
        # Each section's (question, answer) labels, and the spacing between columns: summary_columns.py.
        self._sections: list[list[tuple[QLabel, QLabel]]] = []
        self._spacing = 0
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop; it follows focus inside
        self.setAccessibleName(CHECK_TITLE)  # the context a screen reader speaks as focus enters the page
        content = QWidget(self)
        content.setMaximumWidth(960)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 16, 24, 24)
        self._margins = layout.contentsMargins()
        self.summary = ErrorSummary(content)
        self.summary.link_activated.connect(self.link_activated)
        layout.addWidget(self.summary)
        self.title = QLabel(CHECK_TITLE, content)
        heading(self.title, 1)
        layout.addWidget(self.title)
        self.answers_holder = QWidget(content)
        self.answers_layout = QVBoxLayout(self.answers_holder)
        self.answers_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.answers_holder)
        if self.declaration is not None:
            declaration_title = plain_label(self.declaration.title, content)
            heading(declaration_title, 2)
            layout.addWidget(declaration_title)
            if self.declaration.description:
                text = plain_label(self.declaration.description, content)
                text.setWordWrap(True)
                layout.addWidget(text)
            for item in self.declaration.items:
                if isinstance(item, Field):
                    row = rows.build(item, FieldPath(item.id), content)
                    self.declaration_rows[item.id] = row
                    layout.addWidget(row)
        self.send_button = QPushButton("Send referral", content)
        primary(self.send_button)
        self.send_button.setDefault(False)
        self.send_button.setAutoDefault(True)
        self.send_button.clicked.connect(self.send_clicked)
        self.send_button.setVisible(not self.read_only)
        layout.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setWidget(content)
        # The width is shared anew as the room changes (summary_columns.py): the viewport's, not the
        # content's, which the columns' own widths hold open (a column set wide never let it narrow).
        self.viewport().installEventFilter(self)

    def refresh(self) -> None:
        """Rebuild the answers summary from the current answers (only visible sections and questions)."""
        for index in range(self.answers_layout.count()):
            entry = self.answers_layout.itemAt(index)
            old = entry.widget() if entry is not None else None
            if old is not None:  # hidden now: until Qt deletes it, it was drawn under its replacement
                old.hide()
        empty_layout(self.answers_layout)
        self.change_links = {}
        self._sections = []
        answers = self.model.answers
        for section in self.form.sections:
            if section is self.declaration or not evaluate(section.visible_when, answers):
                continue
            box = QFrame(self.answers_holder)
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 8, 0, 8)
            grid.setColumnStretch(1, 1)  # the answers take what the questions leave
            self._spacing = grid.horizontalSpacing()
            self._sections.append([])
            title = plain_label(section.title, box)
            heading(title, 2)
            grid.addWidget(title, 0, 0, 1, 3)
            row_number = 1
            for item in section.items:
                if isinstance(item, RepeatGroup):
                    if not evaluate(item.visible_when, answers):
                        continue
                    entries = answers.get(item.id)
                    items = entries if isinstance(entries, list) else []
                    if not items:
                        row_number = self._add_line(grid, row_number, item.label, "None added", item.id)
                    for index, values in enumerate(items):
                        sub = plain_label(item_title(item, index), box)
                        heading(sub, 3)
                        grid.addWidget(sub, row_number, 0, 1, 3)
                        row_number += 1
                        for field in item.fields:
                            if not evaluate(field.visible_when, answers, values):
                                continue
                            path = FieldPath(field.id, item.id, index)
                            text = answer_text(field, values.get(field.id) if isinstance(values, dict) else None, self.form)
                            row_number = self._add_line(grid, row_number, field.label, text, str(path))
                elif evaluate(item.visible_when, answers):
                    text = answer_text(item, answers.get(item.id), self.form)
                    row_number = self._add_line(grid, row_number, item.label, text, item.id)
            self.answers_layout.addWidget(box)
        self._share_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self._share_columns()
        return False

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the system's text size changed while open
            self._share_columns()

    def _share_columns(self) -> None:
        """Give the question column its width for the room there is (summary_columns.py): one width down
        the page, so the sections line up, narrower only in a section whose answers need it."""
        content = self.widget()
        lines = [line for section in self._sections for line in section]
        if not lines or content is None:
            return
        margins, spacing = self._margins, self._spacing
        actions = max((link.sizeHint().width() + spacing for link in self.change_links.values()), default=0)
        room = min(self.viewport().width(), content.maximumWidth())
        available = room - margins.left() - margins.right() - spacing - actions
        # Each section's widest question word, measured once (a wrapped label's minimum lays its text out).
        questions_need = [max((key.minimumSizeHint().width() for key, _answer in section), default=0)
                          for section in self._sections]
        # Never below the widest word of any question, so a narrow page keeps the columns in line too.
        preferred = max(max(questions_need), key_width(available, lines[0][0].fontMetrics()))
        for section, question_need in zip(self._sections, questions_need, strict=True):
            if not section:
                continue
            width = fitted_key_width(
                preferred, available,
                answers_need=max(answer.minimumSizeHint().width() for _key, answer in section),
                questions_need=question_need,
            )
            for key, _answer in section:
                if key.width() != width or key.minimumWidth() != width:
                    key.setFixedWidth(width)

    def _add_line(self, grid: QGridLayout, row: int, label: str, value: str, path: str) -> int:
        parent = grid.parentWidget()
        key = plain_label(label, parent)
        key.setWordWrap(True)
        font = key.font()
        font.setBold(True)
        key.setFont(font)
        shown = plain_label(value, parent)
        shown.setWordWrap(True)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._sections[-1].append((key, shown))
        grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
        if not self.read_only:
            link = LinkButton("Change", parent, accessible_name=f"Change {label}")
            link.setProperty("path", path)
            link.clicked.connect(lambda _c=False, p=path: self.change_requested.emit(p))
            grid.addWidget(link, row, 2, Qt.AlignmentFlag.AlignTop)
            self.change_links[path] = link
        line = QFrame(parent)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(line, row + 1, 0, 1, 3)
        return row + 2

    def row_for(self, path: FieldPath) -> FieldRow | None:
        return self.declaration_rows.get(path.field_id) if path.group_id is None else None

    @property
    def errors(self) -> list[tuple[str, str]]:
        """The errors the summary shows now (the editor rebuilds it as answers change)."""
        return list(self._errors)

    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        self._errors = list(errors)
        by_path = dict(reversed(errors))
        for field_id, row in self.declaration_rows.items():
            row.set_error(by_path.get(field_id))
        self.summary.set_errors(errors)

    def focus_summary(self) -> None:
        if self.summary.isVisible():
            show_top_of(self, self.summary)
            self.summary.take_focus()

    def set_read_only(self) -> None:
        self.read_only = True
        self.send_button.hide()
        for row in self.declaration_rows.values():
            row.input.set_read_only(True)
