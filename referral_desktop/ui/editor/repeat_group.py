"""A repeatable group on screen (children, parents and carers, professionals): items, add and remove.

Each item is a titled panel ("Child 2") of the group's questions with its own "Remove child 2" button;
"Add another child" sits below. Both respect the group's min/max, and the group shows at least its
minimum number of items. Removing an item renumbers the rest, so panels are rebuilt from the model.

Removing a child, carer or professional takes away everything typed about them with one click, so it is
never final at once: a notice ("Child 2 removed.") with an **Undo** link puts the item back, answers and
all, where it was, until the next removal or addition.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.editor.answer_paths import FieldPath, is_answered
from referral_desktop.ui.editor.error_message import ErrorMessage
from referral_desktop.ui.editor.field_row import FieldRow
from referral_desktop.ui.editor.link_button import LinkButton
from referral_desktop.ui.editor.pending_layout import settle_pending_layout, show_whole
from referral_desktop.ui.editor.row_builder import RowBuilder
from referral_desktop.ui.editor.wrapping_button import WrappingButton
from referral_desktop.ui.theme import heading
from referral_desktop.ui.widgets.plain_label import plain_label


def item_title(group: RepeatGroup, index: int) -> str:
    """"Child 2" from the item label "child" and a 0-based index."""
    label = group.item_label
    return f"{label[:1].upper()}{label[1:]} {index + 1}"


class RepeatGroupView(QWidget):
    rows_rebuilt = Signal()

    def __init__(self, group: RepeatGroup, rows: RowBuilder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self._rows = rows
        self.model = rows.model
        self.read_only = rows.context.read_only
        self.item_rows: list[list[FieldRow]] = []
        self.remove_buttons: list[QPushButton] = []
        self._panels: list[QFrame] = []
        self._titles: list[QLabel] = []
        self.title = plain_label(group.label, self)
        heading(self.title, 2)
        self.hint = plain_label(group.hint or "", self)
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(group.hint))
        self.error = ErrorMessage(self)
        self.error.bar.hide()  # each item's questions carry their own bars; the group's message suffices
        self.items_box = QVBoxLayout()
        self.items_box.setSpacing(12)
        self.add_button = WrappingButton("", self)  # "Add another parent or carer" wraps on a narrow page
        self.add_button.clicked.connect(self.add_item)
        self.limit_note = QLabel(self)
        self.limit_note.setWordWrap(True)
        self._removed: tuple[int, dict] | None = None
        self.removed_note = QLabel(self)
        self.removed_note.setObjectName("removedNote")
        self.undo_button = LinkButton("Undo", self)
        self.undo_button.clicked.connect(self.undo_remove)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.removed_note)
        undo_row.addWidget(self.undo_button)
        undo_row.addStretch(1)
        self._show_undo(None)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.limit_note)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addLayout(self.items_box)
        layout.addLayout(undo_row)
        layout.addLayout(bottom)
        if not self.read_only:
            self.model.ensure_items(group.id, group.min_items)
        self.rebuild()

    @property
    def count(self) -> int:
        return self.model.item_count(self.group.id)

    def rebuild(self) -> None:
        for panel in self._panels:
            self.items_box.removeWidget(panel)
            panel.deleteLater()
        self._panels, self.item_rows, self.remove_buttons, self._titles = [], [], [], []
        for index in range(self.count):
            self._build_item(index)
        self._update_buttons()
        self.refresh_visibility()
        self.rows_rebuilt.emit()

    def _build_item(self, index: int) -> None:
        panel = QFrame(self)
        panel.setObjectName("repeatItem")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setAccessibleName(item_title(self.group, index))  # "Child 2": the group, named
        column = QVBoxLayout(panel)
        header = QHBoxLayout()
        title = plain_label(item_title(self.group, index), panel)
        heading(title, 3)
        header.addWidget(title, 1)
        remove = WrappingButton(f"Remove {item_title(self.group, index).lower()}", panel)
        remove.setAccessibleName(f"Remove {item_title(self.group, index)}")
        remove.clicked.connect(lambda _c=False, i=index: self.remove_item(i))
        remove.setAutoDefault(False)
        column.addLayout(header)
        rows = []
        for field in self.group.fields:
            path = FieldPath(field.id, self.group.id, index)
            row = self._rows.build(field, path, panel)
            row.set_context(item_title(self.group, index))
            column.addWidget(row)
            rows.append(row)
        # The remove button sits after the item's questions, so Tab order stays reading order.
        footer = QHBoxLayout()
        footer.addWidget(remove)
        footer.addStretch(1)
        column.addLayout(footer)
        self.items_box.addWidget(panel)
        if self.isVisible():
            panel.show()  # at once, so focus can move into the new item
        self._panels.append(panel)
        self._titles.append(title)
        self.item_rows.append(rows)
        self.remove_buttons.append(remove)

    def _update_buttons(self) -> None:
        count, group = self.count, self.group
        noun = group.item_label
        self.add_button.setText(f"Add another {noun}" if count else f"Add a {noun}")
        self.add_button.setVisible(not self.read_only)
        self.add_button.setEnabled(count < group.max_items)
        self.limit_note.setText(
            f"You can add up to {group.max_items}." if count >= group.max_items and not self.read_only else ""
        )
        for button in self.remove_buttons:
            button.setVisible(not self.read_only and count > group.min_items)

    def add_item(self) -> None:
        if self.read_only or self.count >= self.group.max_items:
            return
        self._show_undo(None)
        index = self.model.add_item(self.group.id)
        self.rebuild()
        self._focus_item(index)

    def remove_item(self, index: int) -> None:
        if self.read_only or self.count <= self.group.min_items:
            return
        removed = self.model.remove_item(self.group.id, index)
        self.rebuild()
        if removed is not None:
            self._removed = (index, removed)
            self._show_undo(f"{item_title(self.group, index)} removed.")
            announce(self.undo_button, f"{item_title(self.group, index)} removed. Undo is available.")
            self.undo_button.setFocus()
            return
        if self.item_rows:
            target = self.item_rows[min(index, len(self.item_rows) - 1)]
            visible = [row for row in target if not row.isHidden()]
            if visible:
                visible[0].focus_input()
                return
        self.add_button.setFocus()

    def _show_undo(self, message: str | None) -> None:
        if message is None:
            self._removed = None
        self.removed_note.setText(message or "")
        self.removed_note.setVisible(bool(message))
        self.undo_button.setVisible(bool(message))
        self.undo_button.setAccessibleName(f"Undo: {message}" if message else "Undo")

    def undo_remove(self) -> None:
        """Put the last removed item back where it was, with its answers, and focus its first question."""
        if self._removed is None or self.read_only or self.count >= self.group.max_items:
            return
        index, item = self._removed
        self._show_undo(None)
        self.model.insert_item(self.group.id, index, item)
        self.rebuild()
        self._focus_item(index)

    def _focus_item(self, index: int) -> None:
        """Focus item ``index``'s first question, and scroll the page to show it under the item's title
        ("Child 2"). The item is built below the foot of the last one, often out of sight: focus given
        there without scrolling landed where nobody could see it (at 200 % text, every time)."""
        visible = [row for row in self.item_rows[index] if not row.isHidden()]
        if not visible:
            return
        target = visible[0].input.focus_target()
        visible[0].focus_input()
        page = self.parentWidget()
        while page is not None and not isinstance(page, QScrollArea):
            page = page.parentWidget()
        if page is None:
            return
        settle_pending_layout()  # the new panel's place
        page.ensureWidgetVisible(self._titles[index], 0, 8)  # its title, when the two fit together
        show_whole(page, target, 8)

    def refresh_visibility(self) -> None:
        answers = self._rows.shown_answers()
        # Each item as validation reads it (``visible_answers``): a question shown only by the answer to a
        # question of the same item that is now hidden is hidden too (an unborn baby's SEN details).
        shown = answers.get(self.group.id)
        items = shown if isinstance(shown, list) and self.count else []
        for index, rows in enumerate(self.item_rows):
            item = items[index] if index < len(items) else {}
            for row in rows:
                row.setHidden(not evaluate(row.field.visible_when, answers, item))

    def first_row_of_an_empty_item(self) -> FieldRow | None:
        """The first question shown of the first item with no answer yet, or None."""
        items = self.model.items(self.group.id) if self.count else []
        for index, rows in enumerate(self.item_rows):
            item = items[index] if index < len(items) else {}
            shown = [row for row in rows if not row.isHidden()]
            if shown and not any(is_answered(value) for value in item.values()):
                return shown[0]
        return None

    def all_rows(self) -> list[FieldRow]:
        return [row for rows in self.item_rows for row in rows]

    def set_group_error(self, message: str | None) -> None:
        self.error.show_error(message, [self.add_button])

    def row_for(self, path: FieldPath) -> FieldRow | None:
        if path.index is None or not 0 <= path.index < len(self.item_rows):
            return None
        for row in self.item_rows[path.index]:
            if row.field.id == path.field_id:
                return row
        return None

    def each_row(self, fn: Callable[[FieldRow], None]) -> None:
        for row in self.all_rows():
            fn(row)
