"""Contrast measured from rendered pixels (WCAG 2.2 AA): text 4.5:1 (1.4.3); input, button and radio
edges, keyboard focus and the selected section 3:1 against what is next to them (1.4.11).

Each widget is drawn with the app's own style (``theme.refresh_style``, which also corrects the palette
where the system's colours fall short) in three palettes: Fusion's light one, a typical dark one and a
black-and-white high-contrast one. A colour is measured where it is drawn: the most contrasting pixel in
the region that carries it (a border line, a glyph, the selected row) against the colour it sits on.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.ui.example_palettes import dark_palette, high_contrast_palette
from referral_desktop.ui.theme import contrast_ratio
from tests.ui.test_accessibility import themed

pytestmark = pytest.mark.gui

TEXT, NON_TEXT = 4.5, 3.0


def govuk_light() -> QPalette:
    """What the app uses on a light system palette (theme.apply_theme)."""
    from referral_desktop.ui.theme import govuk_palette

    return govuk_palette(QApplication.style().standardPalette())


PALETTES = {
    "GOV.UK light": govuk_light,
    "Fusion light": lambda: QApplication.style().standardPalette(),
    "dark": dark_palette,
    "high contrast": high_contrast_palette,
}


def _image(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def _background(image: QImage, rect: QRect) -> QColor:
    counts = Counter(image.pixel(x, y) for x in range(rect.left(), rect.right() + 1)
                     for y in range(rect.top(), rect.bottom() + 1))
    return QColor.fromRgb(counts.most_common(1)[0][0])


def _best(image: QImage, rect: QRect, against: QColor) -> float:
    """The highest contrast of any pixel in ``rect`` against ``against``."""
    return max(contrast_ratio(QColor.fromRgb(image.pixel(x, y)), against)
               for x in range(rect.left(), rect.right() + 1) for y in range(rect.top(), rect.bottom() + 1))


def _page(qtbot, *widgets: QWidget) -> QWidget:
    page = QWidget()
    page.setAutoFillBackground(True)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 12, 12, 12)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.resize(420, 60 * len(widgets))
    page.show()
    qtbot.waitExposed(page)
    return page


def _edge_contrast(page: QWidget, widget: QWidget) -> float:
    """Contrast of the widget's left edge (its first 3 pixel columns, middle rows) against the page
    just outside it."""
    image = _image(page)
    geometry = widget.geometry()
    middle = geometry.center().y()
    outside = _background(image, QRect(geometry.left() - 6, middle - 2, 4, 4))
    return _best(image, QRect(geometry.left(), middle - 3, 3, 6), outside)


@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_input_and_button_edges_stand_out_from_the_window(qtbot, palette_name):
    with themed(PALETTES[palette_name]()):
        line, button = QLineEdit(), QPushButton("Continue")
        page = _page(qtbot, line, button)
        assert _edge_contrast(page, line) >= NON_TEXT, "input edge"
        assert _edge_contrast(page, button) >= NON_TEXT, "button edge"


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_radio_button_and_check_box_edges_stand_out(qtbot, palette_name, scale):
    """The edge of an unchosen radio button's circle and check box's square, measured inside the box Qt
    draws it in (the label's letters are not in it): a ring of pixels at 3:1 against the page, at least
    twice the box's side (Fusion's light grey ring was 1.5-2:1 on white)."""
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    with themed(PALETTES[palette_name](), scale):
        radio, box = QRadioButton("Yes"), QCheckBox("I confirm")
        page = _page(qtbot, radio, box)
        window = page.palette().color(QPalette.ColorRole.Window)
        for widget, element in ((radio, QStyle.SubElement.SE_RadioButtonIndicator),
                                (box, QStyle.SubElement.SE_CheckBoxIndicator)):
            option = QStyleOptionButton()
            widget.initStyleOption(option)
            indicator = widget.style().subElementRect(element, option, widget)
            image = _image(widget)
            edge = sum(1 for x in range(indicator.left(), indicator.right() + 1)
                       for y in range(indicator.top(), indicator.bottom() + 1)
                       if contrast_ratio(QColor.fromRgb(image.pixel(x, y)), window) >= NON_TEXT)
            assert edge >= 2 * indicator.width(), (type(widget).__name__, indicator, edge)


def _indicator(before: QImage, after: QImage, rect: QRect, against: QColor) -> int:
    """How many pixels in ``rect`` a state (focus, selection) turned from low to 3:1 contrast with
    ``against``: the part of its mark that meets WCAG 1.4.11 (text, dark either way, does not count)."""
    return sum(1 for x in range(rect.left(), rect.right() + 1) for y in range(rect.top(), rect.bottom() + 1)
               if contrast_ratio(QColor.fromRgb(after.pixel(x, y)), against) >= NON_TEXT
               and contrast_ratio(QColor.fromRgb(before.pixel(x, y)), against) < NON_TEXT)


@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_keyboard_focus_stands_out_from_the_window(qtbot, palette_name):
    """Focus on a button, a check box and a list: what focus changes includes at least a line as long
    as the widget is wide, at 3:1 against the window (GOV.UK's yellow alone is 1.3:1 on white; its
    dark bottom edge carries the contrast)."""
    from PySide6.QtWidgets import QCheckBox, QListWidget

    with themed(PALETTES[palette_name]()):
        before = QLineEdit()
        targets = [QPushButton("Change"), QCheckBox("I confirm"), QListWidget()]
        targets[2].addItems(["Before you start", "About you"])
        page = _page(qtbot, before, *targets)
        page.activateWindow()
        window = page.palette().color(QPalette.ColorRole.Window)
        for target in targets:
            before.setFocus()
            qtbot.waitUntil(before.hasFocus)
            unfocused = _image(page)
            target.setFocus()
            qtbot.waitUntil(target.hasFocus)
            focused = _image(page)
            area = target.geometry().adjusted(-4, -4, 4, 4)
            assert _indicator(unfocused, focused, area, window) >= target.width(), type(target).__name__


@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_placeholder_text_is_readable(qtbot, palette_name):
    with themed(PALETTES[palette_name]()):
        line = QLineEdit()
        line.setPlaceholderText("Start typing to search")
        page = _page(qtbot, line)  # noqa: F841 - kept alive while measured
        image = _image(line)
        inside = QRect(6, 4, image.width() // 2, image.height() - 8)
        assert _best(image, inside, _background(image, inside)) >= TEXT


@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_the_selected_section_reads_and_stands_out(qtbot, palette_name):
    """The selected row of the list of sections: its text on the selection 4.5:1, the selection 3:1
    against the list around it; rows at least as tall as a line of text plus padding."""
    from referral_desktop.ui.editor.step_list import StepList

    with themed(PALETTES[palette_name]()):
        steps = StepList(["Before you start", "About you", "Children"])
        elsewhere = QLineEdit()  # focus stays here: the mark measured is the selection's, not focus's
        page = _page(qtbot, elsewhere, steps)
        page.activateWindow()
        elsewhere.setFocus()
        qtbot.waitUntil(elsewhere.hasFocus)
        steps.select_row(1)
        QApplication.processEvents()
        rect = steps.visualRect(steps.model().index(1, 0))
        image = _image(steps.viewport())
        selection = _background(image, rect)
        assert _best(image, rect, selection) >= TEXT, "text on the selected row"
        steps.select_row(0)
        QApplication.processEvents()
        unselected = _image(steps.viewport())
        around = steps.palette().color(QPalette.ColorRole.Base)
        assert _indicator(unselected, image, rect, around) >= rect.height(), "the selection's mark at 3:1"
        assert rect.height() >= steps.fontMetrics().height() + 8, f"rows {rect.height()} px high"


def _marks(image: QImage, rect: QRect, against: QColor) -> list[QRect]:
    """The bounding boxes of the runs of rows in ``rect`` holding a pixel at 3:1 against ``against``,
    top to bottom (an arrow is one run; a spin box's two arrows are two)."""
    runs: list[QRect] = []
    top = None
    columns: list[int] = []
    for y in range(rect.top(), rect.bottom() + 2):
        row = [x for x in range(rect.left(), rect.right() + 1)
               if y <= rect.bottom() and contrast_ratio(QColor.fromRgb(image.pixel(x, y)), against) >= NON_TEXT]
        if row and top is None:
            top, columns = y, []
        if row:
            columns += row
        elif top is not None:
            runs.append(QRect(min(columns), top, max(columns) - min(columns) + 1, y - top))
            top = None
    return runs


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_drop_down_and_step_arrows_are_seen_and_grow_with_the_text(qtbot, palette_name, scale):
    """A list to choose from shows its down arrow, and a number or time field its up and down arrows,
    at 3:1 against the field and at least a third of a line of text across, at normal and double text
    (with the app's border on inputs, Qt's own arrows shrink to a few pixels, or vanish)."""
    from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QSpinBox

    with themed(PALETTES[palette_name](), scale):
        choose = QComboBox()
        choose.addItems(["Choose a service", "Police"])
        minutes = QSpinBox()
        minutes.setSuffix(" minutes")
        when = QDateTimeEdit()
        page = _page(qtbot, choose, minutes, when)
        page.resize(420 * int(scale), page.height() * int(scale))
        for widget, arrows in ((choose, 1), (minutes, 2), (when, 2)):
            image = _image(widget)
            line = widget.fontMetrics().height()
            inside = 5  # within the border, thicker when focused
            rect = QRect(image.width() - inside - 2 * line, inside, 2 * line, image.height() - 2 * inside)
            field = widget.palette().color(QPalette.ColorRole.Base)
            marks = _marks(image, rect, field)
            assert len(marks) == arrows, f"{type(widget).__name__}: {marks}"
            for mark in marks:
                assert mark.width() >= line / 3 and mark.height() >= line / 5, f"{type(widget).__name__}: {mark}"


@pytest.mark.parametrize("scale", [0.9, 1.0, 1.1, 1.2, 1.25, 1.3, 1.4, 1.5, 1.6, 1.75, 2.0])
@pytest.mark.parametrize("palette_name", ["GOV.UK light", "high contrast"])
def test_a_radio_button_is_round_and_a_check_box_square(qtbot, palette_name, scale):
    """One choice or several is told by the shape: a radio button's circle leaves its box's corners to
    the page, a check box's square fills them, at every text size (at some sizes Qt took a radius of
    half the box as too large and drew radio buttons square)."""
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    with themed(PALETTES[palette_name](), scale):
        radio, box = QRadioButton("Yes"), QCheckBox("I confirm")
        page = _page(qtbot, QLineEdit(), radio, box)  # focus (the highlight behind a choice) on the field
        window = page.palette().color(QPalette.ColorRole.Window)
        for widget, element, round_ in ((radio, QStyle.SubElement.SE_RadioButtonIndicator, True),
                                        (box, QStyle.SubElement.SE_CheckBoxIndicator, False)):
            option = QStyleOptionButton()
            widget.initStyleOption(option)
            near = widget.style().subElementRect(element, option, widget).adjusted(-2, -2, 2, 2)
            image = _image(widget)
            ink = [(x, y) for x in range(max(0, near.left()), near.right() + 1)
                   for y in range(max(0, near.top()), min(image.height(), near.bottom() + 1))
                   if contrast_ratio(QColor.fromRgb(image.pixel(x, y)), window) >= NON_TEXT]
            left, right = min(x for x, _ in ink), max(x for x, _ in ink)
            top, bottom = min(y for _, y in ink), max(y for _, y in ink)
            corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
            assert right - left >= 0.7 * widget.fontMetrics().height(), (type(widget).__name__, left, right)
            assert [corner in ink for corner in corners] == [not round_] * 4, (type(widget).__name__, corners)


@pytest.mark.parametrize("palette_name", sorted(PALETTES))
def test_a_scroll_bars_handle_is_seen_and_grows_with_the_text(qtbot, palette_name):
    """Where a page scrolls, the handle shows that there is more and where the reader is. Fusion drew it
    white on light grey (1.1:1) and black on black in high contrast, 14 px wide at any text size: at 200 %
    text, where most pages scroll, nothing showed there was more below."""
    from PySide6.QtWidgets import QTextBrowser

    widths = {}
    for scale in (1.0, 2.0):
        with themed(PALETTES[palette_name](), scale):
            text = QTextBrowser()
            text.setPlainText("\n".join(f"Line {n}" for n in range(300)))
            page = _page(qtbot, text)
            page.resize(400, 300)
            bar = text.verticalScrollBar()
            image = _image(bar)
            colours = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
            groove, handle = (QColor.fromRgb(colour) for colour, _count in colours.most_common(2))
            assert contrast_ratio(groove, handle) >= NON_TEXT, (palette_name, scale, groove.name(), handle.name())
            # The handle near the top (the page is at its start), as long as a line of text at least.
            rows = [y for y in range(image.height()) if image.pixel(image.width() // 2, y) == handle.rgb()]
            assert rows and rows[0] < image.height() // 4 and len(rows) >= text.fontMetrics().height(), rows[:3]
            widths[scale] = bar.width()
    assert widths[2.0] >= 1.6 * widths[1.0], widths


@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_the_inset_texts_bar_stands_out_from_the_window(qtbot, palette_name):
    """GOV.UK's inset text (``QLabel[role="inset"]``: a note on a referral, what sending leaves out) is set
    apart by the grey bar down its left; the bar is what says "this is set apart", so it needs 3:1 against
    the window it is drawn on (WCAG 1.4.11). Drawn in the palette's mid grey it was 1.3:1 on a dark palette
    and 2.1:1 in GOV.UK's own light one. Measured where the bar is drawn: the label's first pixel columns
    (the border), middle rows, against the page beside the label."""
    from PySide6.QtWidgets import QLabel

    with themed(PALETTES[palette_name]()):
        inset = QLabel("Sending leaves out the two documents added after the referral was queued.")
        inset.setProperty("role", "inset")
        inset.setWordWrap(True)
        page = _page(qtbot, inset)
        image = _image(page)
        geometry = inset.geometry()
        window = page.palette().color(QPalette.ColorRole.Window)
        bar = QRect(geometry.left() + 2, geometry.top() + 2, 6, geometry.height() - 4)
        bar_colour = _background(image, bar)
        assert contrast_ratio(bar_colour, window) >= NON_TEXT, (bar_colour.name(), window.name())
        # The bar is the one drawn: it is not the window's colour, and it stands beside the label's words.
        assert bar_colour.rgb() != _background(image, QRect(geometry.left() - 6, geometry.center().y(), 4, 4)).rgb()


@pytest.mark.parametrize("palette_name", list(PALETTES))
def test_a_read_only_answers_bar_stands_out_from_the_window(qtbot, palette_name):
    """An answer that can no longer be changed is shown as inset text too (``resources/govuk.qss``): its
    4-pixel bar, unfocused, 3:1 against the window (it was the same faint mid grey)."""
    with themed(PALETTES[palette_name]()):
        answer = QLineEdit("Year 4 class teacher")
        answer.setReadOnly(True)
        answer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        page = _page(qtbot, answer)
        image = _image(page)
        geometry = answer.geometry()
        window = page.palette().color(QPalette.ColorRole.Window)
        bar_colour = _background(image, QRect(geometry.left() + 1, geometry.top() + 3, 2, geometry.height() - 6))
        assert contrast_ratio(bar_colour, window) >= NON_TEXT, (bar_colour.name(), window.name())
