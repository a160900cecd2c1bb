"""A long section title wraps in the step list instead of being cut ("5. Parents, carers and …")."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics

from referral_desktop.ui.editor.step_list import Mark, StepList
from tests.ui.test_accessibility import themed

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


def _first_mark(image, rect) -> tuple[int, int]:
    """The height and width of the leftmost drawn shape in ``rect`` (a row's icon): the run of pixel
    columns, from the first holding anything other than the row's background, to the next empty one."""
    background = image.pixelColor(rect.right() - 2, rect.top() + 2)

    def inked(x: int) -> list[int]:
        return [y for y in range(rect.top(), rect.bottom() + 1)
                if max(abs(image.pixelColor(x, y).red() - background.red()),
                       abs(image.pixelColor(x, y).green() - background.green()),
                       abs(image.pixelColor(x, y).blue() - background.blue())) > 60]

    columns = [x for x in range(rect.left(), rect.right() + 1)]
    start = next(x for x in columns if inked(x))
    end = next(x for x in columns if x > start and not inked(x))
    rows = [y for x in range(start, end) for y in inked(x)]
    return max(rows) - min(rows) + 1, end - start


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("mark", [Mark.DONE, Mark.ERRORS])
def test_a_section_s_mark_grows_with_the_text(qtbot, scale, mark):
    """The tick beside "Done" and the warning beside "Has errors" are about as tall as the letters, at
    200 % text too (they stayed 16 px: half the letters' height)."""
    with themed(scale=scale):
        steps = StepList(TITLES)
        qtbot.addWidget(steps)
        steps.resize(int(320 * scale), int(400 * scale))
        steps.set_mark(1, mark)
        steps.show()
        qtbot.waitExposed(steps)
        image = steps.viewport().grab().toImage()
        height, width = _first_mark(image, steps.visualRect(steps.step_model.index(1, 0)))
        letters = steps.fontMetrics().ascent()
        assert height >= 0.7 * letters and width >= 0.7 * letters, (scale, height, width, letters)


def test_the_marks_follow_a_text_size_changed_while_the_form_is_open(qtbot):
    steps = StepList(TITLES)
    qtbot.addWidget(steps)
    before = steps.iconSize().height()
    font = steps.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    steps.setFont(font)
    assert steps.iconSize().height() >= steps.fontMetrics().ascent() > before
