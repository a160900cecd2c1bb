"""A GOV.UK summary list: question | answer | Change, or, when narrow, question above answer above Change.

Shared by the check page (with Change links) and a sent referral's "What you sent" (without), so both
reflow alike. Why: as a grid, a column held open by a long question or an unbroken answer word (an email
address at 200 % text) made the page scroll sideways below about 1300 px, and long questions wrapped to
five lines and more beside answers with room to spare. The columns now share the width as
``summary_columns.py`` decides, every section in line; with too little room every section stacks, as
GOV.UK's summary list does on a small screen, and a word too long even for that is broken
(``wrap_anywhere_label.py``), so nothing is cut and nothing needs sideways scrolling.

Each widget stays where it is in the widget tree whatever the arrangement (it is only moved), so the
reading order and what a screen reader hears stay question, answer, "Change <question>", and a focused
link keeps its focus when the layout switches; ``arranged`` tells the page, which keeps it in view.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

from referral_desktop.ui.editor.link_button import LinkButton
from referral_desktop.ui.editor.summary_columns import columns_width
from referral_desktop.ui.editor.wrap_anywhere_label import WrapAnywhereLabel
from referral_desktop.ui.theme import heading


@dataclass(frozen=True)
class SummaryLine:
    key: WrapAnywhereLabel  # the question
    value: WrapAnywhereLabel  # the answer
    link: LinkButton | None  # "Change", or None where nothing can be changed
    rule: QFrame  # the line below


@dataclass(frozen=True)
class _Arrangement:
    key_width: int | None  # None: stacked
    height: int


class _SummaryLayout(QLayout):
    """The list's widgets in reading order (question, answer, link, rule; titles between), for whatever
    walks layouts (the editor's Tab order, ``reading_order.py``); the list itself places them."""

    def __init__(self, owner: SummaryList) -> None:
        super().__init__(owner)
        self._owner = owner
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt name)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt name)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def take_all(self) -> None:
        self._items = []
        self.invalidate()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._owner.heightForWidth(width)

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt name)
        return self._owner.minimumSizeHint()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return self._owner.sizeHint()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt name)
        super().setGeometry(rect)
        self._owner.arrange()


class SummaryList(QWidget):
    #: After the lines were placed anew (a resize, the text size changed): a page keeps focus in view.
    arranged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._entries: list[QLabel | SummaryLine] = []  # titles and lines, top to bottom
        self._arrangements: dict[int, _Arrangement] = {}
        self._layout = _SummaryLayout(self)

    # -- building ---------------------------------------------------------------------------------------
    @property
    def lines(self) -> list[SummaryLine]:
        return [entry for entry in self._entries if isinstance(entry, SummaryLine)]

    def clear(self) -> None:
        self._layout.take_all()
        for widget in self.children():
            if isinstance(widget, QWidget):
                widget.hide()  # until Qt deletes it, it was drawn under its replacement
                widget.deleteLater()
        self._entries = []
        self._changed()

    def add_title(self, text: str, level: int | None) -> QLabel:
        """A section's or a repeated item's title across the list (a heading of ``level``, or plain)."""
        title = WrapAnywhereLabel(text, self)  # a long word in a title breaks too, at 200 % on 800 px
        if level is not None:
            heading(title, level)
        self._layout.addWidget(title)
        self._entries.append(title)
        self._changed()
        return title

    def add_line(self, question: str, answer: str, *, change_link: bool = False) -> SummaryLine:
        """A question and its answer, and (``change_link``) a "Change" link named "Change <question>".
        Created in that order, the order they are read and tabbed through in either arrangement."""
        key = WrapAnywhereLabel(question, self, bold=True)
        value = WrapAnywhereLabel(answer, self, selectable=True)  # to copy an answer, as before
        link = LinkButton("Change", self, accessible_name=f"Change {question}") if change_link else None
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        line = SummaryLine(key, value, link, rule)
        for widget in (key, value, link, rule):
            if widget is not None:
                self._layout.addWidget(widget)  # in reading order; shown with the list
        self._entries.append(line)
        self._changed()
        return line

    def line_of(self, widget: QWidget) -> SummaryLine | None:
        return next((line for line in self.lines if widget in (line.key, line.value, line.link)), None)

    @property
    def stacked(self) -> bool:
        """Whether the lines are stacked (question above answer) at the list's width now."""
        return self._arrangement(self.width()).key_width is None

    def key_width(self) -> int | None:
        """The question column's width now (None when stacked)."""
        return self._arrangement(self.width()).key_width

    # -- measuring --------------------------------------------------------------------------------------
    def _gaps(self) -> tuple[int, int]:
        """(between columns, between lines), in proportion to the text."""
        metrics = self.fontMetrics()
        return metrics.averageCharWidth() * 2, max(4, metrics.height() // 3)

    def _links_width(self) -> int:
        return max((line.link.sizeHint().width() for line in self.lines if line.link is not None), default=0)

    def _key_width_for(self, width: int) -> int | None:
        lines = self.lines
        if not lines:
            return None
        gap, _between = self._gaps()
        links = self._links_width()
        available = width - gap - (gap + links if links else 0)
        return columns_width(
            available, lines[0].key.fontMetrics(),
            questions_need=max(line.key.widest_word() for line in lines),
            answers_need=max(line.value.widest_word() for line in lines),
            question_lines=lambda key_width: [line.key.line_count(key_width) for line in lines],
        )

    def _arrangement(self, width: int) -> _Arrangement:
        arrangement = self._arrangements.get(width)
        if arrangement is None:
            key_width = self._key_width_for(width)
            arrangement = _Arrangement(key_width, self._place(width, key_width, move=False))
            self._arrangements[width] = arrangement
        return arrangement

    def _place(self, width: int, key_width: int | None, *, move: bool) -> int:
        """Lay the entries out at ``width`` (stacked when ``key_width`` is None); their total height.
        With ``move``, the widgets are put there; without, only measured."""
        gap, between = self._gaps()
        links = self._links_width()
        y = 0

        def put(widget: QWidget, x: int, top: int, w: int) -> int:
            w = max(1, w)
            h = widget.heightForWidth(w) if widget.hasHeightForWidth() else widget.sizeHint().height()
            h = max(h, 0)
            if move:
                widget.setGeometry(QRect(x, top, w, h))
            return h

        for entry in self._entries:
            if isinstance(entry, QLabel):
                y += between * 2  # a title starts a new group (the first: below the page's own title)
                y += put(entry, 0, y, width) + between
                continue
            if key_width is None:  # GOV.UK's narrow layout: each the full width, one below the other
                y += put(entry.key, 0, y, width) + between // 2
                y += put(entry.value, 0, y, width)
                if entry.link is not None:
                    y += between // 2
                    y += put(entry.link, 0, y, min(width, entry.link.sizeHint().width()))
            else:
                answer_left = key_width + gap
                answer_width = width - answer_left - (gap + links if links else 0)
                height = max(put(entry.key, 0, y, key_width), put(entry.value, answer_left, y, answer_width))
                if entry.link is not None:
                    height = max(height, put(entry.link, width - links, y, links))
                y += height
            y += between
            y += put(entry.rule, 0, y, width) + between
        return y

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._arrangement(width).height

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """As narrow as its widest title word or link: the answers break where they must."""
        widths = [entry.minimumSizeHint().width() for entry in self._entries if isinstance(entry, QLabel)]
        widths += [part.minimumSizeHint().width() for line in self.lines for part in (line.key, line.value)]
        widths.append(self._links_width())
        return QSize(max(widths, default=0), self.fontMetrics().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        width = max(self.minimumSizeHint().width(), self.fontMetrics().averageCharWidth() * 90)
        return QSize(width, self.heightForWidth(width))

    # -- keeping the arrangement current ----------------------------------------------------------------
    def _changed(self) -> None:
        """Measure and place anew, once for a whole rebuild (the events are merged), not once a line."""
        self._arrangements = {}
        self.updateGeometry()
        QCoreApplication.postEvent(self, QEvent(QEvent.Type.LayoutRequest))

    def arrange(self) -> None:
        """Place the widgets for the list's width now."""
        arrangement = self._arrangement(self.width())
        self._place(self.width(), arrangement.key_width, move=True)
        self.arranged.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):  # the text size changed
            self._changed()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # lines added, a child's text or font changed
            self._arrangements = {}
            self.updateGeometry()
            if self.isVisible():
                self.arrange()
            return True
        return super().event(event)
