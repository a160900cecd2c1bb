"""The form editor walked by keyboard for the AT-SPI tests, as a screen-reader user fills a referral in.

Run as ``python -m tests.ui.atspi.editor_driver PROFILE_DIR`` (see app_driver.py for the protocol). The
walk: first run and your details (set directly: the main walk listens to those) -> a new referral ->
"Before you start" with focus on its first question -> "A professional" chosen with Space -> Tab (one
stop per radio group: the next question, on its answer "No") -> Tab to "Have you already made this
referral by phone?" -> Down ("No", chosen) -> Up ("Yes", chosen) -> Tab (to the question that answer
revealed) -> Continue with questions left unanswered -> Previous (the section with its errors) -> "About
you" -> "Concerns", a concern ticked with Space in its checklist -> at 200 % text, Continue from "Early
help" to "Information sharing" (its heading focused) -> Tab -> "Send referral" on the check page, which
checks every section -> "Change" beside "Are you referring as", then Continue (kept on "Before you
start", the phone call's questions left unanswered, the error summary focused) -> the check page, "Change" beside "Is there a Team
Around the Family", then Continue (back on the check page, where "Professionals involved", never opened,
reads "Not started") -> a document under "Attach the completed assessment", the tool question then
answered No, "Send referral" focused on the check page -> the referral made read-only (as when it is queued), Tab to "Your full name", to
"Which best describes who is making this referral?", to a child's address and to the day of the child's birth.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from tests.ui.atspi.app_driver import PASSPHRASE, _settle, _wait, main


def editor_walk(app, window, context) -> Iterator[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from referral_desktop.ui.editor.demo_answers import full_answers
    from referral_desktop.ui.screens.home import HomeScreen
    from referral_desktop.ui.theme import refresh_style

    def key(k, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(app.focusWidget(), k, modifier)

    first = window.current
    _wait(app, lambda: first.passphrase.isVisible())
    first.passphrase.setText(PASSPHRASE)
    first.confirm.setText(PASSPHRASE)
    first.create_button.click()
    _wait(app, lambda: first.pages.currentIndex() == 1)
    first.profile_form.set_values({k: v for k, v in full_answers().items() if k.startswith("referrer_")})
    first.save_profile_button.click()
    _wait(app, lambda: isinstance(window.current, HomeScreen))
    window.new_referral()
    urgency = window.current
    _wait(app, lambda: urgency.no.isVisible())
    urgency.no.setFocus()
    key(Qt.Key.Key_Space)
    urgency.continue_button.setFocus()
    key(Qt.Key.Key_Space)
    _wait(app, lambda: getattr(getattr(window.current, "editor", None), "go_to", None) is not None)
    editor = window.current.editor
    _settle(app, context, 300)
    editor.go_to(editor._first_visible(), focus_page=True)
    _settle(app, context, 400)
    yield "first question"

    key(Qt.Key.Key_Space)  # "A professional"
    _settle(app, context, 200)
    # A radio group is one Tab stop: Tab leaves "Are you referring as" for the next question, entering it
    # on its answer ("No", from the urgency question), then the phone question on its first option.
    key(Qt.Key.Key_Tab)
    _settle(app, context, 300)
    yield "tab from a chosen answer"

    key(Qt.Key.Key_Tab)
    _settle(app, context, 200)
    key(Qt.Key.Key_Down)  # the arrow keys move and choose: "No"
    _settle(app, context, 300)
    yield "arrowed to no"

    key(Qt.Key.Key_Up)  # back to "Yes", chosen
    _settle(app, context, 400)
    yield "phone referral: yes"

    key(Qt.Key.Key_Tab)
    _settle(app, context, 400)
    yield "tab after yes"

    editor.continue_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(Qt.Key.Key_Space)
    _settle(app, context, 500)
    yield "continued with questions unanswered"

    editor.previous_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(Qt.Key.Key_Space)
    _settle(app, context, 500)
    yield "back to the section with errors"

    editor.go_to(editor._section_index("about_you"), focus_page=True)
    _settle(app, context, 400)
    yield "about you"

    editor.go_to(editor._section_index("concerns"), focus_page=True)
    _settle(app, context, 300)
    checklist = editor.row_for("concern_categories").input
    checklist.list.setFocus(Qt.FocusReason.TabFocusReason)
    checklist.list.setCurrentIndex(checklist.list.model().index(0, 0))
    _settle(app, context, 200)
    key(Qt.Key.Key_Space)
    _settle(app, context, 400)
    yield "a concern ticked"

    # 200 % text: "Information sharing"'s description pushes its first question below the fold, so
    # Continue opens it at its top with focus on its heading; Tab then reaches the first question.
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(font)
    refresh_style(app)
    editor.go_to(editor._section_index("early_help"), focus_page=True)
    _settle(app, context, 300)
    editor.continue_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(Qt.Key.Key_Space)
    _settle(app, context, 400)
    yield "a long section opened at 200 %"

    key(Qt.Key.Key_Tab)
    _settle(app, context, 300)
    yield "tab from the heading"

    editor.go_to_check()
    editor.check_page.send_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(Qt.Key.Key_Space)  # Send with problems left: every section checked, the list marked
    _settle(app, context, 100)  # not a checkpoint: the marks are read at the next one

    def change_and_continue(path):
        link = editor.check_page.change_links[path]
        link.setFocus(Qt.FocusReason.TabFocusReason)
        key(Qt.Key.Key_Space)
        _settle(app, context, 100)  # not a checkpoint: the question's page is shown at once
        editor.continue_button.setFocus(Qt.FocusReason.TabFocusReason)
        key(Qt.Key.Key_Space)
        _settle(app, context, 400)

    change_and_continue("referrer_type")  # "Before you start": the phone call's questions unanswered
    # Until focus is on "There is a problem" in the app, then the bus's own time: under load (a load average
    # of 4) the 400 ms settle ended before the focus moved, and its event was read at the next checkpoint.
    _wait(app, lambda: app.focusWidget() is not None and app.focusWidget().objectName() == "errorSummary")
    _settle(app, context, 200)
    yield "continue after change, problems left"

    editor.go_to_check()
    change_and_continue("taf_in_place")  # "Early help": nothing required
    yield "continue after change"

    # A document attached under "Attach the completed assessment", then the tool question answered No: the
    # check page says the document will not be sent, and so does "Send referral" to whoever tabs to it.
    from referral_desktop.ui.editor.answer_paths import FieldPath

    editor.go_to(editor._section_index("early_help"))
    editor.model.set(FieldPath("assessment_tool_attachments"), ["1c6f7a2d-2e3f-4a4b-9c5d-6e7f8a9b0c1d"])
    editor.model.set(FieldPath("assessment_tool_used"), "no")
    editor.go_to_check()
    editor.check_page.send_button.setFocus(Qt.FocusReason.TabFocusReason)
    _settle(app, context, 300)
    yield "send with a document left out"

    # A child's address and date of birth, as typed there, for the read-only long answer and date below.
    editor.go_to(editor._section_index("children"))  # its page, with its first child
    editor.model.set(FieldPath.parse("children[0].child_address"), full_answers()["children"][0]["child_address"])
    editor.model.set(FieldPath.parse("children[0].date_of_birth"), full_answers()["children"][0]["date_of_birth"])
    editor.go_to(editor._section_index("about_you"))
    editor.row_for("referral_source").input.set_value(full_answers()["referral_source"])  # "School", shown

    # The referral queued (as Send does once it is sent on its way): the answers are read-only, reached
    # by Tab, to be read and copied.
    editor.set_read_only()

    def reach(path: str) -> None:
        """Tab to the answer at ``path`` (its read-only words), as a person does to read or copy it."""
        editor.row_for(path).input.focus_target().setFocus(Qt.FocusReason.TabFocusReason)
        _settle(app, context, 300)

    editor.go_to(editor._section_index("about_you"))
    reach("referrer_name")
    yield "a typed answer, read-only"
    reach("referral_source")
    yield "a chosen answer, read-only"
    editor.go_to(editor._section_index("children"))
    reach("children[0].child_address")
    yield "a long answer, read-only"
    reach("children[0].date_of_birth")
    yield "a date, read-only"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], walker=editor_walk))
