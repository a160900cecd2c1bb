"""Who to call now: the services open at this moment, 999 always first, refreshed every minute.

Why: the guidance says urgent concerns go by phone, not by form. The panel is on the home screen all the
time, and in large type when a new referral says a child is in immediate danger. The list comes from
the domain (contacts are data, hours overridable by policy); this widget only shows it.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import format_time
from referral_desktop.ui.theme import heading

log = logging.getLogger(__name__)

EMERGENCY_FALLBACK = [("999", "Emergency services", "999", "Emergency — always")]


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


def open_services(context: AppContext) -> list[tuple[str, str, str, str]]:
    """(service id, name, numbers, why) for everything open now; 999 even if contacts cannot load."""
    try:
        from referral_desktop.domain.contacts import who_to_call

        services = who_to_call(context.clock(), context.contact_directory())
        rows = [
            (str(s.service_id), str(s.name),
             " or ".join(number_text(n) for n in s.numbers) or str(getattr(s, "address", "") or ""),
             str(s.why or ""))
            for s in services
        ]
    except Exception as exc:  # never leave the professional without a number to call
        log.warning("who-to-call unavailable: %s", type(exc).__name__)
        rows = []
    if not any("999" in r[2] for r in rows):
        rows = EMERGENCY_FALLBACK + rows
    return rows


def services_html(rows: list[tuple[str, str, str, str]], large: bool) -> str:
    number_size = "180%" if large else "115%"
    parts = []
    for _sid, name, numbers, why in rows:
        if not any(ch.isdigit() for ch in numbers[:4]):  # an office: its address, in normal type
            parts.append(f"<p style='margin-bottom:8px'><b>{html.escape(name)} office</b><br>"
                         f"{html.escape(numbers)}<br>{html.escape(why)}</p>")
            continue
        parts.append(
            f"<p style='margin-bottom:8px'><b>{html.escape(name)}</b><br>"
            f"<span style='font-size:{number_size}; font-weight:bold'>{html.escape(numbers)}</span><br>"
            f"{html.escape(why)}</p>"
        )
    return "".join(parts)


class WhoToCallPanel(QFrame):
    """Emits ``all_contacts_requested`` when the professional wants every contact and the hours."""

    all_contacts_requested = Signal()

    def __init__(self, context: AppContext, large: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.large = large
        self.setObjectName("whoToCall")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        title = QLabel("If a child is in danger now, call" if large else "Who to call now")
        heading(title, 1 if large else 2)
        layout.addWidget(title)
        self.services = QLabel(objectName="whoToCallList")
        self.services.setWordWrap(True)
        self.services.setTextInteractionFlags(self.services.textInteractionFlags())
        layout.addWidget(self.services)
        self.updated = QLabel(objectName="whoToCallUpdated")
        self.updated.setWordWrap(True)
        layout.addWidget(self.updated)
        self.all_button = QPushButton("All contacts, hours and offices", objectName="allContacts")
        self.all_button.clicked.connect(self.all_contacts_requested)
        layout.addWidget(self.all_button)
        layout.addStretch(1)
        self._timer = QTimer(self, interval=60_000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        self.rows = open_services(self.context)
        self.services.setText(services_html(self.rows, self.large))
        self.services.setAccessibleName(
            "Who to call now: " + "; ".join(f"{name}, {numbers}" for _s, name, numbers, _w in self.rows)
        )
        self.updated.setText(f"Open at {format_time(self.context.clock())} (UK time). Updated every minute.")
