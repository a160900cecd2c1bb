"""Dates typed as day / month / year (the GOV.UK date input), and date-times with a time box.

A spinner or calendar popup hides the year and is slow for dates of birth, so the three parts are small
text boxes. A complete, real date is stored as "YYYY-MM-DD" (date-time "YYYY-MM-DDTHH:MM", UK local
time). A half-typed or impossible date is stored too, as the parts joined with "-" (for example
"2019-2-31" or "-3-"), so nothing typed lives only in a widget; validation then says what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from referral_desktop.ui.editor.answer_text import date_words
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.inputs.one_line_edit import OneLineEdit
from referral_desktop.ui.editor.inputs.read_only_answer import ReadOnlyAnswer
from referral_desktop.ui.widgets.plain_label import plain_label

_SEPARATOR = r"[\s/.\-]+"
_UK_DATE = re.compile(rf"^(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{4}})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def split_whole_date(text: str) -> tuple[str, str, str] | None:
    """(day, month, year) of a whole date as copied from elsewhere: "12/03/2019", "12.3.2019",
    "12 03 2019" or "2019-03-12"; None for anything else. The digits are kept as written."""
    text = text.strip()
    if match := _UK_DATE.match(text):
        return match.group(1), match.group(2), match.group(3)
    if match := _ISO_DATE.match(text):
        return match.group(3), match.group(2), match.group(1)
    return None


def encode_date(day: str, month: str, year: str) -> str | None:
    day, month, year = day.strip(), month.strip(), year.strip()
    if not (day or month or year):
        return None
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            pass
    return f"{year}-{month}-{day}"


def decode_date(value: Any) -> tuple[str, str, str]:
    """(day, month, year) as shown in the boxes."""
    if not isinstance(value, str) or not value:
        return "", "", ""
    parts = value.split("-", 2)
    while len(parts) < 3:
        parts.append("")
    year, month, day = parts
    return day, month, year


def encode_time(text: str) -> str:
    """"9:05", "9.05", "0905" and "905" are 09:05 (the box asks for the 24-hour clock, like 14:30); anything
    else is kept as typed, for validation to say how to write it."""
    text = text.strip().replace(".", ":")
    written = f"{text[:-2]}:{text[-2:]}" if text.isdigit() and len(text) in (3, 4) else text  # colon left out
    hours, colon, minutes = written.partition(":")
    if colon and hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
        return f"{int(hours):02d}:{int(minutes):02d}"
    return text


class DateBox(OneLineEdit):
    """A Day, Month, Year or Time box. It takes any length (a length limit cut "12/03/2019" pasted into
    Day to "12" without a word; GOV.UK's date input sets none either): validation says what to fix.
    A whole date pasted into any of them goes to all three (``whole_date_pasted``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.whole_date_pasted: Callable[[tuple[str, str, str]], None] | None = None

    def insert_pasted(self, text: str) -> None:
        parts = split_whole_date(text)
        if parts is not None and self.whole_date_pasted is not None:
            self.whole_date_pasted(parts)
        else:
            super().insert_pasted(text)


def _labelled_box(parent: QWidget, caption: str, chars: int) -> tuple[QWidget, DateBox]:
    holder = QWidget(parent)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    label = plain_label(caption, holder)
    box = DateBox(holder)
    box.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    box.setFixedWidth(box.fontMetrics().horizontalAdvance("0") * (chars + 2) + 16)
    label.setBuddy(box)
    column.addWidget(label)
    column.addWidget(box)
    return holder, box


class DateInput(FieldInput):
    """Day, Month and Year boxes; with ``with_time`` also a Time box ("14:30").

    The Time box sits beside the date where the four fit on one line, and under it where they do not
    (at 800 px and 200 % text they needed 839 px, and the page scrolled sideways): the question asks only
    for the wider of its two lines (tests/ui/editor/test_narrow_questions.py)."""

    def __init__(self, with_time: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._with_time = with_time
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self._date_row = QHBoxLayout()
        self._date_row.setContentsMargins(0, 0, 0, 0)
        self._date_row.setSpacing(12)
        column.addLayout(self._date_row)
        day_holder, self.day = _labelled_box(self, "Day", 2)
        month_holder, self.month = _labelled_box(self, "Month", 2)
        year_holder, self.year = _labelled_box(self, "Year", 4)
        self._date_holders = (day_holder, month_holder, year_holder)
        for holder in self._date_holders:
            self._date_row.addWidget(holder)
        self._date_row.addStretch(1)
        self.time: DateBox | None = None
        self._time_holder: QWidget | None = None
        self._time_row = QHBoxLayout()
        self._time_row.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._time_row)
        self._time_below = True
        if with_time:
            self._time_holder, self.time = _labelled_box(self, "Time (24-hour, like 14:30)", 5)
            self.time.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
            self._time_row.addWidget(self._time_holder)
            self._time_row.addStretch(1)
        # Once the referral can no longer be changed: the date in words, as the check page writes it, in
        # place of the boxes (read_only_answer.py says why not the boxes made read-only).
        self.answer = ReadOnlyAnswer(self)
        self.answer.setObjectName("answer_date")
        self.answer.hide()
        column.addWidget(self.answer)
        for box in self._boxes():
            box.textEdited.connect(self._on_edited)
        for box in (self.day, self.month, self.year):
            box.whole_date_pasted = self._fill_date

    def _one_line_width(self) -> int:
        """The width the date and the time need side by side (the gap between them a wider one)."""
        holders = [*self._date_holders, self._time_holder]
        widths = [holder.sizeHint().width() for holder in holders if holder is not None]
        return sum(widths) + self._date_row.spacing() * (len(widths) + 1)

    def _place_time(self) -> None:
        """The Time box beside the date where both fit, else on the line below (the order Tab follows
        and a screen reader reads is the same either way: Day, Month, Year, Time)."""
        if self._time_holder is None:
            return
        below = self.width() < self._one_line_width()
        if below == self._time_below:
            return
        self._time_below = below
        if below:
            self._date_row.removeWidget(self._time_holder)
            self._time_row.insertWidget(0, self._time_holder)
        else:
            self._time_row.removeWidget(self._time_holder)
            self._date_row.insertWidget(len(self._date_holders), self._time_holder)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """The wider of the date's line and the time's: the two lines the question takes at the least."""
        hint = super().minimumSizeHint()
        if self._time_holder is None:
            return hint
        date_width = sum(h.minimumSizeHint().width() for h in self._date_holders) + 2 * self._date_row.spacing()
        width = max(date_width, self._time_holder.minimumSizeHint().width())
        return QSize(width, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._place_time()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # larger text chosen while the form is open
            self._place_time()

    def _fill_date(self, parts: tuple[str, str, str]) -> None:
        """A whole date pasted into one box: shown in all three and stored once, as if typed there."""
        for box, text in zip((self.day, self.month, self.year), parts, strict=True):
            box.setText(text)  # focus stays where the person pasted
        self._on_edited("")

    def _boxes(self) -> list[DateBox]:
        boxes = [self.day, self.month, self.year]
        if self.time is not None:
            boxes.append(self.time)
        return boxes

    def _value(self) -> str | None:
        """The boxes' answer, encoded as stored."""
        date_part = encode_date(self.day.text(), self.month.text(), self.year.text())
        if not self._with_time:
            return date_part
        time_part = encode_time(self.time.text()) if self.time is not None else ""
        if date_part is None and not time_part:
            return None
        return f"{date_part or '--'}T{time_part}"

    def _on_edited(self, _text: str) -> None:
        self._emit(self._value())

    def _show_value(self, value: Any) -> None:
        date_text, time_text = value, ""
        if self._with_time and isinstance(value, str):
            date_text, _, time_text = value.partition("T")
            if date_text == "--":
                date_text = ""
        day, month, year = decode_date(date_text)
        for box, text in ((self.day, day), (self.month, month), (self.year, year), (self.time, time_text)):
            if box is not None and box.text() != text:
                box.setText(text)
        self._show_answer()

    def _show_answer(self) -> None:
        value = self._value()
        self.answer.show_text(date_words(value, with_time=self._with_time) if value else "")

    def focus_target(self) -> QWidget:
        return self.answer if self.answer.isVisibleTo(self) else self.day

    def describe(self, name: str, description: str) -> None:
        parts = [(self.day, "day"), (self.month, "month"), (self.year, "year")]
        if self.time is not None:
            parts.append((self.time, "time"))
        for box, part in parts:
            box.setAccessibleName(f"{name}, {part}")
            box.setAccessibleDescription(description)
        self.answer.setAccessibleName(name)
        self.answer.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        for box in self._boxes():
            box.setReadOnly(read_only)
        for holder in (*self._date_holders, self._time_holder):
            if holder is not None:
                holder.setVisible(not read_only)
        self._show_answer()
        self.answer.setVisible(read_only)
