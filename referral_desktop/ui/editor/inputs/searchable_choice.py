"""A drop-down for a long code list (ethnicity, the outcome sought): an editable combo that filters as
you type anywhere in a choice's words ("brit" finds "White British").

Its closed box narrows with the page (never as wide as the longest choice, which at 200 % text pushed the
page sideways) and shows the chosen answer's first words; while the box cuts the answer, it is also written
whole under the box (cut with nothing to say so, "Social Care for a statu" read as the whole answer). The
list it opens and its suggestions show each choice whole, wrapped (``wrap_rows``), and a screen reader hears
the whole answer (the search box's text).
Once the referral can no longer be changed, the answer's words replace the box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget
from shiboken6 import isValid

from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.inputs.choice_inputs import Options
from referral_desktop.ui.editor.inputs.read_only_answer import ReadOnlyAnswer
from referral_desktop.ui.editor.wrapping_delegate import wrap_rows
from referral_desktop.ui.wheel_guard import GuardedComboBox


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
        # Not as wide as the longest option, nor 18 characters as it was: at 800 px and 200 % text either
        # pushed the page sideways. The open list shows each option whole, wrapped; the answer is heard whole.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.addItem("", None)
        for code, label in options:
            self.combo.addItem(label, code)
        self._search_box.setPlaceholderText("Start typing to search")
        completer = QCompleter([label for _, label in options], self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        for view in (self.combo.view(), completer.popup()):
            if isinstance(view, QListView):  # Qt's own for both
                wrap_rows(view)
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
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout()
        column.addLayout(layout)
        layout.addWidget(self.combo, 1)
        # Once the referral can no longer be changed: the chosen answer's words, read-only, selectable
        # and reached by Tab. The disabled drop-down it replaces could be neither read by Tab nor copied.
        self.answer_text = ReadOnlyAnswer(self)  # a long choice wraps, whole; heard as read-only text
        self.answer_text.setObjectName("input_single_choice_answer")
        self.answer_text.hide()
        layout.addWidget(self.answer_text, 1)
        layout.addStretch(0)
        # The chosen answer written whole, under the box, while the box is too narrow to show it whole.
        self.whole_answer = QLabel(self)
        self.whole_answer.setObjectName("input_single_choice_whole")
        self.whole_answer.setWordWrap(True)
        self.whole_answer.setTextFormat(Qt.TextFormat.PlainText)
        self.whole_answer.hide()
        column.addWidget(self.whole_answer)
        self._fit_to_choices()
        self.combo.currentIndexChanged.connect(self._show_start)
        self._search_box.installEventFilter(self)  # its resizes: the answer may no longer fit, or fit again

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
        self._show_whole_if_cut()

    def _show_whole_if_cut(self) -> None:
        """The chosen answer under the box, whole, while the box cuts it; nothing there otherwise (nor once
        read-only: the answer's words replace the box)."""
        chosen = self.combo.currentText() if self.combo.currentIndex() > 0 and self.combo.isVisibleTo(self) else ""
        box = self._search_box
        room = box.contentsRect().width() - box.textMargins().left() - box.textMargins().right() - 4  # Qt's 2 px a side
        cut = bool(chosen) and box.fontMetrics().horizontalAdvance(chosen) > room
        self.whole_answer.setText(chosen if cut else "")
        self.whole_answer.setVisible(cut)

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
        if watched is self._search_box and event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._show_whole_if_cut()
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
        self._show_whole_if_cut()

    def _show_answer_text(self) -> None:
        self.answer_text.show_text(self.combo.currentText() if self.combo.currentIndex() > 0 else "")

    def focus_target(self) -> QWidget:
        return self.answer_text if self.answer_text.isVisibleTo(self) else self.combo

    def set_read_only(self, read_only: bool) -> None:
        self._search_box.setReadOnly(read_only)
        self.combo.setEnabled(not read_only)
        self._show_answer_text()
        self.combo.setVisible(not read_only)
        self.answer_text.setVisible(read_only)
        self._show_whole_if_cut()
