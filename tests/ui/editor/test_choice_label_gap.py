"""The gap between a radio button's circle (or a check box's square) and its words grows with the text.

Why: the circle and the square are sized in em and grew at 200 % text, but the gap beside them stayed the
style's few pixels: about 4 px between a 30 px circle and letters twice as tall, so 'Yes' and 'No' side by
side read as circle-word circle-word with the word hard against its circle (found by looking at the
editor at 200 % text). GOV.UK keeps a clear gap, about half the text's height, between them.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCheckBox, QRadioButton

from tests.ui.test_accessibility import themed
from tests.ui.test_contrast_pixels import PALETTES

pytestmark = pytest.mark.gui


def _ink_runs(image: QImage) -> list[tuple[int, int]]:
    """Runs of pixel columns holding anything other than the background: (first, last) of each."""
    background = image.pixelColor(image.width() - 1, image.height() // 2)

    def inked(x: int) -> bool:
        for y in range(image.height()):
            c: QColor = image.pixelColor(x, y)
            if max(abs(c.red() - background.red()), abs(c.green() - background.green()),
                   abs(c.blue() - background.blue())) > 80:
                return True
        return False

    runs: list[tuple[int, int]] = []
    start = None
    for x in range(image.width()):
        if inked(x) and start is None:
            start = x
        elif not inked(x) and start is not None:
            runs.append((start, x - 1))
            start = None
    return runs


def _gap(qtbot, kind, scale: float, palette_name: str) -> tuple[int, int]:
    """(pixels between the mark's right edge and the first letter, the letters' height)."""
    with themed(PALETTES[palette_name](), scale=scale):
        button = kind("Yes")
        qtbot.addWidget(button)
        button.show()
        qtbot.waitExposed(button)
        runs = _ink_runs(button.grab().toImage())
        assert len(runs) >= 2, runs  # the mark, then the letters
        return runs[1][0] - runs[0][1] - 1, button.fontMetrics().capHeight()


@pytest.mark.parametrize("palette_name", ["GOV.UK light", "dark", "high contrast"])
@pytest.mark.parametrize("kind", [QRadioButton, QCheckBox])
def test_the_gap_beside_a_choice_s_mark_grows_with_the_text(qtbot, kind, palette_name):
    small, small_letters = _gap(qtbot, kind, 1.0, palette_name)
    large, large_letters = _gap(qtbot, kind, 2.0, palette_name)
    assert large >= 1.7 * small, (small, large)
    for gap, letters in ((small, small_letters), (large, large_letters)):
        assert gap >= 0.6 * letters, (gap, letters)  # clear of the mark: about half an em


@pytest.fixture(params=[9.0, 12.0], ids=["9 pt", "the app's 12 pt"])
def base_points(request, qapp):
    """The text size the scale is applied to (put back by tests/ui/conftest.py). The app's is 12 pt
    (``theme.BODY_POINTS``); Qt's own on this platform is 9. Left to the tests before, it was either, and
    at 12 pt × 2 the space between two options was 1.45 times a circle's gap, not 1.5."""
    font = qapp.font()
    font.setPointSizeF(request.param)
    qapp.setFont(font)
    return request.param


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_side_by_side_each_word_stays_with_its_own_circle(qtbot, scale, base_points):
    """'Yes ( ) No': the space after 'Yes' before the next circle stays clearly wider than the (now wider)
    gap between a circle and its word, at 200 % text too, so nobody reads 'Yes' as the next circle's."""
    from referral_desktop.ui.editor.inputs.choice_inputs import YES_NO, RadioInput

    with themed(PALETTES["GOV.UK light"](), scale=scale):
        radios = RadioInput(YES_NO, inline=True)
        qtbot.addWidget(radios)
        radios.show()
        qtbot.waitExposed(radios)
        runs = _ink_runs(radios.grab().toImage())
        second = radios.buttons["no"].geometry().x()  # where the second option begins
        first_circle = runs[0]
        second_circle = next(r for r in runs if r[0] >= second)
        yes = [r for r in runs if first_circle[1] < r[0] < second]
        own_gap = yes[0][0] - first_circle[1]
        between = second_circle[0] - yes[-1][1]
        assert between >= 1.5 * own_gap, (own_gap, between)
