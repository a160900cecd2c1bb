"""When the editor shows errors: only after the user acts, and gone as soon as they are fixed.

Why a module of its own: the rule is the issue most often got wrong (a new referral opened with "There is
a problem" for questions nobody had reached, and a fixed error stayed in the summary), so it lives in one
place with its reasons. GOV.UK shows errors after the user submits; here that means:

* opening a referral marks complete sections "Done" and shows only iART's reasons, never other errors
  (answers copied in from the profile or the recorded call are not the user's mistakes yet);
* leaving a section shows its errors if the user changed an answer in it on this visit, or pressed
  Continue (a section with no answers at all stays unmarked until the check); on a page a "Change" link
  on the check page opened, Continue with problems left keeps the person there, errors shown, until fixed;
* checking answers (or sending) shows every error and the summary, and marks each section without
  errors "Done" only if it was opened on this visit or holds an answer; otherwise "Not started" (a person
  reads "Done" as "I have been through this", and a section of optional questions nobody opened passes
  the check). The app keeps no record of the pages opened on an earlier visit, so a draft reopened later
  goes by its answers. A "Not started" section opened and left (however) is marked as opened: "Done"
  without errors;
* a key press never adds an error, but an error already shown goes as soon as its answer is fixed, on the
  page, in the step list and in the check page's summary.
"""

from __future__ import annotations

from typing import Any

from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.ui.editor.answer_paths import FieldPath, is_answered
from referral_desktop.ui.editor.step_list import Mark


def section_has_answers(section: Any, answers: dict) -> bool:
    for item in section.items:
        value = answers.get(item.id)
        if isinstance(item, RepeatGroup):
            if isinstance(value, list) and any(
                isinstance(v, dict) and any(is_answered(x) for x in v.values()) for v in value
            ):
                return True
        elif is_answered(value):
            return True
    return False


class ErrorTiming:
    """Decides what the editor's pages, step list and check page show; the editor calls it."""

    def __init__(self, editor: Any) -> None:
        self.editor = editor
        self.touched: set[str] = set()  # sections whose answers the user changed on this visit
        self.seen: set[str] = set()  # sections opened on this visit (shown as the page)

    @property
    def _validation(self) -> Any:
        return self.editor.validation

    def show_section(self, index: int, errors: list[tuple[str, str]]) -> None:
        self.editor.pages[index].show_errors(errors)
        self.editor.step_list.set_mark(index, Mark.ERRORS if errors else self._mark_without_errors(index))

    def _mark_without_errors(self, index: int) -> Mark:
        section = self.editor.sections[index]
        started = section.id in self.seen or section_has_answers(section, self.editor.model.answers)
        return Mark.DONE if started else Mark.NOT_STARTED

    def shown(self, index: int) -> None:
        """Section ``index`` is the page on screen: from now on it counts as opened."""
        self.seen.add(self.editor.sections[index].id)

    def opened(self) -> None:
        """Mark sections that already hold valid answers "Done" (a draft reopened) and show iART's reasons."""
        editor, validation = self.editor, self._validation
        validation.run(editor.model.answers)
        for index, section in enumerate(editor.sections):
            if validation.rejections_for(section.id):
                self.show_section(index, validation.errors_for(section.id))
            elif section_has_answers(section, editor.model.answers) and not validation.errors_for(section.id):
                editor.step_list.set_mark(index, Mark.DONE)

    def changed(self, path: str) -> None:
        parsed = FieldPath.parse(path)
        section = self.editor.form.section_for(parsed.group_id or parsed.field_id)
        if section is not None:
            self.touched.add(section.id)
        self.withdraw_fixed()

    def left(self, index: int, submitted: bool = False) -> None:
        """The user left section ``index`` (``submitted``: with Continue)."""
        editor, validation = self.editor, self._validation
        section = editor.sections[index]
        if editor.step_list.marks[index] is Mark.NOT_STARTED:
            # Checked before as never opened; it has been now, so it reads as any opened section. Left
            # unmarked (or "Not started" when only looked at), it said nothing true until the next Send.
            validation.run(editor.model.answers)
            self.show_section(index, validation.errors_for(section.id))
            return
        if not submitted and section.id not in self.touched:
            return  # looked at, not acted on
        if not section_has_answers(section, editor.model.answers) and not validation.rejections_for(section.id):
            # Passing through an untouched section is not a mistake: leave it unmarked until the check.
            editor.pages[index].show_errors([])
            editor.step_list.set_mark(index, Mark.NONE)
            return
        validation.run(editor.model.answers)
        self.show_section(index, validation.errors_for(section.id))

    def submit(self, index: int) -> bool:
        """Continue pressed on section ``index`` where the person stays if it has problems (a page a
        "Change" link opened): its errors shown and its mark set; True when it has any."""
        validation = self._validation
        validation.run(self.editor.model.answers)
        errors = validation.errors_for(self.editor.sections[index].id)
        if errors:
            self.show_section(index, errors)
        return bool(errors)

    def withdraw_fixed(self) -> None:
        """Errors already on screen go as soon as their answer is fixed; no new ones on a key press."""
        editor, validation = self.editor, self._validation
        shown = [index for index, page in enumerate(editor.pages) if page.errors]
        on_check = editor.check_page.errors if editor.check_page is not None else []
        if not shown and not on_check:
            return
        validation.run(editor.model.answers)
        current = dict(validation.all_errors())
        for index in shown:
            still = [(path, current[path]) for path, _message in editor.pages[index].errors if path in current]
            if still != editor.pages[index].errors:
                self.show_section(index, still)
        if on_check:
            still = [(path, current[path]) for path, _message in on_check if path in current]
            if still != on_check:
                editor.check_page.show_errors(still)

    def check_all(self, check_page: Any) -> bool:
        """Every section's errors and the summary on the check page; True when there are none."""
        editor, validation = self.editor, self._validation
        validation.run(editor.model.answers)
        for index, section in enumerate(editor.sections):
            self.show_section(index, validation.errors_for(section.id))
        check_page.show_errors(validation.all_errors())
        return not validation.all_errors()
