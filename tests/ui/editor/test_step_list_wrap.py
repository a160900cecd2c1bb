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


@pytest.mark.parametrize("mark", [Mark.DONE, Mark.NOT_STARTED])
def test_a_mark_on_its_own_line_adds_one_line_to_its_row_not_two(qtbot, mark):
    """The mark is a second line of the row's text, and Qt's own measure already counts it; the wrapping
    added it again, so every marked row had a blank line under it (a gap that looked like a missing item)."""
    steps = StepList(TITLES)
    qtbot.addWidget(steps)
    steps.setFixedWidth(300)
    steps.show()
    qtbot.waitExposed(steps)
    plain = steps.visualRect(steps.step_model.index(1, 0)).height()
    steps.set_mark(1, mark)
    steps.doItemsLayout()
    qtbot.waitUntil(lambda: steps.visualRect(steps.step_model.index(1, 0)).height() != plain)
    marked = steps.visualRect(steps.step_model.index(1, 0)).height()
    line = QFontMetrics(steps.font()).lineSpacing()
    assert line - 2 <= marked - plain <= line + 2, (plain, marked, line)


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


def _mark_seen(steps, row: int) -> bool:
    """Whether a fifth of the row's icon area (the shape, not only its "!") stands out at 3:1 from the
    row's own background."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    from referral_desktop.ui.theme import contrast_ratio

    index = steps.step_model.index(row, 0)
    option = QStyleOptionViewItem()
    steps.itemDelegate().initStyleOption(option, index)
    option.rect = steps.visualRect(index)
    option.decorationSize = steps.iconSize()  # as the view sets it before painting
    icon = steps.style().subElementRect(QStyle.SubElement.SE_ItemViewItemDecoration, option, steps)
    image = steps.viewport().grab().toImage()
    rect = steps.visualRect(index)
    background = QColor.fromRgb(image.pixel(icon.center().x(), rect.top() + 4))  # above the centred icon
    # The icon's columns, the whole row down (the style centres the icon in a row of wrapped lines), and
    # half an icon more to the right: the current section's bar moves its icon along.
    seen = sum(1 for x in range(icon.left(), icon.right() + icon.width() // 2)
               for y in range(rect.top() + 2, rect.bottom() - 1)
               if contrast_ratio(QColor.fromRgb(image.pixel(x, y)), background) >= 3.0)
    return seen >= icon.width() * icon.height() / 5


@pytest.mark.parametrize("palette_name", ["GOV.UK light", "dark", "high contrast"])
def test_the_has_errors_mark_is_seen_on_its_row_selected_or_not(qtbot, palette_name):
    """The standard warning triangle was yellow: 1.5:1 on white and 1.1:1 on the yellow of the current
    section, where it vanished. The mark is now drawn in colours that stand out from the row (3:1)."""
    from tests.ui.test_contrast_pixels import PALETTES

    with themed(PALETTES[palette_name]()):
        steps = StepList(TITLES)
        qtbot.addWidget(steps)
        steps.resize(320, 400)
        steps.set_mark(0, Mark.ERRORS)
        steps.set_mark(1, Mark.ERRORS)
        steps.show()
        qtbot.waitExposed(steps)
        steps.select_row(1)
        assert _mark_seen(steps, 0), "not selected"
        assert _mark_seen(steps, 1), "the current section"


def test_the_has_errors_mark_follows_a_palette_switched_while_open(qtbot):
    from tests.ui.test_contrast_pixels import PALETTES

    with themed(PALETTES["GOV.UK light"]()):
        steps = StepList(TITLES)
        qtbot.addWidget(steps)
        steps.resize(320, 400)
        steps.set_mark(0, Mark.ERRORS)
        steps.show()
        qtbot.waitExposed(steps)
        with themed(PALETTES["dark"]()):
            assert _mark_seen(steps, 0)


@pytest.mark.parametrize("height", [660, 700])
def test_the_current_section_is_seen_whole_in_a_short_list(qtbot, runner, height):
    """At 200 % text on a laptop the list of sections shows two or three rows; moving on with Continue
    left the current section cut at the list's foot ("4. Children", "Done" under it, not seen): the list
    scrolled by whole rows, which could not bring a tall row wholly into view."""
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor import EditorScreen
    from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
    from tests.ui.editor.conftest import FIXED_NOW, make_referral
    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text
    from tests.ui.test_contrast_pixels import PALETTES

    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        form = load_form("cwac-marf", current_demo_version())
        editor = EditorScreen(form, make_referral(full_answers()), runner, clock=lambda: FIXED_NOW)
        qtbot.addWidget(editor)
        editor.resize(1366, height)
        editor.show()
        qtbot.waitExposed(editor)
        steps = editor.step_list
        editor.go_to(editor._first_visible(), focus_page=True)
        cut = []
        while editor.page_id() != "check":
            editor.go_next()
            qtbot.wait(10)
            if not steps.viewport().rect().contains(steps.visualRect(steps.currentIndex())):
                cut.append(editor.page_id())
        assert cut == [], sorted(set(cut))


def test_the_current_section_stays_in_view_when_marks_change(qtbot, runner):
    """"Send referral" with problems marks the sections "Done" or "Has errors", each mark a line more;
    at 200 % text the rows grew and pushed the current step ("Check answers and send") out of the list,
    which showed sections 5 and 6 instead."""
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor import EditorScreen
    from referral_desktop.ui.editor.demo_answers import current_demo_version
    from tests.ui.editor.conftest import FIXED_NOW, LAPTOP_EDITOR, make_referral
    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text
    from tests.ui.test_contrast_pixels import PALETTES

    with themed(PALETTES["GOV.UK light"](), _twice_the_apps_body_text()):
        form = load_form("cwac-marf", current_demo_version())
        editor = EditorScreen(form, make_referral({"referrer_type": "professional"}), runner, clock=lambda: FIXED_NOW)
        qtbot.addWidget(editor)
        editor.resize(*LAPTOP_EDITOR)
        editor.show()
        qtbot.waitExposed(editor)
        steps = editor.step_list
        editor.go_to_check()
        editor.check_all()
        qtbot.wait(10)
        assert steps.currentIndex().row() == steps.check_row
        assert steps.viewport().rect().contains(steps.visualRect(steps.currentIndex()))


def _text_cut_when_current(steps, row: int) -> bool:
    """Whether row ``row``'s text, wrapped to the room the style gives it drawn as the current row of the
    list with keyboard focus, needs more height than that room: Qt then elides it ("household…", its mark
    not drawn). Rows are measured the same either way, so every row is asked without selecting it."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    index = steps.step_model.index(row, 0)
    option = QStyleOptionViewItem()
    steps.itemDelegate().initStyleOption(option, index)
    option.rect = steps.visualRect(index)
    option.decorationSize = steps.iconSize()
    option.state |= QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus
    text = steps.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, steps)
    margin = steps.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, steps) + 1
    metrics = QFontMetrics(option.font)
    needed = metrics.boundingRect(QRect(0, 0, text.width() - 2 * margin, 100_000), Qt.TextFlag.TextWordWrap,
                                  option.text.replace("\u2028", "\n"))  # the style's line separator
    return needed.height() > text.height()


def test_the_current_section_s_title_and_mark_are_not_cut_at_200_percent(qtbot):
    """The current section has a 5 px bar down its left (the style sheet), so its text has 5 px less room
    than the row was measured for: at 200 % text "5. Parents, carers and household" then needed a line
    more, and was drawn "household…" with its "Done" cut off."""
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor.demo_answers import current_demo_version
    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text

    titles = [s.title for s in load_form("cwac-marf", current_demo_version()).sections]
    with themed(scale=_twice_the_apps_body_text()):
        steps = StepList(titles)
        qtbot.addWidget(steps)
        for row in range(len(titles)):
            steps.set_mark(row, Mark.DONE)
        steps.show()
        qtbot.waitExposed(steps)
        steps.activateWindow()
        steps.setFocus()  # a keyboard user starts at the list of sections
        qtbot.waitUntil(steps.hasFocus)
        cut = []
        for width in range(steps.minimumWidth(), steps.maximumWidth() + 1, 3):
            steps.resize(width, 600)
            steps.doItemsLayout()
            cut += [(width, title) for row, title in enumerate(titles) if _text_cut_when_current(steps, row)]
        assert cut == [], sorted(set(cut))


def _text_lines_drawn(steps, row: int) -> int:
    """How many lines of text are drawn in row ``row``: bands of pixels, as tall as a third of the letters
    at least, standing out at 3:1 from the row's background right of its mark."""
    from PySide6.QtGui import QColor

    from referral_desktop.ui.theme import contrast_ratio

    image = steps.viewport().grab().toImage()
    ratio = image.width() / steps.viewport().width()
    rect = steps.visualRect(steps.step_model.index(row, 0))
    top, bottom = int((rect.top() + 4) * ratio), int((rect.bottom() - 4) * ratio)
    left = int((rect.left() + steps.iconSize().width() + 12) * ratio)
    right = int((rect.right() - 8) * ratio)
    background = QColor.fromRgb(image.pixel(int((rect.right() - 12) * ratio), top + 1))
    inked = [any(contrast_ratio(QColor.fromRgb(image.pixel(x, y)), background) >= 3.0 for x in range(left, right, 2))
             for y in range(top, bottom)]
    bands, run = [], 0
    for ink in [*inked, False]:
        if ink:
            run += 1
        elif run:
            bands.append(run)
            run = 0
    letters = steps.fontMetrics().ascent() * ratio
    return sum(1 for band in bands if band >= letters / 3)  # not the focus frame's 1 px lines


@pytest.mark.parametrize("palette_name", ["GOV.UK light", "dark"])
@pytest.mark.parametrize("doubled", [False, True])
def test_the_current_section_keeps_its_mark_while_the_list_has_keyboard_focus(qtbot, palette_name, doubled):
    """A keyboard user starts at the list of sections. With the list focused, the style sheet draws a
    focus border inside the current row, which the row's measure did not count: "2. About you" and its
    "Done" were drawn on one line as "2. About you…", the mark not drawn."""
    from tests.ui.editor.test_section_opening import _twice_the_apps_body_text
    from tests.ui.test_contrast_pixels import PALETTES

    scale = _twice_the_apps_body_text() / (1 if doubled else 2)  # the app's body text, or 200 % of it
    with themed(PALETTES[palette_name](), scale):
        steps = StepList(TITLES[:2])
        qtbot.addWidget(steps)
        steps.resize(steps.maximumWidth(), int(400 * scale))
        steps.set_mark(1, Mark.DONE)
        steps.show()
        qtbot.waitExposed(steps)
        steps.activateWindow()
        steps.setFocus()
        qtbot.waitUntil(steps.hasFocus)
        steps.select_row(1)
        assert _text_lines_drawn(steps, 1) == 2
