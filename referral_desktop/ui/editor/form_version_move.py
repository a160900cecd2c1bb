"""Offers to move a draft started on an older form version to the newer one: a banner and a dialog.

Why: a draft keeps the form version it was started on, but some drafts can never be sent under their
old version's rules (a 1.0.0 statutory notification). The banner says a newer version is available; the
dialog says what changes for this draft (which answers are not carried and why, which questions are
new) before anything happens. The move itself runs on the store thread from the answers the store
holds (the editor is flushed first), carries what the newer form's own mapping allows
(``domain.form_move``), and keeps the earlier answers with the referral until it is sent.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.domain.form_definition import FormDefinition
from referral_desktop.domain.form_move import FormMove, can_move, plan_move

log = logging.getLogger(__name__)


def newer_form_for(form: FormDefinition) -> FormDefinition | None:
    """The newest version of ``form`` when it declares how to carry drafts of ``form``'s version."""
    from referral_desktop.domain.form_catalog import FormDefinitionError, latest_form

    try:
        newest = latest_form(form.form_id)
    except FormDefinitionError as exc:
        log.warning("newest form not available (%s)", type(exc).__name__)
        return None
    if newest.version == form.version or not can_move(form, newest):
        return None
    return newest


def move_draft(store: Any, referral_id: str, old: FormDefinition, new: FormDefinition) -> FormMove:
    """On the store thread: move the draft by ``new``'s mapping from the answers the store holds."""
    referral = store.referrals.get(referral_id)
    move = plan_move(old, new, referral.answers)
    store.form_moves.move(referral_id, old.version, new.version, move.answers, referral.answers)
    return move


class NewerVersionBanner(QFrame):
    """"A newer version of this form is available", with a button that opens :class:`MoveDraftDialog`."""

    move_requested = Signal()

    def __init__(self, old: FormDefinition, new: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newerFormBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        self.text = QLabel(
            f"A newer version of this form is available (version {new.version}; this draft is on "
            f"{old.version}). See what changes before you move this draft to it."
        )
        self.text.setWordWrap(True)
        self.button = QPushButton("What changes", objectName="newerFormButton")
        self.button.setAccessibleDescription(f"Move this draft to form version {new.version}")
        self.button.clicked.connect(self.move_requested)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)


def _list_label(lines: list[str], name: str) -> QLabel:
    label = QLabel("\n".join(f"• {line}" for line in lines) if lines else "None.", objectName=name)
    label.setWordWrap(True)
    return label


class MoveDraftDialog(QDialog):
    """What moving this draft changes; accepted means "move it"."""

    def __init__(self, move: FormMove, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveDraftDialog")
        self.setWindowTitle(f"Move this draft to form version {move.to_version}")
        body = QWidget()
        column = QVBoxLayout(body)
        # Truthful about what the user can still reach: the earlier answers stay in the store (for the
        # record) but nothing in the app shows them again, so "not lost" promised what no screen gives.
        self.intro = QLabel(
            f"{len(move.carried)} answers will be carried to version {move.to_version}. Answers that are "
            "not carried are not shown in the form after the move: note anything you still need from them "
            f"before you move. A copy of every answer you gave on version {move.from_version} stays with "
            "the referral in this computer's encrypted store until iART has received it."
        )
        self.intro.setWordWrap(True)
        column.addWidget(self.intro)
        column.addWidget(QLabel("Not carried, and why:"))
        self.not_carried = _list_label([f"{n.label} — {n.reason}" for n in move.not_carried], "notCarriedList")
        column.addWidget(self.not_carried)
        column.addWidget(QLabel("New questions:"))
        self.new_questions = _list_label([label for _, label in move.new_questions], "newQuestionsList")
        column.addWidget(self.new_questions)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox()
        self.move_button = buttons.addButton(f"Move to version {move.to_version}",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button = buttons.addButton(f"Keep version {move.from_version}",
                                             QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.keep_button.setDefault(True)  # nothing changes unless the user chooses to move


def preview_move(old: FormDefinition, new: FormDefinition, answers: dict[str, Any]) -> FormMove:
    """What a move of these (on-screen) answers would carry, for the dialog."""
    return plan_move(old, new, answers)
