"""Errors that appear while focus is on the button just pressed, read from the real AT-SPI bus (the end of
the second walk, recovery_driver.py): the passphrase section of Settings and the forgotten-passphrase
dialog. A field's changed description is not read out while focus is elsewhere, so each error must reach
the bus as an announcement and focus must move to the field in error (whose description then starts
"Error: ..."). No passphrase's characters may reach the bus on the way."""

from __future__ import annotations

import pytest

from tests.ui.atspi.recovery_driver import NEW_PASSPHRASE, PASSPHRASE, WRONG_PASSPHRASE
from tests.ui.atspi.test_screen_reader_walk import _announcements, _by_path, _focus_sequence, _nodes

pytestmark = pytest.mark.gui

TOO_SHORT_START = "Enter a passphrase"  # the store's TOO_SHORT: "Enter a passphrase of at least 12 characters"


def _last_focused(walk, name):
    nodes = _by_path(walk)
    focused = [nodes[p] for p in _focus_sequence(walk[name]) if p in nodes]
    assert focused, f"focus did not move at {name!r}"
    return focused[-1]


def _as_shown(checkpoint, node):
    [shown] = [n for n in _nodes(checkpoint) if n.path == node.path]
    return shown


def test_details_with_errors_are_all_said_and_focus_goes_to_the_first(recovery_walk):
    checkpoint = recovery_walk["settings: details with errors"]
    said = " ".join(_announcements(checkpoint))
    assert "Enter your full name" in said and "email" in said.lower(), said  # the second one is heard too
    field = _as_shown(checkpoint, _last_focused(recovery_walk, "settings: details with errors"))
    assert field.name == "Full name" and field.description.startswith("Error: Enter your full name"), field
    assert "not an email address" not in said  # what was typed is not said


def test_settings_with_nothing_typed_says_every_error_and_focuses_the_first(recovery_walk):
    checkpoint = recovery_walk["settings: nothing typed"]
    said = " ".join(_announcements(checkpoint))
    assert "Enter your current passphrase" in said and TOO_SHORT_START in said, said
    field = _as_shown(checkpoint, _last_focused(recovery_walk, "settings: nothing typed"))
    assert (field.name, field.role_id) == ("Current passphrase", 40), field  # 40: password text
    assert field.description.startswith("Error: Enter your current passphrase"), field.description
    [new] = [n for n in _nodes(checkpoint) if n.name == "New passphrase" and "editable" in n.states]
    assert new.description.startswith(f"Error: {TOO_SHORT_START}"), new.description
    assert "At least 12 characters" in new.description  # the hint stays after the error


def test_everything_that_takes_focus_is_named(recovery_walk):
    """Opening Settings focused the page itself, an unnamed "filler"; the dialog's scroll area too."""
    nodes = _by_path(recovery_walk)
    steps = ("settings: details with errors", "settings: nothing typed", "forgotten passphrase: opened",
             "forgotten passphrase: reset failed")
    unnamed = [(name, nodes[p].role) for name in steps
               for p in _focus_sequence(recovery_walk[name]) if p in nodes and not nodes[p].name.strip()]
    assert unnamed == []


def test_settings_wrong_current_passphrase_is_heard_in_the_field(recovery_walk):
    checkpoint = recovery_walk["settings: wrong current passphrase"]
    said = _announcements(checkpoint)
    assert any("The current passphrase is not right" in text for text in said), said
    field = _as_shown(checkpoint, _last_focused(recovery_walk, "settings: wrong current passphrase"))
    assert field.name == "Current passphrase" and field.role_id == 40, field
    assert field.description.startswith("Error: The current passphrase is not right"), field.description
    names = [n.name for n in _nodes(checkpoint)]
    assert "Error: The current passphrase is not right" in names  # shown in words next to the field
    assert not any(n.startswith("Error: Enter your current passphrase") for n in names)  # the old one went


def test_the_forgotten_passphrase_dialog_opens_on_a_control_with_its_text_in_the_dialog(recovery_walk):
    """It opened on its scroll area: "Forgotten passphrase, filler", on no control. Now focus lands on Cancel
    (the least destructive choice, the default button), inside the dialog whose labels hold its text: what a
    screen reader reads on entering a dialog (Orca: the dialog's name and its labels no control is labelled
    by), before the focused control."""
    checkpoint = recovery_walk["forgotten passphrase: opened"]
    focused = _as_shown(checkpoint, _last_focused(recovery_walk, "forgotten passphrase: opened"))
    assert (focused.role, focused.name) == ("push button", "Cancel"), focused
    [dialog] = [n for n in _nodes(checkpoint) if n.role == "dialog"]
    assert dialog.name.startswith("Forgotten passphrase") and "active" in dialog.states
    assert any(n.path == focused.path for n in dialog.walk())
    labels = [n.name for n in dialog.walk() if n.role == "label" and "showing" in n.states]
    assert any(text.startswith("Referrals on this computer are encrypted with your passphrase") for text in labels)
    assert any("unsent referrals" in text for text in labels), labels  # what a reset would lose, or that nothing
    assert [n.name for n in dialog.walk() if n.role == "heading"] == ["Your passphrase cannot be recovered"]
    assert not [n for n in dialog.walk() if n.role == "filler" and "focused" in n.states]


def test_a_reset_that_fails_is_heard_in_the_dialogs_field(recovery_walk):
    checkpoint = recovery_walk["forgotten passphrase: reset failed"]
    said = _announcements(checkpoint)
    assert any(text.startswith("The store could not be reset") for text in said), said
    field = _as_shown(checkpoint, _last_focused(recovery_walk, "forgotten passphrase: reset failed"))
    assert field.name == "To reset, type RESET", field
    assert field.description.startswith("Error: The store could not be reset"), field.description
    assert "Capital letters, exactly as shown." in field.description


def test_no_passphrase_of_settings_reaches_the_bus(recovery_walk):
    pieces = {secret[i:i + 5] for secret in (PASSPHRASE, WRONG_PASSPHRASE, NEW_PASSPHRASE)
              for i in range(len(secret) - 4)}
    steps = ("settings: details with errors", "settings: nothing typed", "settings: wrong current passphrase",
             "forgotten passphrase: opened", "forgotten passphrase: reset failed")
    leaks = []
    for name in steps:
        checkpoint = recovery_walk[name]
        leaks += [(name, member, body) for member, _d, _p, body in checkpoint.events
                  if any(piece in str(body) for piece in pieces)]
        leaks += [(name, node) for node in checkpoint.tree.walk()
                  if any(piece in node.name + node.description for piece in pieces)]
    assert leaks == []
    typed = [n for n in _nodes(recovery_walk["settings: wrong current passphrase"]) if n.role_id == 40]
    assert len(typed) == 3 and all("org.a11y.atspi.Text" not in n.interfaces for n in typed), typed
