"""What a screen reader hears in the form editor, read from the real AT-SPI bus while a referral is
filled in by keyboard (editor_driver.py): questions with their hints, a revealed question next in Tab
order, the sections' "Done" / "Has errors" / "Not started" marks, errors on the questions, the checklist's ticks."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def editor_walk(tmp_path_factory):
    from tests.ui.atspi.conftest import _walked

    yield from _walked(tmp_path_factory, "tests.ui.atspi.editor_driver")


def _showing(checkpoint):
    return [node for node in checkpoint.tree.walk() if "showing" in node.states]


def _by_path(walk) -> dict[str, object]:
    return {node.path: node for checkpoint in walk.values() for node in checkpoint.tree.walk()}


def _focused(walk, name):
    """The node that last received focus at checkpoint ``name``."""
    nodes = {node.path: node for node in walk[name].tree.walk()}
    paths = [path for member, detail, path, body in walk[name].events
             if member == "StateChanged" and detail == "focused" and body[1] == 1 and path in nodes]
    return nodes[paths[-1]] if paths else None


def _announcements(checkpoint) -> list[str]:
    return [body[3][1] for member, _detail, _path, body in checkpoint.events if member == "Announcement"]


def test_a_question_is_named_by_its_label_and_described_by_its_hint(editor_walk):
    first = _focused(editor_walk, "first question")
    assert (first.role, first.name) == ("radio button", "Are you referring as: A professional")
    assert first.description.startswith("Choose 'A professional'"), first.description
    email = [n for n in _showing(editor_walk["about you"]) if n.name == "Your email address" and n.role == "text"]
    assert email and "secure email address" in email[0].description, email


def test_a_question_sits_in_a_container_named_by_its_section(editor_walk):
    """Continue puts focus on the next section's first question, and a screen reader said only that
    question ("Your full name"), never which section it had arrived in; a sighted user sees the heading.
    The page holding the questions is named by the section's title, which a screen reader speaks as the
    context focus has entered."""
    checkpoint = editor_walk["about you"]
    focused = _focused(editor_walk, "about you")
    assert focused is not None and focused.name == "Your full name", focused
    holders = [n for n in checkpoint.tree.walk() if n.name == "About you" and n.role != "heading"
               and any(inner.path == focused.path for inner in n.walk())]
    assert holders, "no named container around the question"


def test_a_radio_group_is_one_tab_stop_entered_on_its_answer(editor_walk):
    """GOV.UK's radios (HTML) and Windows radio groups: Tab from "A professional" leaves its group for the
    next question, entered on the answer it has ("No", from the urgency question), not on "A member of the
    public" nor on "Yes"; the option is heard with its question and as checked."""
    focused = _focused(editor_walk, "tab from a chosen answer")
    assert focused is not None and focused.role == "radio button", focused
    assert focused.name.startswith("Is a child in immediate danger") and focused.name.endswith(": No"), focused.name
    assert "checked" in focused.states, focused.states


def test_an_arrow_key_is_heard_moving_to_the_option_it_chooses(editor_walk):
    """Down from "Yes" of a pair side by side: "No" is heard, with its question, and checked."""
    focused = _focused(editor_walk, "arrowed to no")
    assert focused is not None and focused.role == "radio button", focused
    assert focused.name == "Have you already made this referral by phone?: No", focused.name
    assert "checked" in focused.states, focused.states
    back = _focused(editor_walk, "phone referral: yes")
    assert back is not None and back.name.endswith(": Yes") and "checked" in back.states, back


def test_a_question_revealed_by_an_answer_is_the_next_tab_stop(editor_walk):
    """GOV.UK's conditional questions: "Yes" to a phone referral reveals "When did you phone?", and Tab
    from the chosen answer reaches it next (not the questions below, nor the end of the page)."""
    focused = _focused(editor_walk, "tab after yes")
    assert focused is not None and focused.name.startswith("When did you phone?"), focused
    assert "date and time of the call" in focused.description


def test_leaving_a_section_with_errors_is_said_and_its_step_says_so(editor_walk):
    """Continue moves on to the next section even with questions left unanswered; a sighted user sees
    "Has errors" appear beside the section left. A screen-reader user heard only the next question: the
    section left and that it has problems are now announced, and its step reads "Has errors"."""
    checkpoint = editor_walk["continued with questions unanswered"]
    said = _announcements(checkpoint)
    assert any("Before you start" in text and "4 problems" in text for text in said), said
    steps = [n for n in _showing(checkpoint) if n.role == "list item" and n.name.startswith("1. Before you start")]
    assert steps and "Has errors" in steps[0].name and steps[0].description == "Has errors", steps


def test_back_on_that_section_focus_is_on_the_summary_and_the_questions_carry_their_errors(editor_walk):
    checkpoint = "back to the section with errors"
    summary = _focused(editor_walk, checkpoint)
    assert summary is not None and summary.name == "There is a problem", summary
    assert "Enter the date and time you phoned" in summary.description
    day = [n for n in _showing(editor_walk[checkpoint]) if n.name == "When did you phone?, day"]
    assert day and day[0].description.startswith("Error: Enter the date and time you phoned"), day


def test_a_section_never_opened_is_heard_as_not_started_after_send_checks_it(editor_walk):
    """Send checks every section; one of optional questions nobody opened was marked and heard "Done"."""
    steps = {n.name.split("\n")[0]: n for n in editor_walk["continue after change"].tree.walk()
             if n.role == "list item" and n.name[:1].isdigit()}
    professionals = [n for title, n in steps.items() if title.endswith("Professionals involved")]
    assert professionals, sorted(steps)
    assert "Done" not in professionals[0].name and professionals[0].description == "Not started", professionals


def test_continue_after_a_change_link_is_heard_back_on_the_check_page_at_that_link(editor_walk):
    """GOV.UK "Check answers": after "Change" and Continue, focus is back on the check page, on the link
    followed, which names its question; the page around it is named by the check page's title."""
    from referral_desktop.ui.editor.check_answers import CHECK_TITLE

    checkpoint = editor_walk["continue after change"]
    focused = _focused(editor_walk, "continue after change")
    assert focused is not None and focused.name == "Change Is there a Team Around the Family (TAF) for this child?", focused
    holders = [n for n in checkpoint.tree.walk() if n.name == CHECK_TITLE
               and any(inner.path == focused.path for inner in n.walk())]
    assert holders, "the link is not inside the check page's named container"


def test_on_the_check_page_a_change_link_is_heard_after_its_question_and_answer(editor_walk):
    """The check page's summary list (question | answer | Change, or stacked when narrow or at 200 %
    text, ``ui/editor/summary_list.py``) is heard in the order it reads: the question, its answer, then
    "Change <question>"."""
    checkpoint = editor_walk["continue after change"]
    focused = _focused(editor_walk, "continue after change")
    assert focused is not None and focused.name.startswith("Change "), focused
    holder = next(n for n in checkpoint.tree.walk() if any(child.path == focused.path for child in n.children))
    heard = [child for child in holder.children if child.role != "separator"]
    at = [child.path for child in heard].index(focused.path)
    question, answer = heard[at - 2], heard[at - 1]
    assert (question.role, question.name) == ("label", focused.name.removeprefix("Change ")), heard[at - 2:at + 1]
    assert answer.role == "label" and answer.name and not answer.name.startswith("Change"), heard[at - 2:at + 1]


def test_continue_after_a_change_with_problems_left_is_heard_on_that_page(editor_walk):
    """A changed answer whose section still has problems (a further question it brought up, left blank):
    Continue keeps the person on the page, and focus on "There is a problem" reads the problems, inside the
    section's named page, not back on the check page with "Has errors"."""
    checkpoint = editor_walk["continue after change, problems left"]
    focused = _focused(editor_walk, "continue after change, problems left")
    assert focused is not None and focused.name == "There is a problem", focused
    assert focused.description, "the summary's problems are not read"
    holders = [n for n in checkpoint.tree.walk() if n.name == "Before you start"
               and any(inner.path == focused.path for inner in n.walk())]
    assert holders, "the summary is not inside the section's named page"


def test_checklist_choices_say_they_can_be_ticked_and_which_are(editor_walk):
    items = [n for n in _showing(editor_walk["a concern ticked"])
             if n.role == "list item" and "checkable" in n.states]
    assert len(items) >= 10, items
    ticked = [n.name for n in items if "checked" in n.states]
    assert ticked == ["Alcohol misuse: by the child"], ticked


def test_a_section_too_long_to_show_with_its_first_question_reads_its_heading_first(editor_walk):
    """At 200 % text Continue scrolled "Information sharing" to its first question and cut its heading;
    the page now opens at its top with focus on its heading, which the bus reads as the section's title,
    a heading; Tab goes on to the first question."""
    heading = _focused(editor_walk, "a long section opened at 200 %")
    assert heading is not None and (heading.role, heading.name) == ("heading", "Information sharing"), heading
    question = _focused(editor_walk, "tab from the heading")
    assert question is not None and question.role == "radio button", question
    assert question.name.startswith("What is your lawful basis"), question.name


def test_editor_announcements_carry_no_answers(editor_walk):
    from referral_desktop.ui.editor.demo_answers import full_answers

    answers = full_answers()
    planted = [answers["referrer_name"], answers["referrer_email"], answers["referrer_telephone"]]
    said = [text for checkpoint in editor_walk.values() for text in _announcements(checkpoint)]
    assert said and [t for t in said if any(p in t for p in planted)] == []


def test_an_answer_that_can_no_longer_be_changed_is_heard_as_read_only(editor_walk):
    """A queued referral's answers looked like boxes to type in; each is now read-only text that a screen
    reader says is read-only and can still read and select in, named by its question. It was also said to
    be EDITABLE: Qt's line edit reports ``editable`` whatever it is set to (its read-only flag is added
    beside it), so the typed answer, the drop-down's answer and each box of a date were "editable, read
    only" on the bus; Qt's text edit (a long answer) drops ``editable`` when read-only. Each is now read-only
    text and not editable, its words still there to read (the Text interface)."""
    from referral_desktop.ui.editor.demo_answers import full_answers

    child = full_answers()["children"][0]
    drafted = [n for n in _showing(editor_walk["about you"]) if n.name == "Your full name" and n.role == "text"]
    assert drafted and "read_only" not in drafted[0].states, drafted  # a draft's answer: type here
    assert "editable" in drafted[0].states, drafted[0].states
    for checkpoint, question, words in (
            ("a typed answer, read-only", "Your full name", "Alex Sample"),
            ("a chosen answer, read-only", "Which best describes who is making this referral?", "School"),
            ("a long answer, read-only", None, child["child_address"]),
            ("a date, read-only", None, "27 March 2016")):  # as the check page writes it
        focused = _focused(editor_walk, checkpoint)
        assert focused is not None and focused.role == "text", (checkpoint, focused)
        assert question is None or focused.name == question, (checkpoint, focused.name)
        assert "read_only" in focused.states, (checkpoint, focused.states)
        assert "editable" not in focused.states, (checkpoint, focused.states)
        assert "org.a11y.atspi.Text" in focused.interfaces, focused.interfaces  # its words can be read
        assert focused.text == words, (checkpoint, focused.text)


def test_send_says_which_document_will_not_be_sent(editor_walk):
    """A document attached under a question the answers no longer ask is not sent; the check page says so
    above its answers, and "Send referral" carries it, so it is heard by someone who tabs straight there."""
    focused = _focused(editor_walk, "send with a document left out")
    assert focused is not None and focused.name == "Send referral", focused
    assert focused.description.startswith("1 document you attached will not be sent"), focused.description
    assert "“Attach the completed assessment”" in focused.description, focused.description
