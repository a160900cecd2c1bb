"""The long multiple-choice lists (the concern categories, disability) are check boxes inside a list: each
box must be seen, ticked or not, in every palette and at 200 % text (WCAG 1.4.11, 3:1).

Measured from the drawn pixels inside the box Qt draws each item's check box in: Fusion's own square
was light grey (#c8c8c8, 1.6:1 on white) on the light palette and not drawn at all on the dark and
high-contrast ones, so people saw a list of words with no way to tell which could be ticked.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from referral_desktop.ui.editor.inputs.choice_inputs import FilterableChecklistInput
from referral_desktop.ui.theme import contrast_ratio
from tests.ui.test_accessibility import themed
from tests.ui.test_contrast_pixels import PALETTES

pytestmark = pytest.mark.gui

NON_TEXT = 3.0
OPTIONS = [(f"c{i}", f"Concern number {i}") for i in range(12)]


def _indicator_rect(view, row: int) -> QRect:
    index = view.model().index(row, 0)
    option = QStyleOptionViewItem()
    view.itemDelegate().initStyleOption(option, index)
    option.rect = view.visualRect(index)
    return view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)


def _pixels(image: QImage, rect: QRect) -> list[QColor]:
    return [QColor.fromRgb(image.pixel(x, y)) for x in range(rect.left(), rect.right() + 1)
            for y in range(rect.top(), rect.bottom() + 1)]


def _shown_checklist(qtbot) -> FilterableChecklistInput:
    checklist = FilterableChecklistInput(OPTIONS)
    qtbot.addWidget(checklist)
    checklist.set_value(["c1"])
    checklist.resize(480, 420)
    checklist.show()
    qtbot.waitExposed(checklist)
    QApplication.processEvents()
    return checklist


def _assert_boxes_seen(view, palette_name: str) -> None:
    image = view.viewport().grab().toImage()
    base = view.viewport().palette().color(QPalette.ColorRole.Base)
    unticked = _indicator_rect(view, 0)
    edge = sum(1 for colour in _pixels(image, unticked) if contrast_ratio(colour, base) >= NON_TEXT)
    assert edge >= 2 * unticked.width(), (palette_name, unticked, edge)
    # The ticked box: inside it (away from its edge) a mark at 3:1 against the box's own fill.
    ticked = _indicator_rect(view, 1)
    inner = ticked.adjusted(ticked.width() // 4, ticked.height() // 4, -ticked.width() // 4, -ticked.height() // 4)
    inside = _pixels(image, inner)
    fill = Counter(c.rgb() for c in inside).most_common(1)[0][0]
    mark = sum(1 for colour in inside if contrast_ratio(colour, QColor.fromRgb(fill)) >= NON_TEXT)
    assert mark >= inner.width(), (palette_name, ticked, mark)
    # The box grows with the text, like the form's other check boxes (not a fixed 14 px at 200 %).
    assert unticked.height() >= view.fontMetrics().ascent() * 0.6, (unticked, view.fontMetrics().ascent())


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("palette_name", ["GOV.UK light", "dark", "high contrast"])
def test_every_box_in_a_checklist_is_seen_and_a_tick_shows(qtbot, palette_name, scale):
    with themed(PALETTES[palette_name](), scale):
        checklist = _shown_checklist(qtbot)
        _assert_boxes_seen(checklist.list, palette_name)


def test_the_boxes_follow_a_palette_switched_while_the_form_is_open(qtbot):
    """A high-contrast scheme chosen while a referral is open: the tick is drawn for it (the light
    palette's black tick over the field's colour would be black on black)."""
    with themed(PALETTES["GOV.UK light"]()):
        checklist = _shown_checklist(qtbot)
        with themed(PALETTES["high contrast"]()):
            QApplication.processEvents()
            _assert_boxes_seen(checklist.list, "high contrast")


def _painted_text_left(view, image: QImage, row: int) -> int:
    """Where the row's text is painted: the first ink to the right of its check box, measured."""
    rect = view.visualRect(view.model().index(row, 0))
    base = view.viewport().palette().color(QPalette.ColorRole.Base)
    start = _indicator_rect(view, row).right() + 2
    for x in range(start, rect.right()):
        if any(contrast_ratio(QColor.fromRgb(image.pixel(x, y)), base) >= NON_TEXT
               for y in range(rect.top(), min(rect.bottom(), image.height() - 1) + 1)):
            return x
    return start


@pytest.mark.parametrize("spare", [0.6, 1.0, 1.03, 1.06, 1.1])
def test_every_concern_category_is_shown_whole_at_200_percent(qtbot, marf, spare):
    """At 200 % text the concern "Domestic abuse: a parent or carer is the subject" was drawn
    "... is the …" on the laptop screen: each row is now as tall as its words wrapped to the room the
    list paints them in."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    field = marf.find("concern_categories")
    options = [(option.code, option.label) for option in marf.options_for(field)]
    with themed(PALETTES["high contrast"](), 2.0):
        checklist = FilterableChecklistInput(options)
        qtbot.addWidget(checklist)
        # As wide as the longest choice (times ``spare``): the widths where a row's one line just fits
        # by Qt's measure but not in the room its text is painted in.
        longest = max(QFontMetrics(checklist.list.font()).horizontalAdvance(label) for _code, label in options)
        checklist.resize(int(longest * spare), 600)
        checklist.show()
        qtbot.waitExposed(checklist)
        QApplication.processEvents()
        view = checklist.list
        metrics = QFontMetrics(view.font())
        cut = []
        for row, (_code, label) in enumerate(options):
            view.scrollTo(view.model().index(row, 0))
            QApplication.processEvents()
            image = view.viewport().grab().toImage()
            rect = view.visualRect(view.model().index(row, 0))
            room = view.viewport().width() - _painted_text_left(view, image, row)
            needed = metrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, label)
            if needed.height() > rect.height() or metrics.horizontalAdvance(label) > room and rect.height() < 2 * metrics.height():
                cut.append((label, rect, room, needed))
        assert cut == []
        if spare < 1:
            assert any(view.visualRect(view.model().index(r, 0)).height() > metrics.lineSpacing() * 1.8
                       for r in range(len(options))), "no choice needed two lines: the test shows nothing"
