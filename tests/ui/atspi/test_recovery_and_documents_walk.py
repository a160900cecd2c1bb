"""What a screen reader gets on two screens the main walk never reaches, read from the real AT-SPI bus:
the missing-store page (store.db gone, a copy of it left) and the documents of a reply to iART (see
recovery_driver.py). As in test_screen_reader_walk.py: every control has a name and a role, errors are
announced (not only shown), focus moves in a sensible order, and nothing personal is announced — not the
child's name, the passphrase, or a document's file name (a document is announced without it; its own row
and "Remove" button, on screen, name it)."""

from __future__ import annotations

import pytest

from tests.ui.atspi.recovery_driver import (
    CHILD,
    DOCUMENTS,
    MISSING_PAGE_TABS,
    PASSPHRASE,
    REFUSED,
    REPLY_BOX_TABS,
    WRONG_PASSPHRASE,
)
from tests.ui.atspi.test_screen_reader_walk import (
    INTERACTIVE,
    _announcements,
    _by_path,
    _focus_sequence,
    _nodes,
)

pytestmark = pytest.mark.gui


def _focused(walk, name):
    nodes = _by_path(walk)
    return [nodes[p] for p in _focus_sequence(walk[name]) if p in nodes]


def test_the_walk_reaches_every_step(recovery_walk):
    assert list(recovery_walk) == [
        "missing store", "missing store: tab order", "missing store: no passphrase",
        "missing store: wrong passphrase", "missing store: restored", "reply box", "reply document refused",
        "reply documents attached", "reply box: tab order", "reply document removed",
        "settings: details with errors", "settings: nothing typed", "settings: wrong current passphrase", "forgotten passphrase: opened",
        "forgotten passphrase: reset failed",
    ]


def test_every_control_has_a_name_and_a_role(recovery_walk):
    unnamed = {}
    for name, checkpoint in recovery_walk.items():
        bad = [f"{n.role} ({n.description[:40]!r})" for n in _nodes(checkpoint)
               if ("focusable" in n.states or n.role in INTERACTIVE) and not (n.name.strip() and n.role.strip())]
        if bad:
            unnamed[name] = bad
    assert unnamed == {}


# ------------------------------------------------------------------------------ the missing-store page


def test_the_missing_store_page_is_heard_and_focus_is_in_the_passphrase(recovery_walk):
    checkpoint = recovery_walk["missing store"]
    assert "Your store file is missing" in [n.name for n in _nodes(checkpoint) if n.role == "heading"]
    said = _announcements(checkpoint)
    assert any(text.startswith("Your store file is missing.") and "copy of it from" in text for text in said), said
    field = _focused(recovery_walk, "missing store")[-1]
    assert field.name == "Passphrase" and field.role_id == 40, (field, field.role_id)  # password text
    [shown] = [n for n in _nodes(checkpoint) if n.path == field.path]  # as it was at this step
    assert "copy of it from" in shown.description, shown.description


def test_tab_goes_from_the_passphrase_to_restore_then_to_starting_again(recovery_walk):
    sequence = _focused(recovery_walk, "missing store: tab order")[:MISSING_PAGE_TABS - 1]
    assert [(n.role, n.name.split(" from ")[0]) for n in sequence] == [
        ("push button", "Restore the copy"), ("push button", "Start again with an empty store")]


def test_no_passphrase_is_an_error_announced_and_carried_by_the_field(recovery_walk):
    checkpoint = recovery_walk["missing store: no passphrase"]
    assert any("Enter the passphrase of the copy" in text for text in _announcements(checkpoint))
    [field] = [n for n in _nodes(checkpoint) if n.name == "Passphrase" and "editable" in n.states]
    assert field.description.startswith("Error: Enter the passphrase of the copy"), field.description
    assert "Error: Enter the passphrase of the copy" in [n.name for n in _nodes(checkpoint)]
    assert "copy of it from" in field.description, field.description  # the page's message stays


def _descriptions_sent(checkpoint, path):
    """The field's descriptions as the bus was told of each change, in order."""
    return [body[3][1] for member, detail, p, body in checkpoint.events
            if member == "PropertyChange" and detail == "accessible-description" and p == path]


def test_the_passphrase_keeps_the_pages_message_and_loses_only_the_error(recovery_walk):
    """Typed again after an error: the error goes from the field's description, the page's message (why
    the store is missing) and the hint stay, as they were before any error."""
    [before] = [n for n in _nodes(recovery_walk["missing store"]) if n.name == "Passphrase" and "editable" in n.states]
    assert "copy of it from" in before.description and "The passphrase you used with that copy" in before.description
    [wrong] = [n for n in _nodes(recovery_walk["missing store: wrong passphrase"])
               if n.name == "Passphrase" and "editable" in n.states]
    assert wrong.description == f"Error: The passphrase does not open the copy. Nothing was changed. {before.description}"
    sent = _descriptions_sent(recovery_walk["missing store: restored"], wrong.path)
    assert sent and sent[0] == before.description, sent  # the error cleared as the right one is tried


def test_a_wrong_passphrase_is_announced(recovery_walk):
    checkpoint = recovery_walk["missing store: wrong passphrase"]
    said = _announcements(checkpoint)
    assert any("The passphrase does not open the copy" in text for text in said), said
    [field] = [n for n in _nodes(checkpoint) if n.name == "Passphrase" and "editable" in n.states]
    assert field.description.startswith("Error: The passphrase does not open the copy"), field.description


def test_the_restored_copy_leads_home(recovery_walk):
    headings = [n.name for n in _nodes(recovery_walk["missing store: restored"]) if n.role == "heading"]
    assert headings and "Your store file is missing" not in headings, headings


def test_the_restored_store_opens_with_focus_straight_on_the_list(recovery_walk):
    """Focus went to an unnamed "filler", then "New referral", then the list, each said in turn: the stack
    passed focus down the home screen's chain before the list was given it."""
    focused = [(n.role, n.name) for n in _focused(recovery_walk, "missing store: restored")]
    assert focused == [("table", "Referrals")], focused


def test_no_passphrase_characters_on_the_bus(recovery_walk):
    pieces = {secret[i:i + 5] for secret in (PASSPHRASE, WRONG_PASSPHRASE) for i in range(len(secret) - 4)}
    leaks = []
    for name, checkpoint in recovery_walk.items():
        leaks += [(name, member, body[3]) for member, _d, _p, body in checkpoint.events
                  if any(piece in str(body) for piece in pieces)]
        leaks += [(name, node) for node in checkpoint.tree.walk()
                  if any(piece in node.name + node.description for piece in pieces)]
    assert leaks == []


# ------------------------------------------------------------------------------------ reply documents


def test_a_referrals_page_opens_on_its_heading_not_an_unnamed_filler(recovery_walk):
    """The window gives the page focus; the page passes it to its heading (the driver then moves it to the
    reply box)."""
    focused = _focused(recovery_walk, "reply box")
    assert [n for n in focused if not n.name.strip()] == [], focused
    headings = [n for n in focused if n.role == "heading"]
    assert headings and headings[0].name.startswith("Referral for ") and " — " in headings[0].name, focused
    # First the heading: not "Back to referrals" a moment before it (the stack passed focus to the page's
    # first button before the window gave it to the heading).
    assert focused[0] is headings[0], focused


def test_the_reply_box_warns_on_the_bus_that_an_unsent_reply_is_removed_if_iart_decides(recovery_walk):
    """Focus in the reply box: a screen reader reads its name and description, and the description ends
    with the warning the box shows (the purge removes an unsent reply with the details once iART decides).
    Checked before only through Qt's own accessible description, never on the bus."""
    from referral_desktop.ui.screens.conversation_panel import UNSENT_WARNING

    checkpoint = recovery_walk["reply box"]
    box = _focused(recovery_walk, "reply box")[-1]
    assert (box.name, box.role) == ("Reply to iART", "text"), box
    [shown] = [n for n in _nodes(checkpoint) if n.path == box.path]  # as it was at this step
    assert "editable" in shown.states and "focused" in shown.states, shown.states
    assert shown.description.startswith("Answer iART's question"), shown.description
    assert shown.description.endswith(UNSENT_WARNING), shown.description
    assert UNSENT_WARNING in [n.name for n in _nodes(checkpoint) if n.role == "label"]  # read in the page too


def test_what_you_sent_is_heard_to_say_which_question_s_document_was_not_sent(recovery_walk):
    """The inset under "What you sent" (tests/ui/test_sent_documents_left_out.py) is on the bus as a label
    whose name is the whole sentence, read in the page's order after the heading and before the answers;
    it is page text, not announced unasked, and names the question, never a file or the document's id."""
    from tests.ui.atspi.recovery_driver import LEFT_OUT

    checkpoint = recovery_walk["reply box"]
    labels = [n.name for n in _nodes(checkpoint) if n.role == "label"]
    said = ("1 document you attached was not sent: it was attached to “Attach the completed assessment”, a "
            "question your answers no longer asked. It was deleted from this computer when iART received the "
            "referral.")
    assert said in labels, [text for text in labels if "document" in text]
    headings = [n.name for n in _nodes(checkpoint) if n.role == "heading"]
    order = [n.name for n in _nodes(checkpoint) if n.role in ("heading", "label")]
    assert "What you sent" in headings and order.index("What you sent") < order.index(said)
    assert not [text for text in _announcements(checkpoint) if "not sent" in text]
    assert not [n for n in checkpoint.tree.walk() if LEFT_OUT in f"{n.name} {n.description}"]


def test_the_attach_button_is_named_and_says_the_rules(recovery_walk):
    [button] = [n for n in _nodes(recovery_walk["reply box"]) if n.name == "Attach a file to your reply"]
    assert button.role == "push button" and "focusable" in button.states
    assert button.description.startswith("Optional: ") and "PDF" in button.description, button.description


def test_a_refused_file_is_announced_and_carried_by_the_button(recovery_walk):
    checkpoint = recovery_walk["reply document refused"]
    said = _announcements(checkpoint)
    assert any(text.startswith("The selected file must be a PDF") for text in said), said
    [button] = [n for n in _nodes(checkpoint) if n.name == "Attach a file to your reply"]
    assert button.description.startswith("Error: The selected file must be a PDF"), button.description


def test_attaching_is_announced_without_the_file_names(recovery_walk):
    said = _announcements(recovery_walk["reply documents attached"])
    assert "File attached. Your reply has 2 files attached." in said, said
    removes = [n for n in _nodes(recovery_walk["reply documents attached"]) if n.name.startswith("Remove ")]
    assert sorted(n.name for n in removes) == sorted(f"Remove {name}" for name in DOCUMENTS)
    assert all(n.role == "push button" and "focusable" in n.states for n in removes)


def test_tab_from_the_reply_reaches_each_document_then_attaching_then_sending(recovery_walk):
    """The documents' rows are above the "Attach a file…" button: Tab reaches them in the order shown."""
    sequence = [n.name for n in _focused(recovery_walk, "reply box: tab order")][:REPLY_BOX_TABS]
    assert sequence == ["Reply to iART", f"Remove {DOCUMENTS[0]}", f"Remove {DOCUMENTS[1]}", "Attach a file to your reply",
                        "Send reply"], sequence


def test_removing_a_document_is_announced_and_focus_goes_to_attaching(recovery_walk):
    checkpoint = recovery_walk["reply document removed"]
    assert "File removed. Your reply has 1 file attached." in _announcements(checkpoint)
    focused = _focused(recovery_walk, "reply document removed")
    assert focused and focused[-1].name == "Attach a file to your reply", focused
    assert f"Remove {DOCUMENTS[1]}" not in [n.name for n in _nodes(checkpoint)]


def test_announcements_carry_no_file_name_and_no_answer(recovery_walk):
    planted = [*DOCUMENTS, REFUSED, "Sentinelname", CHILD, "Sentinelchild"]
    said = [text for checkpoint in recovery_walk.values() for text in _announcements(checkpoint)]
    assert said
    assert [text for text in said if any(p in text for p in planted)] == []


def test_transcript(recovery_walk, tmp_path):
    """What a screen reader would say at each step, for a person to read (printed with -s)."""
    nodes = _by_path(recovery_walk)
    lines = []
    for name, checkpoint in recovery_walk.items():
        lines.append(f"== {name}")
        lines += [f"   announced: {text}" for text in _announcements(checkpoint)]
        for path in _focus_sequence(checkpoint):
            node = nodes.get(path)
            if node is not None:
                lines.append(f"   focus: {node.role} {node.name!r}" + (f" — {node.description}" if node.description else ""))
    (tmp_path / "atspi-recovery-transcript.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert len(lines) > len(recovery_walk)
