"""Accessibility evidence for the main screens, through the real shell (MainWindow) and the real store.

* **200 % text**: with the application font doubled, after layout every visible label has room for its
  text (a wrapped label gets the height its text needs at its width; any label gets its minimum width),
  and a label outside a scroll area lies inside the window. A page that is taller than the window must
  be in a scroll area, so nothing is cut off, only scrolled.
* **High contrast** (black and white palette): every visible label's text colour has at least 4.5:1
  contrast with its background; nothing is told by colour alone (states, overdue and errors have words).

Screens: first run, unlock, home, urgency (both answers), each editor section, check your answers,
referral detail, settings. The keyboard-only journey through the shell is in editor/test_keyboard.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QPushButton, QWidget

from referral_desktop.ui.example_palettes import high_contrast_palette
from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.screenshots import PROFILE, populate
from referral_desktop.ui.theme import contrast_ratio
from tests.ui.conftest import PASSPHRASE, create_store_now, real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

WINDOW = (1240, 760)


# --------------------------------------------------------------------------------------------- helpers


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _name(label: QLabel) -> str:
    return label.objectName() or repr(label.text()[:50])


def clipped_labels(window: QWidget) -> list[str]:
    """Every visible label that has less room than its text needs, or that sticks out of the window, and
    every visible button whose words are cut."""
    QApplication.processEvents()
    problems = []
    bounds = window.rect()
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        size = label.size()
        minimum = label.minimumSizeHint()
        if label.wordWrap():
            needed_height = label.heightForWidth(size.width())
            if needed_height > size.height() + 1:
                problems.append(f"{_name(label)}: needs {needed_height}px high at {size.width()}px, has {size.height()}")
        else:
            hint = label.sizeHint()
            if hint.width() > size.width() + 1 or hint.height() > size.height() + 1:
                problems.append(f"{_name(label)}: needs {hint.width()}x{hint.height()}, has {size.width()}x{size.height()}")
        if minimum.width() > size.width() + 1:
            problems.append(f"{_name(label)}: minimum width {minimum.width()}, has {size.width()}")
        area = _scroll_area_of(label)
        if area is None:
            top_left = label.mapTo(window, QPoint(0, 0))
            if not bounds.contains(QRect(top_left, size)):
                problems.append(f"{_name(label)}: outside the window at {top_left.x()},{top_left.y()}")
        else:
            # Scrolling down is fine; reading a line by scrolling sideways is not: the label must fit the
            # width of the visible area (at the leftmost scroll position).
            viewport = area.viewport()
            left = label.mapTo(viewport, QPoint(0, 0)).x() + area.horizontalScrollBar().value()
            if left + size.width() > viewport.width() + 1:
                problems.append(f"{_name(label)}: {left + size.width() - viewport.width()}px wider than its scroll area")
    for button in window.findChildren(QPushButton):  # a button's words are cut, not wrapped, when short of room
        if button.isVisible() and button.text().strip() and button.sizeHint().width() > button.width() + 1:
            problems.append(f"{_name(button)}: needs {button.sizeHint().width()}px wide, has {button.width()}")
    return problems


def low_contrast_labels(window: QWidget) -> list[str]:
    QApplication.processEvents()
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        palette = label.palette()
        text = palette.color(label.foregroundRole())
        background = palette.color(label.backgroundRole())
        ratio = contrast_ratio(text, background)
        if ratio < 4.5:
            problems.append(f"{_name(label)}: {text.name()} on {background.name()} is {ratio:.1f}:1")
        if "color:" in label.text().replace(" ", "") and label.textFormat() != label.textFormat().PlainText:
            problems.append(f"{_name(label)}: a colour written into its rich text")
    return problems


@contextmanager
def doubled_font() -> Iterator[None]:
    app = QApplication.instance()
    old = QFont(app.font())
    big = QFont(old)
    big.setPointSizeF(old.pointSizeF() * 2)
    app.setFont(big)
    try:
        yield
    finally:
        app.setFont(old)


@contextmanager
def high_contrast() -> Iterator[None]:
    from referral_desktop.ui.theme import refresh_style

    app = QApplication.instance()
    old, old_sheet = QPalette(app.palette()), app.styleSheet()
    app.setPalette(high_contrast_palette())
    refresh_style(app)
    try:
        yield
    finally:
        app.setPalette(old)
        app.setStyleSheet(old_sheet)


# ---------------------------------------------------------------------------------------- the journey


def visit_main_screens(qtbot, context, tmp_path, check) -> dict[str, list[str]]:
    """Open each main screen in the real shell and run ``check(window)`` on it; returns problems by screen."""
    found: dict[str, list[str]] = {}
    visited: list[str] = []

    def look(name: str, window: QWidget) -> None:
        visited.append(name)
        context.runner.wait_idle()
        QApplication.processEvents()
        problems = check(window)
        if problems:
            found[name] = problems

    # First run (an empty profile folder).
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(*WINDOW)
    window.show()
    window.current.passphrase.setText("sunshine")
    window.current._explain_rules()
    look("first run", window)
    window.close()

    store = create_store_now(context)
    context.runner.run_sync(lambda: store.profile.set(PROFILE))
    ids = context.runner.run_sync(populate, store, context.clock)
    context.runner.run_sync(store.close)
    context.runner.store = None

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(*WINDOW)
    window.show()
    unlock = window.current
    unlock.passphrase.setText("not my passphrase")
    unlock.attempt()
    context.runner.wait_idle()
    look("unlock (wrong passphrase)", window)
    unlock._wait_until = 0
    unlock.unlock_button.setEnabled(True)
    unlock.passphrase.setText(PASSPHRASE)
    unlock.attempt()
    qtbot.waitUntil(lambda: window.unlocked and window.home is not None, timeout=10_000)
    context.runner.wait_idle()
    look("home", window)

    window.new_referral()
    look("urgency", window)
    window.current.yes.setChecked(True)
    window.current._answered()
    look("urgency: who to call", window)

    window.open_detail(ids["returned"])
    qtbot.waitUntil(lambda: "Returned" in window.current.title.text() or "returned" in window.current.title.text().lower(),
                    timeout=5000)
    look("detail (returned)", window)
    window.open_detail(ids["decided"])
    qtbot.waitUntil(lambda: "IART" in window.current.summary.text(), timeout=5000)
    look("detail (decided)", window)

    window.show_settings()
    look("settings", window)

    window.open_editor(ids["draft"])
    qtbot.waitUntil(lambda: getattr(window.current, "editor", None) is not None
                    and hasattr(window.current.editor, "go_to"), timeout=10_000)
    editor = window.current.editor
    for row in editor._visible_rows():
        editor.go_to(row)
        look(f"editor: {editor.form.sections[row].title}" if row < len(editor.form.sections) else f"editor {row}", window)
    editor.go_to_check()
    look("check your answers", window)
    editor.flush()
    context.runner.wait_idle()

    # A referral iART returned: errors on its fields and in the summary.
    window.open_editor(ids["returned"])
    qtbot.waitUntil(lambda: getattr(window.current, "editor", None) is not None
                    and hasattr(window.current.editor, "go_to"), timeout=10_000)
    editor = window.current.editor
    editor.navigate_to("children[0].nhs_number")
    look("editor with errors", window)
    editor.check_all()
    editor.go_to_check()
    look("check your answers with errors", window)
    editor.flush()
    context.runner.wait_idle()
    found["_visited"] = visited
    window.close()
    return found


def _screens_seen(found: dict[str, list[str]]) -> list[str]:
    visited = found.pop("_visited")
    assert {"first run", "unlock (wrong passphrase)", "home", "urgency", "urgency: who to call", "settings",
            "detail (returned)", "detail (decided)", "check your answers", "editor with errors",
            "check your answers with errors"} <= set(visited)
    assert len([v for v in visited if v.startswith("editor: ")]) >= 8  # every section of the form
    return visited


def test_main_screens_lay_out_at_200_percent_text(qtbot, context, tmp_path, laptop_screen):
    with doubled_font():
        found = visit_main_screens(qtbot, context, tmp_path, clipped_labels)
    _screens_seen(found)
    assert found == {}


def test_main_screens_lay_out_at_200_percent_text_in_the_apps_own_style(qtbot, context, tmp_path, laptop_screen):
    """As the app draws them (its style sheet pads buttons): a button's words cut at 200 % text were seen
    in a screenshot of the unlock screen ("orgotten passphras") that the plain style did not show. From the
    app's body text (12 pt, as ``build_application`` sets it), not the test platform's smaller default."""
    from referral_desktop.ui.theme import BODY_POINTS

    app = QApplication.instance()
    old_font = QFont(app.font())
    body = QFont(old_font)
    body.setPointSizeF(BODY_POINTS)
    app.setFont(body)
    try:
        with themed(scale=2):
            found = visit_main_screens(qtbot, context, tmp_path, clipped_labels)
    finally:
        app.setFont(old_font)
    _screens_seen(found)
    assert found == {}


def not_by_colour_alone(window: QWidget) -> list[str]:
    """Errors say "Error" (on screen, or — GOV.UK's visually hidden prefix — to assistive technology, with
    the red bar beside the question as a shape); overdue says "Overdue"; each state is a word."""
    problems = []
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.property("role") == "error" and label.text().strip():
            said = label.text() if label.text().startswith("Error") else label.accessibleName()
            if not said.startswith("Error"):
                problems.append(f"{_name(label)}: an error without the word 'Error'")
            bar = getattr(label, "bar", None)
            if bar is not None and not bar.isHidden() and not bar.property("active"):
                problems.append(f"{_name(label)}: an error without its bar")
    home = getattr(window, "home", None)
    if home is not None and home.isVisible():
        from PySide6.QtCore import Qt

        model = home.table.model()
        state_column, due_column = home.proxy.view_column(1), home.proxy.view_column(5)  # the view's numbers
        for row in range(model.rowCount()):
            state = model.index(row, state_column).data(Qt.ItemDataRole.DisplayRole)
            if not state:
                problems.append(f"home row {row}: no state text")
            icon = model.index(row, due_column).data(Qt.ItemDataRole.DecorationRole)
            due = model.index(row, due_column).data(Qt.ItemDataRole.DisplayRole) or ""
            if icon is not None and "Overdue" not in due:
                problems.append(f"home row {row}: overdue shown by its icon only")
    return problems


def test_main_screens_are_readable_in_high_contrast(qtbot, context, tmp_path, laptop_screen):
    with high_contrast():
        found = visit_main_screens(
            qtbot, context, tmp_path, lambda window: low_contrast_labels(window) + not_by_colour_alone(window)
        )
    _screens_seen(found)
    assert found == {}


def test_contrast_ratio_matches_wcag_reference_values():
    """The contrast checks above use the app's own ratio; pin it to WCAG's known values."""
    black, white = QColor("#000000"), QColor("#ffffff")
    assert contrast_ratio(black, white) == pytest.approx(21.0)
    assert contrast_ratio(white, white) == pytest.approx(1.0)
    assert contrast_ratio(QColor("#767676"), white) == pytest.approx(4.54, abs=0.01)  # the AA boundary grey


def test_error_red_gives_way_to_the_palette_text_where_it_would_be_hard_to_read(qtbot):
    from referral_desktop.ui.theme import ERROR_RED, error_colour

    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    assert error_colour(light) == ERROR_RED  # 4.9:1 on white
    assert error_colour(high_contrast_palette()) == "#ffffff"  # 4.3:1 on black would be too low


def test_on_a_dark_palette_an_error_is_a_readable_red_not_the_text_colour(qtbot):
    """On a dark palette an error message was bold text in the text colour, the same as the question's own
    label above it ("Your role", then "Enter your role"): nothing but its place said it was an error (the
    word "Error:" is for screen readers only, as on GOV.UK). It is a light red at 4.5:1 or more on the
    window now. A high-contrast palette (its text at 15:1 or more from its background)
    keeps its own text colour: the user's chosen colours win there."""
    from referral_desktop.ui.example_palettes import dark_palette
    from referral_desktop.ui.theme import ERROR_RED, TEXT_CONTRAST, contrast_ratio, error_colour

    dark = dark_palette()
    colour = error_colour(dark)
    assert colour not in (ERROR_RED, dark.color(QPalette.ColorRole.WindowText).name())
    red = QColor(colour)
    assert red.red() > red.green() + 60 and red.red() > red.blue() + 60, colour  # a red, told from the text
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert contrast_ratio(red, dark.color(role)) >= TEXT_CONTRAST
    assert error_colour(high_contrast_palette()) == high_contrast_palette().color(QPalette.ColorRole.WindowText).name()


def test_inputs_get_visible_edges_on_a_dark_or_high_contrast_palette(qtbot):
    """Inputs' edges are Fusion's on a light palette and the text colour's on a dark one; the choices'
    circles and squares are the text colour's on both, a chosen one black over white or the highlight
    (measured as drawn in tests/ui/test_contrast_pixels.py)."""
    from referral_desktop.ui.theme import style_for

    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light_sheet, dark = style_for(light), style_for(high_contrast_palette())
    assert "border: 1px solid palette(window-text)" not in light_sheet  # Fusion draws inputs' edges
    assert "border: 1px solid palette(window-text)" in dark
    for sheet, chosen in ((light_sheet, "palette(base)"), (dark, "palette(highlight)")):
        assert "border: 0.125em solid palette(window-text)" in sheet and "indicator-check.svg" in sheet
        assert f"QCheckBox::indicator:checked {{ background: {chosen}; }}" in sheet


@contextmanager
def themed(palette: QPalette | None = None, scale: float = 1.0) -> Iterator[None]:
    """The app's own style sheet (as ``apply_theme`` sets it) for ``palette``, text scaled by ``scale``."""
    from referral_desktop.ui.theme import refresh_style

    app = QApplication.instance()
    old_palette, old_sheet, old_font = QPalette(app.palette()), app.styleSheet(), QFont(app.font())
    if palette is not None:
        app.setPalette(palette)
    font = QFont(old_font)
    font.setPointSizeF(old_font.pointSizeF() * scale)
    app.setFont(font)
    refresh_style(app)
    try:
        yield
    finally:
        app.setPalette(old_palette)
        app.setFont(old_font)
        app.setStyleSheet(old_sheet)


def _edge_share(widget: QWidget, colour: QColor) -> float:
    """Share of the pixels in the top two rows (middle 80 %) of ``widget`` that are ``colour``."""
    image = widget.grab().toImage()
    width = image.width()
    xs = range(width // 10, width - width // 10)
    hits = sum(1 for y in (0, 1) for x in xs if image.pixelColor(x, y).rgb() == colour.rgb())
    return hits / (2 * len(xs))


@pytest.mark.parametrize("palette_name", ["light", "high contrast"])
def test_keyboard_focus_is_a_thick_highlight_border_on_buttons_and_choices(qtbot, palette_name):
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QRadioButton, QVBoxLayout

    palette = high_contrast_palette() if palette_name == "high contrast" else None
    with themed(palette):
        window = QWidget()
        qtbot.addWidget(window)
        layout = QVBoxLayout(window)
        elsewhere = QLineEdit()
        targets = [QPushButton("Send referral"), QCheckBox("I confirm the declaration"), QRadioButton("Yes")]
        for widget in [elsewhere, *targets]:
            layout.addWidget(widget)
        window.show()
        window.activateWindow()
        qtbot.waitActive(window)
        highlight = QApplication.palette().color(QPalette.ColorRole.Highlight)
        for target in targets:
            elsewhere.setFocus()
            qtbot.waitUntil(elsewhere.hasFocus)
            unfocused = _edge_share(target, highlight)
            target.setFocus()
            qtbot.waitUntil(target.hasFocus)
            focused = _edge_share(target, highlight)
            assert unfocused < 0.1 and focused > 0.9, (type(target).__name__, unfocused, focused)


def _indicator_height(widget: QWidget) -> int:
    """Rows of ``widget`` (a check box or radio button without text) that differ from its corner."""
    image = widget.grab().toImage()
    corner = image.pixelColor(0, 0).rgb()
    rows = [y for y in range(image.height())
            if any(image.pixelColor(x, y).rgb() != corner for x in range(image.width()))]
    return rows[-1] - rows[0] + 1 if rows else 0


@pytest.mark.parametrize("palette_name", ["light", "high contrast"])
def test_check_box_and_radio_indicators_grow_with_200_percent_text(qtbot, palette_name):
    from PySide6.QtWidgets import QCheckBox, QRadioButton

    palette = high_contrast_palette() if palette_name == "high contrast" else None
    heights: dict[tuple[str, float], int] = {}
    for scale in (1.0, 2.0):
        with themed(palette, scale):
            for kind in (QCheckBox, QRadioButton):
                widget = kind()
                widget.setChecked(True)
                qtbot.addWidget(widget)
                widget.show()
                qtbot.waitExposed(widget)
                heights[(kind.__name__, scale)] = _indicator_height(widget)
    for kind in ("QCheckBox", "QRadioButton"):
        assert heights[(kind, 2.0)] >= 1.6 * heights[(kind, 1.0)] > 0, heights


def test_screenshot_options_are_checked():
    from referral_desktop.ui.screenshots import main

    assert main(["/tmp/unused", "--font-scale", "9"]) == 2
    assert main([]) == 2
    assert main(["/tmp/unused", "--palette", "sepia"]) == 2
