"""What the editor's mixins may use of the screen they are mixed into: declared once, for mypy.

``EditorScreen`` (editor_screen.py) keeps moving between pages (section_navigation.py) and errors and
sending (editor_submission.py) in mixins read one at a time; each uses widgets and state the screen sets
up and methods of the other. For the type checker they derive from ``EditorScreenBase``, a ``QWidget``
declaring those with their types, so each mixin is checked as the screen it runs in. At run time the
name is ``object`` (nothing imported, the screen's MRO unchanged).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import ClassVar

    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QWidget

    from referral_desktop.domain.form_definition import FormDefinition, Section
    from referral_desktop.ui.editor.answers_model import AnswersModel
    from referral_desktop.ui.editor.autosave import Autosaver
    from referral_desktop.ui.editor.check_answers import CheckAnswersPage
    from referral_desktop.ui.editor.editor_context import EditorContext
    from referral_desktop.ui.editor.error_timing import ErrorTiming
    from referral_desktop.ui.editor.section_page import SectionPage
    from referral_desktop.ui.editor.step_list import StepList
    from referral_desktop.ui.editor.validation_view import ValidationView
    from referral_desktop.ui.unsaved_answers import UnsavedAnswers

    class EditorScreenBase(QWidget):
        send_requested: ClassVar[Signal]
        title_changed: ClassVar[Signal]

        form: FormDefinition
        referral_id: str
        read_only: bool
        context: EditorContext
        model: AnswersModel
        autosaver: Autosaver
        unsaved: UnsavedAnswers
        validation: ValidationView
        error_timing: ErrorTiming
        _declaration: Section | None
        sections: list[Section]
        _current: int  # the row of the step list shown
        _pending_focus: str | None  # a field to focus once the editor is on screen
        _changing: tuple[str, int] | None  # the answer a "Change" link opened, and its page's row
        step_list: StepList
        banner: QLabel
        stack: QStackedWidget
        pages: list[SectionPage]
        check_page: CheckAnswersPage | None
        previous_button: QPushButton
        continue_button: QPushButton
        close_button: QPushButton

        # editor_screen.py
        def flush(self) -> bool: ...
        def _ensure_check_page(self) -> CheckAnswersPage: ...

        # section_navigation.py
        def go_to(self, row: int, *, focus_page: bool = False, submitted: bool = False) -> None: ...
        def _fix_tab_order(self) -> None: ...
else:
    EditorScreenBase = object
