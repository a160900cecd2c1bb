"""The accessibility helpers (ui/accessibility.py), in process: what each one leaves on the widget and
which events it sends. What reaches the AT-SPI bus is tested in tests/ui/atspi/."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from referral_desktop.ui import accessibility
from referral_desktop.ui.accessibility import (
    StatusLabel,
    announce,
    error_of,
    expose_status_text,
    install_accessibility_factory,
    is_invalid,
    is_required,
    set_description,
    set_invalid,
    set_required,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def sent(monkeypatch):
    """Every accessibility event the helpers send, as (type, text, politeness)."""
    events = []
    original = QAccessible.updateAccessibility

    def record(event):
        message = event.message() if hasattr(event, "message") else ""
        politeness = event.politeness() if hasattr(event, "politeness") else None
        events.append((event.type(), message, politeness))
        original(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(record))
    return events


def test_announce_sends_a_polite_or_assertive_announcement(qtbot, sent):
    widget = QWidget()
    qtbot.addWidget(widget)
    announce(widget, "Saved 4:24pm")
    announce(widget, "There is a problem", assertive=True)
    assert sent == [
        (QAccessible.Event.Announcement, "Saved 4:24pm", QAccessible.AnnouncementPoliteness.Polite),
        (QAccessible.Event.Announcement, "There is a problem", QAccessible.AnnouncementPoliteness.Assertive),
    ]


def test_without_announcements_an_alert_node_carries_the_text(qtbot, sent, monkeypatch):
    monkeypatch.setattr(accessibility, "QAccessibleAnnouncementEvent", None)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    announce(window, "There is a problem")
    node = window.findChild(QLabel, "a11yAlertNode")
    assert node is not None and node.isVisible()
    interface = QAccessible.queryAccessibleInterface(node)
    assert interface.role() == QAccessible.Role.AlertMessage
    assert interface.text(QAccessible.Text.Name) == "There is a problem"
    assert sent[-1][0] == QAccessible.Event.Alert


def test_an_error_goes_in_front_of_the_hint_and_leaves_it_when_cleared(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    field.setAccessibleDescription("For example, 27 3 2007")
    set_invalid(field, "Enter a date of birth in the past")
    assert field.accessibleDescription() == "Error: Enter a date of birth in the past. For example, 27 3 2007"
    assert is_invalid(field) and error_of(field) == "Enter a date of birth in the past"
    set_description(field, "Day, month and year")
    assert field.accessibleDescription() == "Error: Enter a date of birth in the past. Day, month and year"
    set_invalid(field, None)
    assert field.accessibleDescription() == "Day, month and year"
    assert not is_invalid(field)


def test_optional_stays_in_the_name_of_an_optional_question_only(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    field.setAccessibleName("Other names")
    set_required(field, False)
    assert field.accessibleName() == "Other names (optional)" and not is_required(field)
    set_required(field, False)
    assert field.accessibleName() == "Other names (optional)"
    set_required(field, True)
    assert field.accessibleName() == "Other names" and is_required(field)


def test_a_status_label_is_named_by_what_it_shows_and_announces_changes(qtbot, sent):
    status = StatusLabel("Not saved yet")
    qtbot.addWidget(status)
    status.setAccessibleName("Save status")  # a fixed name would hide the text: refused
    status.show()
    status.setText("Saved 4:24pm")
    interface = QAccessible.queryAccessibleInterface(status)
    assert interface.text(QAccessible.Text.Name) == "Saved 4:24pm"
    assert (QAccessible.Event.Announcement, "Saved 4:24pm", QAccessible.AnnouncementPoliteness.Polite) in sent
    sent.clear()
    status.setText("Saved 4:24pm")
    assert not [e for e in sent if e[0] == QAccessible.Event.Announcement], "unchanged text is not repeated"


def test_expose_status_text_drops_a_fixed_name(qtbot):
    label = QLabel("Connection: offline")
    qtbot.addWidget(label)
    label.setAccessibleName("Connection status")
    expose_status_text(label)
    assert QAccessible.queryAccessibleInterface(label).text(QAccessible.Text.Name) == "Connection: offline"


def test_a_heading_label_has_the_heading_role_and_its_text_as_name(qtbot):
    install_accessibility_factory()
    from referral_desktop.ui.theme import heading

    label = QLabel("Child's details")
    qtbot.addWidget(label)
    heading(label, 2)
    interface = QAccessible.queryAccessibleInterface(label)
    assert interface.role() == QAccessible.Role.Heading
    assert interface.text(QAccessible.Text.Name) == "Child's details"
    label.setText("Family")
    assert interface.text(QAccessible.Text.Name) == "Family"
