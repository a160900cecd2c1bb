"""Every contact, its numbers, opening hours and the duty offices, in one readable page.

Why: the who-to-call panel shows only what is open now; a professional planning a call for later, or
checking an office address, needs the whole directory. It is rendered from the same data (resources and
policy overrides), so the two can never disagree.
"""

from __future__ import annotations

import html
from datetime import time
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from referral_desktop.domain.clock_words import time_range
from referral_desktop.domain.opening_hours import days_in_words
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.contacts_place import CONTACTS
from referral_desktop.ui.screens.who_to_call import number_text
from referral_desktop.ui.theme import heading

BANK_HOLIDAYS = {"closed": "Closed on bank holidays.", "open_all_day": "Open all day on bank holidays.",
                 "as_weekly": "Usual hours on bank holidays."}


def hours_html(hours: Any) -> str:
    if hours is None:
        return "Always available."
    lines = []
    for interval in hours.weekly:
        if interval.opens == time(0) and interval.closes == time.max:
            lines.append(f"{days_in_words(interval.days)}: 24 hours")
        else:
            nxt = " (next morning)" if getattr(interval, "overnight", False) else ""
            lines.append(f"{days_in_words(interval.days)}: {time_range(interval.opens, interval.closes)}{nxt}")
    lines.append(BANK_HOLIDAYS.get(hours.bank_holidays, ""))
    return "<br>".join(html.escape(line) for line in lines if line)


#: The numbers to dial, 1.2 times the page's text. A size keyword, relative to the page's font, so that it
#: follows the text size, also when it changes while the page is open; Qt's rich text takes no percentage
#: ("120%" was the text's own size). tests/ui/test_contacts_numbers_size.py.
NUMBER_SIZE = "large"


def directory_html(directory: Any) -> str:
    parts = ["<h2>Phone</h2>"]
    for service in directory.services:
        numbers = "<br>".join(
            f"<b style='font-size:{NUMBER_SIZE}'>{html.escape(number_text(n))}</b>"
            + (" — to be confirmed by your organisation" if getattr(n, "verify", False) else "")
            for n in service.numbers
        )
        parts.append(f"<h3>{html.escape(service.name)}</h3><p>{html.escape(service.summary)}</p><p>{numbers}</p>"
                     f"<p>{hours_html(service.hours)}</p>")
        if getattr(service, "email", None):
            parts.append(f"<p>Email: {html.escape(service.email)}. {html.escape(service.email_note or '')}</p>")
    if directory.offices:
        parts.append("<h2>Duty offices</h2>")
        for office in directory.offices:
            verify = " (hours to be confirmed)" if getattr(office, "hours_verify", False) else ""
            parts.append(f"<h3>{html.escape(office.name)}</h3><p>{html.escape(office.full_address)}</p>"
                         f"<p>{html.escape(office.summary)}</p><p>{hours_html(office.hours)}{verify}</p>")
    parts.append("<p>All times are UK local time.</p>")
    if getattr(directory, "version", ""):
        parts.append(f"<p>Contacts version {html.escape(directory.version)}.</p>")
    return "".join(parts)


class ContactsScreen(QWidget):
    back_requested = Signal()
    window_title = CONTACTS  # as the View menu names it (the window's table of titles said "Who to call")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsScreen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        title = QLabel(CONTACTS)
        heading(title)
        top.addWidget(title, 1)
        self.setFocusProxy(title)  # given focus, the page reads its heading, not an unnamed panel
        back = QPushButton("Back to referrals", objectName="backHome")
        back.clicked.connect(self.back_requested)
        top.addWidget(back)
        layout.addLayout(top)
        self.text = QTextBrowser(objectName="contactsText")
        self.text.setAccessibleName(CONTACTS)
        try:
            self.text.setHtml(directory_html(context.contact_directory()))
        except Exception:  # data problems are IT's to fix; the professional still needs 999
            self.text.setHtml("<p>The contact list could not be loaded. In an emergency call <b>999</b>.</p>")
        layout.addWidget(self.text, 1)
