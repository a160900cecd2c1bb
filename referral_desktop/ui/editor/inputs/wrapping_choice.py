"""Radio buttons and check boxes whose words wrap to the width they are given, as GOV.UK's labels do.

Why: Qt draws a choice's words on one line and asks for that line's width, so at 200 % text "The person
concerned (the child or young person)" needed 870 px, and on an 800 px window the page scrolled sideways
with the section's own words cut at its right edge. These ask for their longest word's width, take the
height their words need at the width they get (height-for-width), and draw those words broken onto lines
by the style, so the style sheet's colours, focus and mark are the style's own. What a screen reader hears
is the text unchanged (each input names its buttons, choice_inputs.py).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QCheckBox, QRadioButton, QSizePolicy, QStyle, QStyleOptionButton, QStylePainter, QWidget

_Kind = tuple[QStyle.ContentsType, QStyle.SubElement, QStyle.ControlElement]
RADIO: _Kind = (QStyle.ContentsType.CT_RadioButton, QStyle.SubElement.SE_RadioButtonContents,
                QStyle.ControlElement.CE_RadioButton)
CHECK: _Kind = (QStyle.ContentsType.CT_CheckBox, QStyle.SubElement.SE_CheckBoxContents, QStyle.ControlElement.CE_CheckBox)


class _Wrapping:
    """What both share; mixed in before the Qt class (``self`` is a QRadioButton or QCheckBox)."""

    _kind: _Kind

    def _wraps(self: QRadioButton | QCheckBox) -> None:  # type: ignore[misc]
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)  # Qt's Fixed held it at one line's height
        self.setSizePolicy(policy)

    def _option(self, text: str) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)  # type: ignore[attr-defined]
        option.text = text
        return option

    def _lines(self, width: int) -> str:
        """The text with a line break wherever the next word would pass the room beside the mark."""
        option = self._option(self.text())  # type: ignore[attr-defined]
        option.rect = QRect(0, 0, width, 1000)
        room = self.style().subElementRect(self._kind[1], option, self).width()  # type: ignore[attr-defined]
        metrics = self.fontMetrics()  # type: ignore[attr-defined]
        lines: list[str] = []
        line = ""
        for word in self.text().split():  # type: ignore[attr-defined]
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
        return "\n".join(lines)

    def _size_for(self, text: str) -> QSize:
        size = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text)  # type: ignore[attr-defined]
        return self.style().sizeFromContents(self._kind[0], self._option(text), size, self)  # type: ignore[attr-defined]

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """As narrow as its longest word beside the mark: the rest wraps."""
        longest = max(self.text().split() or [""], key=self.fontMetrics().horizontalAdvance)  # type: ignore[attr-defined]
        return self._size_for(longest)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._size_for(self._lines(width)).height()

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 (Qt name)
        """Every line of the words answers a click, not only the first line's width."""
        return self.rect().contains(pos)  # type: ignore[attr-defined]

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        assert isinstance(self, QWidget)
        painter = QStylePainter(self)
        painter.drawControl(self._kind[2], self._option(self._lines(self.width())))


class WrappingRadioButton(_Wrapping, QRadioButton):
    _kind = RADIO

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._wraps()


class WrappingCheckBox(_Wrapping, QCheckBox):
    _kind = CHECK

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._wraps()
