"""Moving between the editor's pages: the section list, Continue and Previous, and links to a question.

Why apart from the screen: which sections are shown depends on the answers, Continue submits the section
being left (so its errors show, GOV.UK's timing), and an error link or a "Change" link must land keyboard
focus on the very question, even one in the declaration on the check page. That logic is read here on its
own; the screen (editor_screen.py) builds the pages and owns the attributes this uses.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QRadioButton, QScrollArea, QWidget

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.check_answers import CheckAnswersPage
from referral_desktop.ui.editor.editor_mixin_base import EditorScreenBase
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.pending_layout import settle_pending_layout, show_whole
from referral_desktop.ui.editor.reading_order import apply_tab_order, focusables_in_reading_order
from referral_desktop.ui.editor.section_page import SectionPage
from referral_desktop.ui.editor.step_list import Mark

log = logging.getLogger("referral_desktop.ui.editor.editor_screen")  # the editor's log, as before the split


def _where_focus_enters(widget: QWidget) -> QWidget:
    """The part of a question focus enters it at: the option chosen of a group of radio buttons (as Tab
    into the group goes), not its first option. Focus on "Yes" with "No" chosen showed its highlight on
    the answer not given, and Space there changed the answer."""
    if not isinstance(widget, QRadioButton):
        return widget
    owner = widget.parentWidget()
    while owner is not None and not isinstance(owner, FieldInput):
        owner = owner.parentWidget()
    return owner.focus_target() if owner is not None else widget


class SectionNavigationMixin(EditorScreenBase):
    """Mixed into ``EditorScreen``: the page shown, the pages around it, and the way to any question."""

    @property
    def current_index(self) -> int:
        return self._current

    def current_page(self) -> SectionPage | CheckAnswersPage:
        """The page shown: a section's, or the check page (the stack holds nothing else)."""
        page = self.stack.currentWidget()
        assert isinstance(page, SectionPage | CheckAnswersPage)
        return page

    def _visible_rows(self) -> list[int]:
        answers = visible_answers(self.form, self.model.answers)  # as validation reads them
        rows = [i for i, s in enumerate(self.sections) if evaluate(s.visible_when, answers)]
        return rows + [self.step_list.check_row]

    def _first_visible(self) -> int:
        return self._visible_rows()[0]

    def go_to(self, row: int, *, focus_page: bool = False, submitted: bool = False) -> None:
        """Show section ``row`` (or the check page, the last row). The section being left is validated
        when the user acted on it: changed an answer in it, or pressed Continue (``submitted``)."""
        if row < 0 or row == self._current:
            if focus_page:
                self._focus_first_in_page()
            return
        leaving = self._current
        self._current = row
        if self._changing is not None and row != self._changing[1]:
            self._changing = None  # the person went elsewhere: the ordinary flow again
        if 0 <= leaving < len(self.sections) and not self.read_only:
            self.error_timing.left(leaving, submitted)
        if row == self.step_list.check_row:
            page = self._ensure_check_page()
            page.refresh()
            self.stack.setCurrentWidget(page)
            self.continue_button.hide()
            self.previous_button.show()
        else:
            section_page = self.pages[row]
            if self.isVisible():  # on screen; a page passed through while the editor opens is not seen
                self.error_timing.shown(row)
            section_page.build()
            section_page.refresh_visibility()
            self.stack.setCurrentWidget(section_page)
            self.continue_button.show()
            self.continue_button.setText("Continue")
            self.previous_button.setVisible(row != self._first_visible())
        self.step_list.select_row(row)
        self.title_changed.emit(self.page_title())
        self._fix_tab_order()
        if focus_page:
            self._focus_first_in_page()

    def page_id(self) -> str:
        """The page shown, by the form's section id ("check" for check your answers)."""
        if self._current == self.step_list.check_row:
            return "check"
        return self.sections[self._current].id if 0 <= self._current < len(self.sections) else ""

    def go_to_page(self, page_id: str) -> None:
        """Open the page ``page_id`` (from ``page_id()``) if it is shown for these answers."""
        row = self.step_list.check_row if page_id == "check" else self._section_index(page_id)
        if row is not None and row in self._visible_rows():
            self.go_to(row)

    def page_title(self) -> str:
        if self._current == self.step_list.check_row:
            return "Check your answers"
        return self.sections[self._current].title if 0 <= self._current < len(self.sections) else ""

    def _focus_first_in_page(self) -> None:
        page = self.current_page()
        inner = page.widget() or page
        widgets = [w for w in focusables_in_reading_order(inner) if w.isVisibleTo(inner) and w.isEnabled()]
        if widgets:
            widgets[0] = _where_focus_enters(widgets[0])
        if isinstance(page, SectionPage):
            page.open_at_top(widgets[0] if widgets else None)
        elif widgets:
            # The check page opens at its top, its title seen: measured laid out (it was just rebuilt),
            # scrolled no further than the first link needs. Scrolled before layout, it was left past
            # its title, and a person arrived with no heading to say where they were.
            settle_pending_layout()
            widgets[0].setFocus(Qt.FocusReason.TabFocusReason)
            page.verticalScrollBar().setValue(0)
            if widgets[0].height() <= page.viewport().height():  # a taller error summary shows its top
                show_whole(page, widgets[0])

    def _neighbour(self, step: int) -> int | None:
        visible = self._visible_rows()
        if self._current not in visible:
            return visible[0]
        position = visible.index(self._current) + step
        return visible[position] if 0 <= position < len(visible) else None

    def go_next(self) -> None:
        """Continue: the user submits this section (GOV.UK), so its errors show even if nothing changed.
        From a page a "Change" link opened, it goes back to the check page (``change_answer``)."""
        if self._changing is not None and self._changing[1] == self._current:
            if not self._kept_by_problems():
                self._return_to_check(self._changing[0])
            return
        target = self._neighbour(+1)
        if target is not None:
            leaving = self._current
            self.go_to(target, focus_page=True, submitted=True)
            self._say_left_with_errors(leaving)

    def _say_left_with_errors(self, row: int) -> None:
        """Continue moves on even with problems left; a sighted user sees "Has errors" appear beside the
        section, and a screen-reader user, whose focus is already on the next question, hears it said
        (the section's title and a count, never an answer)."""
        if not 0 <= row < len(self.sections) or self.step_list.marks[row] is not Mark.ERRORS:
            return
        count = len(self.pages[row].errors)
        problems = f"{count} problem{'s' if count != 1 else ''}"
        announce(self.step_list, f"{self.sections[row].title} has {problems} to fix. It is marked "
                                 f"{Mark.ERRORS.value} in the list of sections.")

    def go_previous(self) -> None:
        target = self._neighbour(-1)
        if target is not None:
            self.go_to(target, focus_page=True)

    def go_to_check(self) -> None:
        self.go_to(self.step_list.check_row, focus_page=True)

    def change_answer(self, path_text: str) -> None:
        """A "Change" link on the check page (GOV.UK "Check answers"): to the question, and Continue from its
        page returns to the check page instead of going on through every later section. Going anywhere
        else first (Previous, the list of sections, an error link) ends that: the ordinary flow again."""
        self.navigate_to(path_text)
        if self._current != self.step_list.check_row:
            self._changing = (path_text, self._current)

    def _kept_by_problems(self) -> bool:
        """Continue on a page a "Change" link opened, with problems on it (often a further question the
        new answer brought up, left blank): the person stays until they are fixed (GOV.UK "Check answers"),
        the page's error summary taking focus and saying them, as on a page returned to with problems.
        Going back to the check page with "Has errors" made them find the question again."""
        row = self._current
        if not self.error_timing.submit(row):
            return False
        self._fix_tab_order()  # the summary's links, now shown, come first on the page
        settle_pending_layout()  # the summary appeared: measure it laid out before scrolling to it
        self.pages[row].focus_summary()
        return True

    def _return_to_check(self, path_text: str) -> None:
        """Back on the check page, focus on the Change link followed, beside its answer as it is now; a
        screen reader hears the page's name (the context focus entered) and the link's, which names the
        question. The section left is submitted, as Continue submits it."""
        leaving = self._current
        self.go_to(self.step_list.check_row, submitted=True)
        check = self._ensure_check_page()
        link = check.change_links.get(path_text)
        if link is None:  # the question is hidden now (an answer changed what is asked)
            self._focus_first_in_page()
        else:
            settle_pending_layout()  # the summary was rebuilt: measure it laid out
            link.setFocus(Qt.FocusReason.TabFocusReason)
            show_whole(check, link)
        self._say_left_with_errors(leaving)

    def navigate_to(self, path_text: str) -> None:
        """Switch to the question's section (and repeat item) and move keyboard focus to it."""
        if not self.isVisible():
            self._pending_focus = path_text  # focus can only land once the editor is on screen
        path = FieldPath.parse(path_text)
        owner = path.group_id or path.field_id
        section = self.form.section_for(owner)
        if section is None:
            log.info("no section for error path")
            return
        if section is self._declaration:
            check = self._ensure_check_page()
            if self._current != self.step_list.check_row:
                self.go_to(self.step_list.check_row)
            row = check.row_for(path)
            if row is not None:
                check.ensureWidgetVisible(row)
                row.focus_input()
            return
        index = self.sections.index(section)
        self.go_to(index)
        self.pages[index].focus_path(path)

    def row_for(self, path_text: str) -> Any:
        """The question row for a path, building its page if needed (None when hidden or unknown)."""
        path = FieldPath.parse(path_text)
        section = self.form.section_for(path.group_id or path.field_id)
        if section is None:
            return None
        if section is self._declaration:
            return self._ensure_check_page().row_for(path)
        return self.pages[self.sections.index(section)].row_for(path)

    def page_for_section(self, section_id: str) -> SectionPage:
        index = self._section_index(section_id)
        if index is None:
            raise KeyError(section_id)
        return self.pages[index]

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep keyboard focus in sight on the page: Qt's scroll area follows it only on Tab, so an arrow key
        moving to the next of a stacked list of choices (and choosing it) went below the window. Not for a
        click (the person is pointing at what they see), nor for something taller than the page (an error
        summary shows its top: ``show_top_of``), nor for what is already wholly seen."""
        page = self.stack.currentWidget() if self.isVisible() else None
        if new is None or not isinstance(page, QScrollArea) or not page.isAncestorOf(new):
            return
        if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        viewport = page.viewport()
        shown = QRect(new.mapTo(viewport, QPoint(0, 0)), new.size())
        if new.height() <= viewport.height() and not viewport.rect().contains(shown):
            show_whole(page, new)

    def _fix_tab_order(self) -> None:
        page = self.current_page()
        inner = page.widget() or page
        # A section's heading is no Tab stop, but focus given to it (a page opened at its top) goes on to the
        # page's first question with Tab.
        heading = [page.title] if isinstance(page, SectionPage) and page.built else []
        order = [self.step_list, *heading, *focusables_in_reading_order(inner), self.continue_button,
                 self.previous_button, self.close_button]
        apply_tab_order(order)

    def _section_index(self, section_id: str) -> int | None:
        for index, section in enumerate(self.sections):
            if section.id == section_id:
                return index
        return None
