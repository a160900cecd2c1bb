"""The professional's whole journey by keyboard only at 200 % text in a dark palette, read from the real
AT-SPI bus (journey_driver.py): every step reached with Tab, Space, Enter and the menus' shortcuts alone, and
what a screen reader hears on the way. ``JOURNEY_SHOTS=folder`` saves each step's window as a picture;
``test_the_journey_transcript`` writes what is heard to ``journey-transcript.txt`` in the test's folder.
Slow (a whole app's walk): run with ``--run-slow``."""

from __future__ import annotations

import pytest

from tests.ui.atspi.conftest import _walked
from tests.ui.atspi.journey_driver import PASSPHRASE
from tests.ui.atspi.test_screen_reader_walk import _announcements, _by_path, _focus_sequence, _nodes

pytestmark = [pytest.mark.gui, pytest.mark.slow]

STEPS = ["home", "urgency question", "who to call now", "call recorded", "editor", "check answers", "confirmation",
         "home after sending", "referral page", "reply typed", "document attached", "reply sent",
         "export warning", "exported", "locked", "unlocked again"]


@pytest.fixture(scope="module")
def journey_walk(tmp_path_factory):
    yield from _walked(tmp_path_factory, "tests.ui.atspi.journey_driver")


def _focused(walk, step):
    nodes = _by_path(walk)
    return [nodes[path] for path in _focus_sequence(walk[step]) if path in nodes]


def test_every_step_is_reached_by_keyboard(journey_walk):
    assert list(journey_walk) == STEPS


@pytest.mark.parametrize("step", ["editor", "confirmation"])
def test_arriving_focus_never_lands_on_an_unnamed_page(journey_walk, step):
    """Heard before: "filler", "filler" as the confirmation page and the form opened."""
    unnamed = [(n.role, n.name) for n in _focused(journey_walk, step) if not n.name.strip()]
    assert unnamed == [], [(n.role, n.name) for n in _focused(journey_walk, step)]


def test_after_send_referral_focus_is_on_the_confirmation_s_button(journey_walk):
    assert [(n.role, n.name) for n in _focused(journey_walk, "confirmation")][-1] == (
        "push button", "Back to your referrals")
    assert any(text.startswith("Referral saved and waiting to send") for text in
               _announcements(journey_walk["confirmation"]))


def test_send_reply_keeps_focus_and_says_it_is_queued(journey_walk):
    """Heard before: "Export as PDF…" as Send reply was pressed (the button was disabled while queuing)."""
    assert [(n.role, n.name) for n in _focused(journey_walk, "reply sent")] == [("push button", "Send reply")]
    assert _announcements(journey_walk["reply sent"]) == [
        "Reply queued with 1 document — it is sent as soon as iART can be reached"]


def test_the_document_and_the_export_are_heard(journey_walk):
    assert _announcements(journey_walk["document attached"]) == ["File attached. Your reply has 1 file attached."]
    # "Saving…" first: the pages are laid out on the GUI thread in steps, which takes a moment for a long copy.
    assert [text for text in _announcements(journey_walk["exported"]) if "PDF" in text] == [
        "Saving the PDF…", "The referral is saved as a PDF. It is not encrypted."]


def test_no_reply_words_document_name_or_passphrase_in_what_is_said(journey_walk):
    """Names, descriptions and announcements (what a screen reader says unasked) hold neither the reply's words
    nor the passphrase (the reply's words are only its text box's content); the document's name is on screen
    beside it and its Remove button, never announced."""
    from tests.ui.atspi.journey_driver import DOCUMENT, REPLY

    for name, checkpoint in journey_walk.items():
        said = [f"{n.name} {n.description}" for n in checkpoint.tree.walk()] + _announcements(checkpoint)
        leaks = [text for text in said for secret in (REPLY[:20], "Sentinelton", PASSPHRASE[:8]) if secret in text]
        assert leaks == [], (name, leaks)
        assert [text for text in _announcements(checkpoint) if DOCUMENT[:12] in text] == [], name


def test_the_journey_transcript(journey_walk, tmp_path):
    """What a screen reader would say at each step: each focus in turn, announcements, the headings."""
    nodes = _by_path(journey_walk)
    lines = []
    for name, checkpoint in journey_walk.items():
        lines.append(f"== {name}")
        lines += [f"   announced: {text}" for text in _announcements(checkpoint)]
        for path in _focus_sequence(checkpoint):
            node = nodes.get(path)
            if node is not None:
                lines.append(f"   focus: {node.role} {node.name!r}" + (f" — {node.description}" if node.description
                                                                         else ""))
        headings = [n.name for n in _nodes(checkpoint) if n.role == "heading"]
        lines.append(f"   headings: {headings}")
        assert headings, f"{name}: no heading to navigate by"
    (tmp_path / "journey-transcript.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
