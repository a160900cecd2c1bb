"""Choices: radio buttons (yes/no, yes/no/not known, short lists), and check boxes or a filterable
checklist for multiple choice (a long code list's drop-down is searchable_choice.py).

Radio buttons show every option at once (GOV.UK's advice for up to about a dozen); a long multiple-choice
list such as the concern categories gets a filter box above a checklist. Values are option codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListView,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.inputs.wrapping_choice import WrappingCheckBox, WrappingRadioButton
from referral_desktop.ui.editor.wrapping_delegate import WrappingDelegate
from referral_desktop.ui.widgets.radio_keys import RadioGroupKeys

Options = Sequence[tuple[str, str]]  # (code, label)

YES_NO: Options = (("yes", "Yes"), ("no", "No"))
YES_NO_UNKNOWN: Options = (("yes", "Yes"), ("no", "No"), ("not_known", "Not known"))


class RadioInput(FieldInput):
    """One radio button per option; yes/no style lists sit side by side, longer ones stacked.

    Side by side only where they fit: on a narrow page at large text they stack, as GOV.UK's inline
    radios do on a small screen (at 800 px and 200 % text "Yes", "No" and "Not known" in a child's
    details needed more than the page had, and it scrolled sideways; tests/ui/editor/
    test_narrow_questions.py)."""

    def __init__(self, options: Options, inline: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QBoxLayout(QBoxLayout.Direction.LeftToRight if inline else QBoxLayout.Direction.TopToBottom, self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._inline, self._options_layout = inline, layout
        self._side_by_side = inline
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
        self._options_layout.setSpacing(max(16, self.fontMetrics().height()) if self._side_by_side else 4)

    def _one_line_width(self) -> int:
        widths = [button.sizeHint().width() for button in self.buttons.values()]
        return sum(widths) + max(16, self.fontMetrics().height()) * (len(widths) - 1)

    def _place_options(self) -> None:
        """Side by side where the options fit the width given, else one under another."""
        side_by_side = self._inline and self.width() >= self._one_line_width()
        if side_by_side == self._side_by_side:
            return
        self._side_by_side = side_by_side
        self._options_layout.setDirection(
            QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom)
        self._space_options()
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """Side-by-side options ask only for their widest option's width: narrower, they stack."""
        hint = super().minimumSizeHint()
        if not self._inline or not self.buttons:
            return hint
        return QSize(max(button.minimumSizeHint().width() for button in self.buttons.values()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._place_options()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FontChange:
            self._space_options()
            self._place_options()
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
