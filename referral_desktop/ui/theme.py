"""Look and feel: the system's light or dark palette, visible focus, UK locale, readable fonts.

Why: the app runs on managed laptops with high-contrast themes and 200 % text. Colours always come
from palette roles (never hard-coded), so a dark or high-contrast system palette carries through; the
only style sheet rules draw a thick focus outline that uses the palette's highlight colour.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ERROR_RED = "#d4351c"  # GOV.UK error red; always paired with the word "Error:" (never colour alone)
#: WCAG AA for normal text.
TEXT_CONTRAST = 4.5

FOCUS_STYLE = """
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QSpinBox:focus,
QDateEdit:focus, QTableView:focus, QListView:focus, QTextBrowser:focus {
    border: 2px solid palette(highlight);
}
QPushButton {
    border: 1px solid palette(button-text); border-radius: 3px; padding: 0.25em 0.9em;
    background: palette(button); color: palette(button-text);
}
QPushButton:hover { background: palette(light); }
QPushButton:pressed { background: palette(midlight); }
QPushButton:default { border-width: 2px; }
QPushButton:flat { border: 2px solid transparent; background: transparent; }
QPushButton:disabled { color: palette(mid); border-color: palette(mid); }
QCheckBox, QRadioButton { border: 2px solid transparent; padding: 1px 4px 1px 2px; }
QCheckBox::indicator, QRadioButton::indicator { width: 1em; height: 1em; }
QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus {
    border: 2px solid palette(highlight);
}
QLabel[role="heading"] { font-weight: bold; }
QListView#stepList::item { padding: 0.4em 0.3em; }
QLabel[role="error"] { font-weight: bold; }
"""
"""Why these rules: Fusion marks a focused button with a faint 1 px line and a focused check box with a pale
wash, which low-vision users cannot find; Qt's style sheets ignore ``outline`` on buttons. So every
button, check box and radio button carries a 2 px border in the palette's highlight (transparent until
focused, so nothing moves), and indicators are sized in ``em`` so they grow with 200 % text."""


#: On a dark or high-contrast palette Fusion draws the edges of inputs and the circles of radio buttons
#: a little darker than the window — black on black, invisible. These rules draw them in the text colour,
#: with a black tick or dot (``resources/icons``) over the highlight, so "chosen" is a shape, not a colour.
#: Border and radius are in ``em`` too, so a radio button stays round at every text size.
DARK_PALETTE_STYLE = """
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateTimeEdit, QListView, QTableView,
QTextBrowser { border: 1px solid palette(window-text); }
QFrame#whoToCall { border: 1px solid palette(window-text); }
QPushButton { border-color: palette(button-text); }
QRadioButton::indicator, QCheckBox::indicator {
    width: 0.75em; height: 0.75em; border: 0.125em solid palette(window-text); background: palette(base);
}
QRadioButton::indicator { border-radius: 0.5em; }
QRadioButton::indicator:checked, QCheckBox::indicator:checked { background: palette(highlight); }
QCheckBox::indicator:checked { image: url(%(check)s); }
QRadioButton::indicator:checked { image: url(%(dot)s); }
"""


def is_dark(palette: QPalette) -> bool:
    return _luminance(palette.color(QPalette.ColorRole.Window)) < 0.2


def style_for(palette: QPalette) -> str:
    if not is_dark(palette):
        return FOCUS_STYLE
    from referral_desktop.bundled_data import resource_path

    icons = {name: resource_path(f"icons/indicator-{name}.svg").as_posix() for name in ("check", "dot")}
    return FOCUS_STYLE + DARK_PALETTE_STYLE % icons


def refresh_style(app: QApplication) -> None:
    """Re-apply the style sheet for the current palette (after the system or a test changes it), with
    the palette's colours corrected where they fall short of WCAG AA (``readable_palette``)."""
    palette = app.palette()
    if make_readable(palette):
        app.setPalette(palette)
    app.setStyleSheet(style_for(app.palette()))


def _towards(colour: QColor, target: QColor, share: float) -> QColor:
    return QColor.fromRgbF(*(a + (b - a) * share for a, b in zip(colour.getRgbF()[:3], target.getRgbF()[:3])))


def _until(colour: QColor, target: QColor, good) -> QColor:
    """``colour`` moved towards ``target`` in 5 % steps until ``good(colour)``; ``target`` at worst."""
    for step in range(21):
        candidate = _towards(colour, target, step / 20)
        if good(candidate):
            return candidate
    return target


def _over(colour: QColor, background: QColor) -> QColor:
    """The opaque colour a translucent one shows on ``background`` (Fusion's placeholder is half text)."""
    return _towards(background, colour, colour.alphaF())


#: Text on the selection is given 5.5:1 in the palette, so that the pixels on screen reach 4.5:1.
SELECTION_TEXT_CONTRAST = TEXT_CONTRAST + 1


def make_readable(palette: QPalette) -> bool:
    """Change ``palette`` as little as needed to meet WCAG 2.2 AA where Fusion or the system falls short;
    True if anything changed.

    Why: Fusion's light palette writes white on #308cc6 for the selected row (3.7:1) and draws
    placeholder text at half opacity (4.0:1); typical dark palettes likewise. The user's colours are
    kept wherever they already pass (a high-contrast theme is left as it is). Measured from rendered
    pixels in tests/ui/test_contrast_pixels.py. (No QColor or QPalette copies: those build Qt's whole
    enum namespace, ~30 ms, before the first screen is drawn.)
    """
    changed = False
    black, white = QColor.fromRgb(0, 0, 0), QColor.fromRgb(255, 255, 255)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        window = palette.color(group, QPalette.ColorRole.Window)
        base = palette.color(group, QPalette.ColorRole.Base)
        text = palette.color(group, QPalette.ColorRole.Text)
        highlight = palette.color(group, QPalette.ColorRole.Highlight)
        on_highlight = palette.color(group, QPalette.ColorRole.HighlightedText)
        # Selection and focus: text on it 4.5:1, and the selection itself 3:1 against the window. The
        # colours are chosen with a margin (5.5:1): Fusion draws the selection as a gradient and small
        # text anti-aliased, so the pixels on screen contrast less than the two palette colours do.
        if contrast_ratio(on_highlight, highlight) < SELECTION_TEXT_CONTRAST or contrast_ratio(highlight, window) < 3:
            away = black if _luminance(on_highlight) > 0.5 else white
            moved = _until(highlight, away, lambda c, t=on_highlight, w=window: contrast_ratio(t, c) >= SELECTION_TEXT_CONTRAST
                           and contrast_ratio(c, w) >= 3)
            if contrast_ratio(on_highlight, moved) >= SELECTION_TEXT_CONTRAST and contrast_ratio(moved, window) >= 3:
                highlight = moved
            else:  # keep the selection's colour; write on it in black or white, whichever reads
                on_highlight = max((black, white), key=lambda c: contrast_ratio(c, highlight))
            palette.setColor(group, QPalette.ColorRole.Highlight, highlight)
            palette.setColor(group, QPalette.ColorRole.HighlightedText, on_highlight)
            changed = True
        placeholder = _over(palette.color(group, QPalette.ColorRole.PlaceholderText), base)
        if contrast_ratio(placeholder, base) < TEXT_CONTRAST:
            placeholder = _until(placeholder, text, lambda c, b=base: contrast_ratio(c, b) >= TEXT_CONTRAST)
            palette.setColor(group, QPalette.ColorRole.PlaceholderText, placeholder)
            changed = True
    return changed


def apply_theme(app: QApplication) -> None:
    """Follow the system colour scheme (Fusion style draws both light and dark palettes well)."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app.setStyle("Fusion")
    hints = app.styleHints()
    if hasattr(hints, "colorScheme"):
        # Qt follows the platform's scheme on its own; re-polish when the user switches it.
        def scheme_changed(_scheme: object) -> None:
            app.setPalette(app.style().standardPalette())
            refresh_style(app)

        hints.colorSchemeChanged.connect(scheme_changed)
    refresh_style(app)


def heading(label, level: int = 1) -> None:
    """Make a QLabel a heading: larger bold text, and an accessible role for screen readers."""
    font = label.font()
    base = QApplication.font().pointSizeF()
    font.setPointSizeF(base * {1: 1.6, 2: 1.3, 3: 1.1}.get(level, 1.0))
    font.setBold(True)
    label.setFont(font)
    from referral_desktop.ui.accessibility import mark_heading

    mark_heading(label, level)  # the heading role for screen readers (Qt gives labels "label")
    label.setWordWrap(True)


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def error_colour(palette: QPalette | None = None) -> str:
    """GOV.UK red where it is readable on the window background (4.5:1); otherwise — a dark or
    high-contrast palette — the palette's own text colour, so the user's chosen contrast wins. The word
    "Error:" and the bar beside the question say it is an error either way."""
    palette = palette or QApplication.palette()
    background = palette.color(QPalette.ColorRole.Window)
    red = QColor(ERROR_RED)
    if contrast_ratio(red, background) >= TEXT_CONTRAST:
        return ERROR_RED
    return palette.color(QPalette.ColorRole.WindowText).name()
