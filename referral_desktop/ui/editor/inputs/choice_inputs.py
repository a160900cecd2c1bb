"""Choices: radio buttons (yes/no, yes/no/not known, short lists), a searchable combo for code lists,
and check boxes or a filterable checklist for multiple choice.

Radio buttons show every option at once (GOV.UK's advice for up to about a dozen); a long code list
such as ethnicity is a combo that filters as you type anywhere in the label; a long multiple-choice list
such as the concern categories gets a filter box above a checklist. Values are option codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.inputs.wrapping_choice import WrappingCheckBox, WrappingRadioButton
from referral_desktop.ui.editor.wrapping_delegate import WrappingDelegate
from referral_desktop.ui.wheel_guard import GuardedComboBox
from referral_desktop.ui.widgets.radio_keys import RadioGroupKeys

Options = Sequence[tuple[str, str]]  # (code, label)

YES_NO: Options = (("yes", "Yes"), ("no", "No"))
YES_NO_UNKNOWN: Options = (("yes", "Yes"), ("no", "No"), ("not_known", "Not known"))


class RadioInput(FieldInput):
    """One radio button per option; yes/no style lists sit side by side, longer ones stacked."""

    def __init__(self, options: Options, inline: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QHBoxLayout(self) if inline else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._inline, self._options_layout = inline, layout
        self._space_options()
        for code, label in options:
            button = WrappingRadioButton(label, self)
            button.setObjectName(f"option_{code}")
            self._group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
            button.toggled.connect(lambda checked, c=code: self._chosen_if_checked(c, checked))
        if inline:
            layout.addStretch(1)
        self._keys = RadioGroupKeys(self._group)  # one Tab stop; the arrow keys move and choose

    def _space_options(self) -> None:
        """Side by side, about an em between one option's words and the next circle (GOV.UK's inline
        radios), growing with the text as the gap beside each circle does: a fixed 16 px was, at 200 %
        text, hardly wider than that gap, and "Yes" read as the next circle's (tests/ui/editor/
        test_choice_label_gap.py)."""
        self._options_layout.setSpacing(max(16, self.fontMetrics().height()) if self._inline else 4)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FontChange:
            self._space_options()
        super().changeEvent(event)

    def _chosen_if_checked(self, code: str, checked: bool) -> None:
        if checked:
            self._emit(code)

    def _show_value(self, value: Any) -> None:
        button = self.buttons.get(value) if isinstance(value, str) else None
        if button is not None:
            button.setChecked(True)
        else:
            # An exclusive group refuses to uncheck its last button: lift the rule for a moment.
            self._group.setExclusive(False)
            for other in self.buttons.values():
                other.setChecked(False)
            self._group.setExclusive(True)

    def focus_target(self) -> QWidget:
        checked = self._group.checkedButton()
        return checked if checked is not None else next(iter(self.buttons.values()))

    def describe(self, name: str, description: str) -> None:
        for button in self.buttons.values():
            button.setAccessibleName(f"{name}: {button.text()}")
            button.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not read_only or button.isChecked())
            button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self._keys.keep_one_tab_stop()


class SearchableChoiceInput(FieldInput):
    """An editable combo whose completer matches anywhere in the label ("brit" finds "White British")."""

    def __init__(self, options: Options, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codes = [code for code, _ in options]
        self._value: Any = None
        self.combo = GuardedComboBox(self)  # the wheel changes it only while it has focus
        self.combo.setObjectName("input_single_choice")
        self.combo.setEditable(True)
        search_box = self.combo.lineEdit()
        assert search_box is not None  # an editable combo has its line edit from here on
        self._search_box = search_box
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Not as wide as the longest option: with 200 % text that would push the page sideways. The list
        # that drops down still shows each option in full.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(18)
        self.combo.addItem("", None)
        for code, label in options:
            self.combo.addItem(label, code)
        self._search_box.setPlaceholderText("Start typing to search")
        completer = QCompleter([label for _, label in options], self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        # activated is overloaded (str, QModelIndex); PySide6's stubs have no signal indexing:
        completer.activated[str].connect(self._on_label_chosen)  # type: ignore[index]
        self.combo.activated.connect(self._on_index_chosen)
        # A combo's line edit does not report editingFinished when Tab closes the completer popup, so the
        # typed text is matched as it changes (an exact label) and again when focus leaves (a unique match).
        self._search_box.textEdited.connect(self._on_text_edited)
        self._search_box.editingFinished.connect(self._on_text_committed)
        self.combo.installEventFilter(self)
        # The box takes the room first, up to the longest choice's width, so the chosen answer is seen
        # whole where the page has room (with a 3:1 share of the row, 'What outcome are you seeking?' read
        # 'ial Care for a statutory assessment' at 200 % text); on a narrow page it shrinks with the page,
        # and the answer shows its start (see _show_start).
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        # Once the referral can no longer be changed: the chosen answer's words, read-only, selectable
        # and reached by Tab. The disabled drop-down it replaces could be neither read by Tab nor copied.
        self.answer_text = QLineEdit(self)
        self.answer_text.setObjectName("input_single_choice_answer")
        self.answer_text.setReadOnly(True)
        self.answer_text.hide()
        layout.addWidget(self.answer_text, 1)
        layout.addStretch(0)
        self._fit_to_choices()
        self.combo.currentIndexChanged.connect(self._show_start)

    def _fit_to_choices(self) -> None:
        longest = max((self.fontMetrics().horizontalAdvance(self.combo.itemText(i)) for i in range(self.combo.count())),
                      default=0)
        # The text's margins, the style sheet's padding and the drop-down button: about 3 em.
        self.combo.setMaximumWidth(longest + 3 * self.fontMetrics().height())

    def _show_start(self, *_args: object) -> None:
        """A chosen answer wider than its box shows its first words, not its last: the line edit keeps
        its cursor where the text ends, which scrolled the start out of sight. Not while the person types."""
        if not self._search_box.hasFocus():
            self._search_box.setCursorPosition(0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # larger text chosen while the form is open
            self._fit_to_choices()

    def describe(self, name: str, description: str) -> None:
        """The combo and the search box inside it are both named by the question (the box is what has
        focus while typing; unnamed, a screen reader says only "Start typing to search")."""
        super().describe(name, description)
        for box in (self._search_box, self.answer_text):
            box.setAccessibleName(name)
            box.setAccessibleDescription(description)

    def _on_label_chosen(self, label: str) -> None:
        index = self.combo.findText(label, Qt.MatchFlag.MatchFixedString)
        if index > 0:
            self.combo.setCurrentIndex(index)
            self._emit(self.combo.itemData(index))

    def _on_index_chosen(self, index: int) -> None:
        self._emit(self.combo.itemData(index))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if watched is self.combo and event.type() == QEvent.Type.FocusOut:
            self._on_text_committed()
            if isValid(self._search_box):  # (not when the form closes: the box goes first)
                self._search_box.setCursorPosition(0)  # the answer's first words, once the person has left it
        return False

    def _on_text_edited(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._emit(None)
            return
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index > 0:
            self._emit(self.combo.itemData(index))

    def _on_text_committed(self) -> None:
        text = self.combo.currentText().strip()
        if not text:
            self._emit(None)
            return
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            # Typed text that uniquely starts or contains one label is taken as that label.
            matches = [i for i in range(1, self.combo.count()) if text.lower() in self.combo.itemText(i).lower()]
            index = matches[0] if len(matches) == 1 else -1
        if index > 0:
            self.combo.setCurrentIndex(index)
            self._emit(self.combo.itemData(index))
        else:
            # Text that names no option is not an answer: show the answer that is kept.
            self.set_value(self._value)

    def _emit(self, value: Any) -> None:
        self._value = value
        super()._emit(value)

    def _show_value(self, value: Any) -> None:
        self._value = value
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        if index <= 0:
            self.combo.setEditText("")
        self._search_box.setCursorPosition(0)  # an answer loaded or put back shows its first words
        self._show_answer_text()

    def _show_answer_text(self) -> None:
        self.answer_text.setText(self.combo.currentText() if self.combo.currentIndex() > 0 else "")
        self.answer_text.setCursorPosition(0)

    def focus_target(self) -> QWidget:
        return self.answer_text if self.answer_text.isVisibleTo(self) else self.combo

    def set_read_only(self, read_only: bool) -> None:
        self._search_box.setReadOnly(read_only)
        self.combo.setEnabled(not read_only)
        self._show_answer_text()
        self.combo.setVisible(not read_only)
        self.answer_text.setVisible(read_only)


class CheckboxesInput(FieldInput):
    """One check box per option; the value is the list of ticked codes in the options' order."""

    def __init__(self, options: Options, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for code, label in options:
            box = WrappingCheckBox(label, self)
            box.setObjectName(f"option_{code}")
            self.boxes[code] = box
            layout.addWidget(box)
            box.toggled.connect(self._on_toggled)

    def _on_toggled(self, _checked: bool) -> None:
        self._emit([code for code, box in self.boxes.items() if box.isChecked()])

    def _show_value(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()))

    def describe(self, name: str, description: str) -> None:
        for box in self.boxes.values():
            box.setAccessibleName(f"{name}: {box.text()}")
            box.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)


class FilterableChecklistInput(FieldInput):
    """A filter box over a checklist (Space ticks the current item), with the ticked ones counted."""

    def __init__(self, options: Options, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order = [code for code, _ in options]
        self.model = QStandardItemModel(self)
        for code, label in options:
            item = QStandardItem(label)
            item.setData(code, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.model.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to filter the list")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        # A choice longer than the list is wide wraps onto a second line (never "... is the subj…" at
        # 200 % text, nor a sideways scroll to read it); rows are as tall as their wrapped words.
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # wrap width never jumps
        self.list.setItemDelegate(WrappingDelegate(self.list))
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 10)
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 14)
        self.count_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.count_label)
        self.model.itemChanged.connect(self._on_item_changed)
        self._update_count()

    def chosen(self) -> list[str]:
        return [
            self.model.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _chosen_labels(self) -> list[str]:
        return [
            self.model.item(row).text()
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _update_count(self) -> None:
        labels = self._chosen_labels()
        self.count_label.setText(
            f"{len(labels)} selected: " + "; ".join(labels) if labels else "None selected"
        )
        self.count_label.setWordWrap(True)

    def _on_item_changed(self, _item: QStandardItem) -> None:
        self._update_count()
        self._emit(self.chosen())

    def _show_value(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        self.model.blockSignals(True)
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.model.blockSignals(False)
        self.list.viewport().update()
        self._update_count()

    def set_checked(self, code: str, checked: bool) -> None:
        """Tick or untick one option as a user would (used by tests and keyboard helpers)."""
        row = self._order.index(code)
        self.model.item(row).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def focus_target(self) -> QWidget:
        return self.filter if self.filter.isVisibleTo(self) else self.list

    def describe(self, name: str, description: str) -> None:
        self.filter.setAccessibleName(f"{name}: filter")
        self.filter.setAccessibleDescription(description)
        self.list.setAccessibleName(name)
        self.list.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        self.filter.setReadOnly(read_only)
        # No box to type in where nothing can be chosen (read-only, it looked like one that took typing).
        self.filter.setVisible(not read_only)
        for row in range(self.model.rowCount()):
            self.model.item(row).setCheckable(not read_only)
            self.model.item(row).setEnabled(not read_only or self.model.item(row).checkState() == Qt.CheckState.Checked)
