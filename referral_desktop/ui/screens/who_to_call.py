"""Who to call now: the services open at this moment, 999 always first, refreshed every minute.

Why: the guidance says urgent concerns go by phone, not by form. The panel is on the home screen all the
time, and in large type when a new referral says a child is in immediate danger. The list comes from
the domain (contacts are data, hours overridable by policy); this widget only shows it.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import format_time
from referral_desktop.ui.theme import heading

log = logging.getLogger(__name__)

EMERGENCY_FALLBACK = [("999", "Emergency services", "999", "Emergency — always", "emergency")]


def number_text(number: Any) -> str:
    """A contact number as text, whether the domain gives strings or small objects."""
    if isinstance(number, str):
        return number
    for attr in ("display", "number", "value"):
        value = getattr(number, attr, None)
        if value:
            label = getattr(number, "label", None)
            return f"{value} ({label})" if label else str(value)
    return str(number)


def confirmed_numbers(numbers: Any) -> list[Any]:
    """The numbers to put in front of someone phoning now: a number still to be confirmed (``verify`` in
    the contacts data, such as EDT's contingency line) is left out, and is shown, marked, only on the
    contacts page, until the deployment's policy confirms it (``verify = false``). A wrong number read in
    large type in an emergency costs more than a missing fallback line."""
    confirmed = [n for n in numbers if not getattr(n, "verify", False)]
    return confirmed or list(numbers)


def open_services(context: AppContext) -> list[tuple[str, str, str, str, str]]:
    """(service id, name, numbers or address, why, kind) for everything open now; 999 even if the
    contacts cannot be loaded."""
    try:
        from referral_desktop.domain.contacts import who_to_call

        services = who_to_call(context.clock(), context.contact_directory())
        rows = [
            (str(s.service_id), str(s.name),
             " or ".join(number_text(n) for n in confirmed_numbers(s.numbers))
             or str(getattr(s, "address", "") or ""),
             str(s.why or ""), str(getattr(s, "kind", "service")))
            for s in services
        ]
    except Exception as exc:  # never leave the professional without a number to call
        log.warning("who-to-call unavailable: %s", type(exc).__name__)
        rows = []
    if not any("999" in r[2] for r in rows):
        rows = EMERGENCY_FALLBACK + rows
    return rows


#: The digits of a phone number (999, 101, 0300 123 7047): what goes in large type. What a number is for
#: (its label, "Non-emergency: report a crime ...") stays at body size, so the numbers stand out.
PHONE_NUMBER = re.compile(r"(?<![\w:])\d[\d ]*\d(?![\w:])")


def services_html(rows: list[tuple[str, str, str, str, str]], large: bool, base_points: float = 10.0) -> str:
    """Phone services in full (numbers in large type when ``large``); offices open now in one line."""
    number_points = base_points * (2.0 if large else 1.25)
    parts = []
    offices = [name for _sid, name, _n, _w, kind in rows if kind == "office"]
    for _sid, name, numbers, why, kind in rows:
        if kind == "office":
            continue
        large_numbers = PHONE_NUMBER.sub(
            lambda found: f"<span style='font-size:{number_points:.0f}pt; font-weight:bold'>{found.group(0)}</span>",
            html.escape(numbers),
        )
        parts.append(
            f"<p style='margin-bottom:10px'><b>{html.escape(name)}</b><br>{large_numbers}<br>"
            f"{html.escape(why)}</p>"
        )
    if offices:
        parts.append(f"<p>Duty offices open now: {html.escape(', '.join(offices))}.</p>")
    return "".join(parts)


def services_spoken(rows: list[tuple[str, str, str, str, str]]) -> str:
    """The list's accessible name: what the panel shows, in the same order (each service, its numbers and
    why or until when; the duty offices open now by name), so a screen reader hears that iART closes at
    17:00 as a sighted user reads it, and no address the panel does not show."""
    parts = [f"{name}, {numbers}, {why}" if why else f"{name}, {numbers}"
             for _sid, name, numbers, why, kind in rows if kind != "office"]
    offices = [name for _sid, name, _n, _w, kind in rows if kind == "office"]
    if offices:
        parts.append(f"Duty offices open now: {', '.join(offices)}")
    return "Who to call now: " + "; ".join(parts)


def emergency_text(rows: list[tuple[str, str, str, str, str]]) -> str:
    """The one line kept on screen when the panel is folded: the emergency number, always first."""
    for _sid, _name, numbers, _why, _kind in rows:
        if "999" in numbers:
            return f"Child in danger now? Call {numbers}"
    return "Child in danger now? Call 999"


class WhoToCallPanel(QFrame):
    """Emits ``all_contacts_requested`` when the professional wants every contact and the hours.

    Folded (``set_compact(True)``; home does this when the panel sits below the list, at large text on a
    small screen) it is one line, "Child in danger now? Call 999 …", with a "More numbers" button that
    unfolds the whole list in place: the list of referrals keeps its rows, and 999 never leaves the screen.
    """

    all_contacts_requested = Signal()
    #: Emitted when the list folds to the 999 line or unfolds, so the holder can give it room.
    folded_changed = Signal(bool)

    def __init__(self, context: AppContext, large: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.large = large
        self.setObjectName("whoToCall")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = self.parts_layout = QVBoxLayout(self)
        strip = QHBoxLayout()
        self.emergency = QLabel(objectName="whoToCallEmergency")
        self.emergency.setWordWrap(True)
        self.emergency.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more_button = QPushButton("More numbers", objectName="moreNumbers")
        self.more_button.setCheckable(True)
        self.more_button.setToolTip("Who else to call now, with the opening times")
        self.more_button.toggled.connect(self._unfold)
        strip.addWidget(self.emergency, 1)
        strip.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(strip)
        self._compact = False
        title = QLabel("If a child is in danger now, call" if large else "Who to call now")
        heading(title, 1 if large else 2)
        layout.addWidget(title)
        self.title = title
        self.services = QLabel(objectName="whoToCallList")
        self.services.setWordWrap(True)
        self.services.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.services.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.services)
        self.updated = QLabel(objectName="whoToCallUpdated")
        self.updated.setWordWrap(True)
        layout.addWidget(self.updated)
        self.all_button = QPushButton("All contacts and hours", objectName="allContacts")
        self.all_button.setToolTip("Every contact, its opening hours and the duty offices (Ctrl+K)")
        self.all_button.clicked.connect(self.all_contacts_requested)
        layout.addWidget(self.all_button)
        if not large:
            layout.addStretch(1)
        self._timer = QTimer(self, interval=60_000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()
        self._show_parts()

    def set_compact(self, compact: bool) -> None:
        """Fold to the 999 line (True) or show everything (False); unfolding stays the person's choice."""
        if compact == self._compact:
            return
        self._compact = compact
        self.more_button.setChecked(False)
        self._show_parts()

    def is_folded(self) -> bool:
        return self._compact and not self.more_button.isChecked()

    def emergency_line(self) -> QLabel:
        """The label that shows 999 now: the folded line, or the full list."""
        return self.emergency if self.is_folded() else self.services

    def _unfold(self, more: bool) -> None:
        self.more_button.setText("Fewer numbers" if more else "More numbers")
        self._show_parts()

    def _show_parts(self) -> None:
        folded = self.is_folded()
        # Folded, it is one line: narrow margins keep it from taking a referral's row from the list.
        margin = self.style().pixelMetric(self.style().PixelMetric.PM_LayoutTopMargin)
        self.parts_layout.setContentsMargins(margin, 2 if folded else margin, margin, 2 if folded else margin)
        self.emergency.setVisible(folded)
        self.more_button.setVisible(self._compact)
        for part in (self.title, self.services, self.updated, self.all_button):
            part.setVisible(not folded)
        self.folded_changed.emit(folded)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        """The text size changed while open (ui/text_size.py): the numbers are sized afresh over it (their
        size is written into the list's rich text, which takes no size relative to the label's)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "rows"):
            self.services.setText(services_html(self.rows, self.large, self.font().pointSizeF()))

    def refresh(self) -> None:
        self.rows = open_services(self.context)
        self.services.setText(services_html(self.rows, self.large, self.font().pointSizeF()))
        self.emergency.setText(f"<b>{html.escape(emergency_text(self.rows))}</b>")
        self.emergency.setAccessibleName(emergency_text(self.rows))  # the words, without the mark-up
        self.services.setAccessibleName(services_spoken(self.rows))
        self.updated.setText(f"As at {format_time(self.context.clock())} (UK time); updated every minute.")
