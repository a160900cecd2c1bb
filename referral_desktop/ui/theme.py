"""Look and feel: the system's light or dark palette, visible focus, UK locale, readable fonts.

Why: the app runs on managed laptops with high-contrast themes and 200 % text. Colours always come
from palette roles (never hard-coded), so a dark or high-contrast system palette carries through; the
only style sheet rules draw a thick focus outline that uses the palette's highlight colour.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

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


def apply_theme(app: QApplication) -> None:
    """Follow the system colour scheme (Fusion style draws both light and dark palettes well)."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app.setStyle("Fusion")
    hints = app.styleHints()
    if hasattr(hints, "colorScheme"):
        # Qt follows the platform's scheme on its own; re-polish when the user switches it.
        hints.colorSchemeChanged.connect(lambda _scheme: app.setPalette(app.style().standardPalette()))
    app.setStyleSheet(FOCUS_STYLE)
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)


def heading(label, level: int = 1) -> None:
    """Make a QLabel a heading: larger bold text, and an accessible role for screen readers."""
    font = label.font()
    base = QApplication.font().pointSizeF()
    font.setPointSizeF(base * {1: 1.6, 2: 1.3, 3: 1.1}.get(level, 1.0))
    font.setBold(True)
    label.setFont(font)
    label.setProperty("role", "heading")
    label.setWordWrap(True)
