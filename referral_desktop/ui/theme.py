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
QPushButton:focus, QRadioButton:focus, QCheckBox:focus, QToolButton:focus {
    outline: 2px solid palette(highlight);
}
QLabel[role="heading"] { font-weight: bold; }
QLabel[role="error"] { font-weight: bold; }
"""


#: On a dark or high-contrast palette Fusion draws the edges of inputs and the circles of radio buttons
#: a little darker than the window — black on black, invisible. These rules draw them in the text colour.
DARK_PALETTE_STYLE = """
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateTimeEdit, QListView, QTableView,
QTextBrowser { border: 1px solid palette(window-text); }
QPushButton { border: 1px solid palette(button-text); padding: 3px 10px; }
QRadioButton::indicator, QCheckBox::indicator {
    width: 0.75em; height: 0.75em; border: 2px solid palette(window-text); background: palette(base);
}
QRadioButton::indicator { border-radius: 0.45em; }
QRadioButton::indicator:checked, QCheckBox::indicator:checked { background: palette(highlight); }
"""


def is_dark(palette: QPalette) -> bool:
    return _luminance(palette.color(QPalette.ColorRole.Window)) < 0.2


def style_for(palette: QPalette) -> str:
    return FOCUS_STYLE + (DARK_PALETTE_STYLE if is_dark(palette) else "")


def refresh_style(app: QApplication) -> None:
    """Re-apply the style sheet for the current palette (after the system or a test changes it)."""
    app.setStyleSheet(style_for(app.palette()))


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
    label.setProperty("role", "heading")
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
