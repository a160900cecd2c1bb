"""Check your answers: every answer grouped by section with a "Change" link, the declarations, and Send.

The declarations (subject-access confirmation, accuracy) are ordinary fields of the form definition's
declaration section, so they are rendered here as real questions rather than hard-coded check boxes;
their answers live in the answers dict like any other. The summary part is rebuilt each time the page
is shown, because answers change between visits.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.domain.attachment_references import left_out_documents
from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import Field, FormDefinition, RepeatGroup, Section
from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.answer_text import answer_text
from referral_desktop.ui.editor.error_summary import ErrorSummary, show_top_of
from referral_desktop.ui.editor.field_row import FieldRow
from referral_desktop.ui.editor.link_button import LinkButton
from referral_desktop.ui.editor.pending_layout import settle_pending_layout
from referral_desktop.ui.editor.repeat_group import item_title
from referral_desktop.ui.editor.row_builder import RowBuilder
from referral_desktop.ui.editor.summary_list import SummaryList
from referral_desktop.ui.editor.wrap_anywhere_label import WrapAnywhereLabel
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.widgets.plain_label import plain_label

CHECK_TITLE = "Check your answers before sending your referral"
#: The page's side margins, and the page width below which they are halved.
GUTTER = 24
NARROW_GUTTER_BELOW = 600

#: Section ids that hold the declarations made on the check page rather than on a page of their own.
DECLARATION_SECTION_IDS = frozenset({"declaration", "declarations", "check_answers", "check_your_answers"})


def left_out_sentence(left_out: list[tuple[Field, int]]) -> str:
    """What sending will leave out, in words ("" when nothing): the documents attached under questions the
    answers no longer ask (``attachment_references.left_out_documents``). The question is named, never a
    file: the label is the form's text, a file name may be personal."""
    count = sum(n for _, n in left_out)
    if not count:
        return ""
    names = [f"“{field.label.removesuffix(' (optional)')}”" for field, _ in left_out]
    named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    which = "a question your answers no longer ask" if len(names) == 1 else "questions your answers no longer ask"
    if count == 1:
        return (f"1 document you attached will not be sent: it is attached to {named}, {which}. It stays with "
                "this draft and is sent if you change your answers so that the question is asked again.")
    again = "the question is" if len(names) == 1 else "the questions are"
    return (f"{count} documents you attached will not be sent: they are attached to {named}, {which}. They "
            f"stay with this draft and are sent if you change your answers so that {again} asked again.")


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
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop; it follows focus inside
        self.setAccessibleName(CHECK_TITLE)  # the context a screen reader speaks as focus enters the page
        content = QWidget(self)
        content.setMaximumWidth(960)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(GUTTER, 16, GUTTER, 24)
        self.summary = ErrorSummary(content)
        self.summary.link_activated.connect(self.link_activated)
        layout.addWidget(self.summary)
        self.title = QLabel(CHECK_TITLE, content)
        heading(self.title, 1)
        layout.addWidget(self.title)
        # GOV.UK's inset text: what sending will leave out, which the list below no longer shows.
        self.left_out_notice = plain_label("", content)
        self.left_out_notice.setWordWrap(True)
        self.left_out_notice.setProperty("role", "inset")
        self.left_out_notice.hide()
        layout.addWidget(self.left_out_notice)
        # Questions, answers and Change links: columns, or stacked when narrow (summary_list.py).
        self.answers_holder = SummaryList(content)
        self.answers_holder.arranged.connect(self._keep_focus_in_view, Qt.ConnectionType.QueuedConnection)
        layout.addWidget(self.answers_holder)
        if self.declaration is not None:
            declaration_title = WrapAnywhereLabel(self.declaration.title, content)  # no sideways scroll at 800 px
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
        self.viewport().installEventFilter(self)  # narrower gutters on a narrow page (_fit_gutters)

    def refresh(self) -> None:
        """Rebuild the answers summary from the current answers (only visible sections and questions)."""
        summary = self.answers_holder
        summary.clear()
        self.change_links = {}
        # The questions the form asks now, as the pages show them and validation checks them: one shown only
        # by the answer to a question now hidden is not listed (the model keeps its answer).
        answers = visible_answers(self.form, self.model.answers)
        self._say_left_out(left_out_sentence(left_out_documents(self.form, self.model.answers)))
        for section in self.form.sections:
            if section is self.declaration or not evaluate(section.visible_when, answers):
                continue
            summary.add_title(section.title, 2)
            for item in section.items:
                if isinstance(item, RepeatGroup):
                    if not evaluate(item.visible_when, answers):
                        continue
                    entries = answers.get(item.id)
                    items = entries if isinstance(entries, list) else []
                    if not items:
                        self._add_line(item.label, "None added", item.id)
                    for index, values in enumerate(items):
                        summary.add_title(item_title(item, index), 3)
                        for field in item.fields:
                            if not evaluate(field.visible_when, answers, values):
                                continue
                            path = FieldPath(field.id, item.id, index)
                            text = answer_text(field, values.get(field.id) if isinstance(values, dict) else None, self.form)
                            self._add_line(field.label, text, str(path))
                elif evaluate(item.visible_when, answers):
                    self._add_line(item.label, answer_text(item, answers.get(item.id), self.form), item.id)

    def _say_left_out(self, sentence: str) -> None:
        """Show (and give the Send button, so tabbing straight to it hears it) what sending will leave out;
        nothing for a referral already sent, of which "will not be sent" is no longer the news."""
        sentence = "" if self.read_only else sentence
        self.left_out_notice.setText(sentence)
        self.left_out_notice.setVisible(bool(sentence))
        self.send_button.setAccessibleDescription(sentence)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_gutters()
        return False

    def _fit_gutters(self) -> None:
        """Narrower side margins on a narrow page (GOV.UK's are 15 px on a phone): at the app's 12 pt text
        x 2 in an 800 px editor, the 24 px ones left "Send referral" a few pixels short of room, and the
        page scrolled sideways for it."""
        content = self.widget()
        layout = content.layout() if content is not None else None
        if layout is None:
            return
        gutter = GUTTER if self.viewport().width() >= NARROW_GUTTER_BELOW else GUTTER // 2
        margins = layout.contentsMargins()
        if margins.left() != gutter:
            layout.setContentsMargins(gutter, margins.top(), gutter, margins.bottom())

    def _add_line(self, label: str, value: str, path: str) -> None:
        line = self.answers_holder.add_line(label, value, change_link=not self.read_only)
        if line.link is not None:
            line.link.setProperty("path", path)
            line.link.clicked.connect(lambda _c=False, p=path: self.change_requested.emit(p))
            self.change_links[path] = line.link

    def answer_beside(self, link: QWidget) -> QLabel | None:
        """The answer a Change link is for (tests, and what a person sees beside it)."""
        line = self.answers_holder.line_of(link)
        return line.value if line is not None else None

    def _keep_focus_in_view(self) -> None:
        """The list was laid out anew (the window resized, the text size changed, the columns stacked):
        a focused Change link stays in sight, scrolled as little as that needs."""
        focused = QApplication.focusWidget()
        inner = self.widget()
        if focused is None or inner is None or not self.answers_holder.isAncestorOf(focused) or not self.isVisible():
            return
        settle_pending_layout()  # the page's new height first, or the scroll stops at the old end
        top = focused.mapTo(inner, QPoint(0, 0)).y()
        bottom, bar, view = top + focused.height(), self.verticalScrollBar(), self.viewport().height()
        if top < bar.value():
            bar.setValue(top)
        elif bottom > bar.value() + view:
            bar.setValue(min(top, bottom - view))

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
        self._say_left_out("")
        for row in self.declaration_rows.values():
            row.input.set_read_only(True)
