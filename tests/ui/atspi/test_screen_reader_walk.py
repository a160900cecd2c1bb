"""What a screen reader gets from the app, read from the real AT-SPI bus (the interface Orca uses) while
the app is walked from first run to a sent referral (see app_driver.py and conftest.py).

Every assertion reads the bus: the application's accessibility tree at each checkpoint and the events it
sent since the previous one. ``test_screen_reader_transcript`` writes what a screen reader would say at
each step (focus, announcements, headings) to ``atspi-transcript.txt`` in the test's temporary folder.
"""

from __future__ import annotations

import pytest

from tests.ui.atspi.app_driver import PASSPHRASE, TAB_STOPS, WRONG_PASSPHRASE

pytestmark = pytest.mark.gui

INTERACTIVE = {"push button", "text", "password text", "combo box", "check box", "radio button", "spin button",
               "list", "table", "page tab", "toggle button", "link", "slider", "tree", "entry", "date editor",
               "list box"}
INPUTS = {"text", "password text", "combo box", "spin button", "check box", "radio button", "list", "date editor",
          "entry", "list box"}
FIXED_STATUS_NAMES = {"Unlock status", "Connection status", "Save status", "Passphrase rules"}


def _nodes(checkpoint):
    return [node for node in checkpoint.tree.walk() if "showing" in node.states]


def _focus_sequence(checkpoint) -> list[str]:
    """Paths that received focus, in order (AT-SPI ``object:state-changed:focused`` with detail 1)."""
    return [path for member, detail, path, body in checkpoint.events
            if member == "StateChanged" and detail == "focused" and body[1] == 1]


def _by_path(walk) -> dict[str, object]:
    found = {}
    for checkpoint in walk.values():
        for node in checkpoint.tree.walk():
            found[node.path] = node
    return found


def _announcements(checkpoint) -> list[str]:
    return [body[3][1] for member, _detail, _path, body in checkpoint.events if member == "Announcement"]


def test_the_walk_reaches_every_step(walk):
    names = list(walk)
    assert names[:6] == ["first run", "first run: passphrases differ", "your details", "home", "urgency", "phone now"]
    assert len([n for n in names if n.startswith("section: ")]) >= 8
    assert names[-6:] == ["error summary", "error link followed", "check answers", "sent", "locked: wrong passphrase",
                          "unlocked again"]


def test_questions_of_repeated_items_are_told_apart(walk):
    """Child 1 and Child 2 ask the same questions: their names say which child, their panels are named."""
    nodes = _nodes(walk["second child"])
    questions = [(n.role, n.name) for n in nodes if "focusable" in n.states and n.role != "list item"]
    assert any(name.startswith("Child 1: ") for _role, name in questions), questions
    assert any(name.startswith("Child 2: ") for _role, name in questions), questions
    assert len(questions) == len(set(questions)), sorted(q for q in questions if questions.count(q) > 1)
    assert {"Child 1", "Child 2"} <= {n.name for n in nodes if n.role in {"panel", "filler", "grouping"}}


def test_optional_questions_say_so_and_required_ones_do_not(walk):
    """Qt cannot set AT-SPI's "required" state (see README); the names carry GOV.UK's "(optional)"."""
    names = [n.name for name, cp in walk.items() if name.startswith("section: ")
             for n in _nodes(cp) if "focusable" in n.states]
    assert "Your full name" in names
    assert "Child 1: Other names or spellings (optional)" in names, sorted(set(names))


def test_announcements_carry_no_answers(walk):
    """Announcements go to every listener on the bus, not only to the focused field's reader: they say
    what happened ("Saved 4:24pm", "There is a problem"), never what was answered."""
    from referral_desktop.ui.editor.demo_answers import full_answers

    answers = full_answers()
    planted = [answers["children"][0]["given_names"], answers["children"][0]["family_name"],
               answers["referrer_name"]]
    said = [text for checkpoint in walk.values() for text in _announcements(checkpoint)]
    assert said, "nothing was announced"
    assert [t for t in said if any(p in t for p in planted)] == []


def test_the_confirmation_page_says_what_happened(walk):
    """No iART server in this walk: the referral waits to be sent, and the page says so in its heading."""
    headings = [n.name for n in _nodes(walk["sent"]) if n.role == "heading"]
    assert any(h.startswith("Referral") for h in headings), headings


def test_the_confirmation_page_is_heard_though_focus_is_on_its_button(walk):
    """Focus goes to "Back to your referrals"; what happened is announced, so it is heard, not only shown."""
    focused = [_by_path(walk).get(p) for p in _focus_sequence(walk["sent"])]
    assert focused and focused[-1] is not None and focused[-1].name == "Back to your referrals", focused
    said = _announcements(walk["sent"])
    assert any(text.startswith("Referral saved and waiting to send. It is stored encrypted on this computer")
               and "by itself" in text for text in said), said


def test_no_passphrase_characters_in_any_event_or_node(walk):
    """Typing a passphrase (first run: both fields, key by key, with a backspace) must not put its
    characters on the bus: no text-changed event carries any of them (Qt's password echo mode does not
    stop those: it sent each key), and no event or node anywhere holds a piece of the passphrase."""
    typed = [body[3][1] for member, _d, _p, body in walk["first run"].events
             if member == "TextChanged" and body[3][1] and body[3][1] in PASSPHRASE]
    assert typed == []
    pieces = [typed[i:i + 5] for typed in (PASSPHRASE, WRONG_PASSPHRASE) for i in range(len(typed) - 4)]
    leaks = []
    for name, checkpoint in walk.items():
        leaks += [(name, member, body[3]) for member, _d, _p, body in checkpoint.events
                  if any(piece in str(body) for piece in pieces)]
        leaks += [(name, node) for node in checkpoint.tree.walk()
                  if any(piece in node.name + node.description for piece in pieces)]
    assert leaks == []


def test_a_wrong_passphrase_at_the_lock_screen_is_announced_and_carried_by_the_field(walk):
    """Focus stays in the passphrase field, whose changed description a screen reader does not read by
    itself: the error is announced as it appears, and the field carries it ("Error: ...")."""
    checkpoint = walk["locked: wrong passphrase"]
    said = " ".join(_announcements(checkpoint))
    assert "The passphrase is wrong" in said, _announcements(checkpoint)
    field = [n for n in _nodes(checkpoint) if n.name == "Passphrase" and n.role != "label"]
    assert field and field[0].description.startswith("Error: The passphrase is wrong"), [
        (n.name, n.role, n.description) for n in _nodes(checkpoint) if "text" in n.role or "Error" in n.description]


def test_passphrases_that_differ_are_said_when_enter_is_pressed_in_the_second(walk):
    """Focus stays in the field where Enter was pressed: the error must be announced, not only shown."""
    checkpoint = walk["first run: passphrases differ"]
    said = " ".join(_announcements(checkpoint))
    assert "The passphrases do not match" in said, _announcements(checkpoint)
    [field] = [n for n in _nodes(checkpoint) if n.name == "Type the passphrase again" and "editable" in n.states]
    assert field.description.startswith("Error: The passphrases do not match"), field.description


def test_passphrase_fields_offer_no_text_to_read(walk):
    fields = [n for n in _nodes(walk["first run"]) if n.name in {"Choose a passphrase", "Type the passphrase again"}
              and "editable" in n.states]
    assert len(fields) == 2
    for field in fields:
        assert field.interfaces and "org.a11y.atspi.Text" not in field.interfaces, (field, field.interfaces)
        # ATSPI_ROLE_PASSWORD_TEXT: what tells Orca not to echo the keys typed (its role *name* says "text").
        assert field.role_id == 40, field.role_id


def test_every_interactive_node_has_a_name(walk):
    unnamed = {}
    for name, checkpoint in walk.items():
        bad = [f"{n.role} ({n.description[:40]!r})" for n in _nodes(checkpoint)
               if ("focusable" in n.states or n.role in INTERACTIVE) and not n.name.strip()]
        if bad:
            unnamed[name] = bad
    assert unnamed == {}


def test_no_unnamed_container_is_a_tab_stop(walk):
    stops = {name: [n.role for n in _nodes(cp) if "focusable" in n.states and n.role in {"filler", "panel", "scroll pane"}
                    and not n.name.strip()] for name, cp in walk.items()}
    assert {k: v for k, v in stops.items() if v} == {}


def test_status_lines_are_read_as_they_are_shown(walk):
    for name, checkpoint in walk.items():
        fixed = [n.name for n in _nodes(checkpoint) if n.name in FIXED_STATUS_NAMES]
        assert fixed == [], name
    rules = [n for n in _nodes(walk["first run"]) if "passphrase" in n.name.lower() and n.role == "label"]
    assert any("strong enough" in n.name for n in rules), [n.name for n in rules]
    assert any("strong enough" in text for text in _announcements(walk["first run"]))  # said as it changed
    # The connection indicator's name is its text ("Checking the connection to iART…", "Offline: ...").
    assert any("connect" in n.name.lower() or "offline" in n.name.lower()
               for n in _nodes(walk["home"]) if n.role == "label"), [n.name for n in _nodes(walk["home"])]


def test_each_section_has_its_title_as_a_heading(walk):
    for name, checkpoint in walk.items():
        if name.startswith("section: "):
            headings = [n.name for n in _nodes(checkpoint) if n.role == "heading"]
            assert name.removeprefix("section: ") in headings, (name, headings)


def test_the_error_summary_is_announced_and_takes_focus(walk):
    checkpoint = walk["error summary"]
    said = _announcements(checkpoint)
    assert any(text.startswith("There is a problem") for text in said), said
    nodes = _by_path(walk)
    focused = [nodes[p] for p in _focus_sequence(checkpoint) if p in nodes]
    assert focused and focused[-1].name == "There is a problem", focused


def test_the_error_summary_links_come_first_and_enter_follows_them(walk):
    nodes = _by_path(walk)
    sequence = [nodes[p] for p in _focus_sequence(walk["error link followed"]) if p in nodes]
    assert len(sequence) >= 2, sequence
    link, question = sequence[0], sequence[-1]
    assert link.role in {"push button", "link"} and link.name, link
    summary_links = [n.name for n in _nodes(walk["error summary"]) if n.role in {"push button", "link"}]
    assert link.name in summary_links
    assert question.description.startswith("Error: "), (question, question.description)


def test_change_links_name_their_question(walk):
    changes = [n.name for n in _nodes(walk["check answers"]) if n.name.startswith("Change")]
    assert len(changes) > 20
    assert "Change" not in changes and "Change Your full name" in changes, changes[:5]


def test_invalid_questions_say_error_first_in_their_description(walk):
    described = [n for n in _nodes(walk["error summary"]) if n.description.startswith("Error: ")]
    assert described, "no question carries its error"


def test_tab_stops_on_a_form_page_follow_reading_order(walk):
    """Forty Tab presses from the top of the longest section: no stop is visited twice before the
    others (no trap), every stop has a name, and within the page each stop is below the previous one
    (or on the same line, to its right). After the page's last button focus wraps to the list of sections."""
    nodes = _by_path(walk)
    start = {n.path: n for n in walk["tab order: start"].tree.walk()}
    sequence = _focus_sequence(walk["tab order: done"])
    assert len(sequence) >= TAB_STOPS - 1, len(sequence)
    # A list reports its current item's focus as well as its own; the Tab stop is the list.
    sequence = [p for p in sequence if nodes.get(p) is None or nodes[p].role != "list item"]
    lap = []
    for path in sequence:
        if path in lap:
            break
        lap.append(path)
    assert len(lap) >= 12, f"a trap or a short cycle: {[nodes.get(p) for p in sequence[:12]]}"
    assert sequence == [lap[i % len(lap)] for i in range(len(sequence))], "Tab does not cycle through the page"
    assert all(nodes.get(p) is not None and nodes[p].name for p in lap), [nodes.get(p) for p in lap]
    titles = {name.removeprefix("section: ") for name in walk if name.startswith("section: ")}
    page = _page_of(walk["tab order: start"].tree, titles)
    in_page = {n.path for n in page.walk()}
    previous = None
    compared = 0
    for path in lap:
        node = start.get(path)
        if node is None or path not in in_page:
            previous = None  # outside the page: the buttons below it, the list of sections
            continue
        x, y, _w, h = node.extents
        if previous is not None:
            px, py, _pw, ph = previous
            assert y >= py + ph // 2 or (abs(y - py) < max(h, ph) and x > px), (nodes[path], node.extents, previous)
            compared += 1
        previous = node.extents
    assert compared >= 8


def _page_of(tree, titles):
    """The scrolling page of the current section: the largest subtree holding the section's heading and
    none of the editor's buttons (Continue) or its list of sections."""
    parents = {}
    for node in tree.walk():
        for child in node.children:
            parents[child.path] = node
    heading = next(n for n in tree.walk() if n.role == "heading" and n.name in titles and "showing" in n.states)

    def outside(node):
        return any(n.name in {"Continue", "Sections of the form"} for n in node.walk())

    page = heading
    while page.path in parents and not outside(parents[page.path]):
        page = parents[page.path]
    return page


def test_phone_now_reads_the_numbers_to_call(walk):
    checkpoint = walk["phone now"]
    nodes = _by_path(walk)
    focused = [nodes[p] for p in _focus_sequence(checkpoint) if p in nodes]
    assert focused, "nothing took focus on the phone-now page"
    first = focused[-1]
    assert "999" in first.name + " " + first.description, first


def test_screen_reader_transcript(walk, tmp_path):
    """What a screen reader would say at each step: where focus is, announcements, the headings."""
    nodes = _by_path(walk)
    lines = []
    for name, checkpoint in walk.items():
        lines.append(f"== {name}")
        for text in _announcements(checkpoint):
            lines.append(f"   announced: {text}")
        focused = [nodes[p] for p in _focus_sequence(checkpoint) if p in nodes]
        if focused:
            node = focused[-1]
            lines.append(f"   focus: {node.role} {node.name!r}" + (f" — {node.description}" if node.description else ""))
        headings = [n.name for n in _nodes(checkpoint) if n.role == "heading"]
        lines.append(f"   headings: {headings}")
        assert headings, f"{name}: no heading to navigate by"
    (tmp_path / "atspi-transcript.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
