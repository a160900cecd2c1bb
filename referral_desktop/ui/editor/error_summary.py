"""The GOV.UK error summary: "There is a problem", then one link per error that takes you to the field.

It takes focus when shown, so a screen reader announces the problems and Tab moves through the links;
while it has focus a 3 px line in the text colour runs just inside its red border, so a sighted keyboard user
sees where the next Tab starts (the style sheet's border alone looked the same focused or not).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.editor.link_button import LinkButton
from referral_desktop.ui.theme import heading

#: The red border's width (resources/govuk.qss, QFrame#errorSummary), and the focus line drawn inside
#: it with a gap, so it reads as a second line even where the error colour is near the text colour (dark).
BORDER, GAP, FOCUS_LINE = 5, 3, 3


class ErrorSummary(QFrame):
    link_activated = Signal(str)  # the field path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorSummary")
        # The 5 px border in the error colour: resources/govuk.qss (QFrame#errorSummary).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("There is a problem")
        self.title = QLabel("There is a problem", self)
        heading(self.title, 2)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.addWidget(self.title)
        self.links: list[LinkButton] = []
        self.hide()

    def set_errors(self, errors: list[tuple[str, str]]) -> None:
        for link in self.links:
            self._layout.removeWidget(link)
            link.deleteLater()
        self.links = []
        for path, message in errors:
            link = LinkButton(message, self)
            link.setProperty("path", path)
            link.clicked.connect(lambda _checked=False, p=path: self.link_activated.emit(p))
            self._layout.addWidget(link)
            self.links.append(link)
        self.setAccessibleDescription(" ".join(message for _, message in errors))
        self.setVisible(bool(errors))
        # The links come straight after the summary in Tab order (new widgets would otherwise go to
        # the end of the window's chain, after every question and button).
        previous: QWidget = self
        for link in self.links:
            QWidget.setTabOrder(previous, link)
            previous = link

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        # Painted again as focus comes and goes: Qt's own focus handlers ask for it (QWidget::focusInEvent).
        super().paintEvent(event)
        if not self.hasFocus():
            return
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.WindowText), FOCUS_LINE)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        inset = BORDER + GAP + FOCUS_LINE // 2
        painter.drawRect(self.rect().adjusted(inset, inset, -inset - 1, -inset - 1))
        painter.end()

    def take_focus(self) -> None:
        """Focus the summary (GOV.UK: it takes focus when it appears) and announce the problems."""
        if self.isVisible():
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            messages = " ".join(link.text() for link in self.links)
            announce(self, f"There is a problem. {messages}".strip(), assertive=True)


def show_top_of(page: QScrollArea, summary: ErrorSummary, margin: int = 8) -> None:
    """Scroll ``page`` so the summary's top ("There is a problem", the first problems) is in view: Qt's
    ``ensureWidgetVisible`` showed the foot of a summary taller than the page (many problems at 200 %)."""
    inner = page.widget()
    top = summary.mapTo(inner, summary.rect().topLeft()).y() if inner is not None else 0
    page.verticalScrollBar().setValue(max(0, top - margin))
