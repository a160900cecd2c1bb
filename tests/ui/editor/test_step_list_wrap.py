"""A long section title wraps in the step list instead of being cut ("5. Parents, carers and …")."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics

from referral_desktop.ui.editor.step_list import StepList

pytestmark = pytest.mark.gui

TITLES = ["Before you start", "About you", "Parents, carers and household members", "Concerns"]


def test_a_title_wider_than_the_list_gets_a_taller_row_not_an_ellipsis(qtbot):
    steps = StepList(TITLES)
    qtbot.addWidget(steps)
    steps.setFixedWidth(220)
    steps.show()
    qtbot.waitExposed(steps)
    model = steps.step_model
    short, long = steps.visualRect(model.index(1, 0)), steps.visualRect(model.index(2, 0))
    metrics = QFontMetrics(steps.font())
    assert metrics.horizontalAdvance(model.index(2, 0).data()) > steps.viewport().width()  # it must wrap
    assert long.height() >= short.height() + metrics.height() - 2  # room for a second line
    assert long.width() <= steps.viewport().width()
