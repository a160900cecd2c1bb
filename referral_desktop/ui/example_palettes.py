"""Two system palettes the app must read well under, as users' desktops give them to Qt: a typical dark
theme and a high-contrast one.

Why a module: the screenshots (``python -m referral_desktop.ui.screenshots --palette dark``) and the
contrast tests look at the same palettes, so what a person sees in the pictures is what the tests measure.
The app itself never sets either; it follows whatever the system gives (``theme.apply_theme``).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_ROLES = QPalette.ColorRole


def _palette(colours: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for role, colour in colours.items():
            palette.setColor(group, role, QColor(colour))
    for role, colour in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def dark_palette() -> QPalette:
    """A dark desktop palette as GNOME/KDE dark themes give Qt (grey window, light text, blue selection)."""
    return _palette({
        _ROLES.Window: "#353535", _ROLES.WindowText: "#eeeeee", _ROLES.Base: "#2a2a2a",
        _ROLES.AlternateBase: "#303030", _ROLES.Text: "#eeeeee", _ROLES.Button: "#3c3c3c",
        _ROLES.ButtonText: "#eeeeee", _ROLES.Highlight: "#2a82da", _ROLES.HighlightedText: "#ffffff",
        _ROLES.Link: "#5aa0e6", _ROLES.LinkVisited: "#9a7ae6", _ROLES.PlaceholderText: "#7a7a7a",
        _ROLES.Mid: "#4a4a4a", _ROLES.Dark: "#232323", _ROLES.Light: "#505050", _ROLES.Midlight: "#454545",
        _ROLES.Shadow: "#141414", _ROLES.BrightText: "#ffffff", _ROLES.ToolTipBase: "#2a2a2a",
        _ROLES.ToolTipText: "#eeeeee",
    }, disabled={_ROLES.WindowText: "#8a8a8a", _ROLES.ButtonText: "#8a8a8a", _ROLES.Text: "#8a8a8a"})


def high_contrast_palette() -> QPalette:
    """White on black with yellow focus and cyan links, like the systems' high-contrast themes."""
    return _palette({
        _ROLES.Window: "#000000", _ROLES.WindowText: "#ffffff", _ROLES.Base: "#000000",
        _ROLES.AlternateBase: "#1a1a1a", _ROLES.Text: "#ffffff", _ROLES.Button: "#000000",
        _ROLES.ButtonText: "#ffffff", _ROLES.BrightText: "#ffffff", _ROLES.Highlight: "#ffff00",
        _ROLES.HighlightedText: "#000000", _ROLES.Link: "#00ffff", _ROLES.LinkVisited: "#00ffff",
        _ROLES.ToolTipBase: "#000000", _ROLES.ToolTipText: "#ffffff", _ROLES.PlaceholderText: "#c0c0c0",
        _ROLES.Light: "#ffffff", _ROLES.Midlight: "#808080", _ROLES.Mid: "#808080", _ROLES.Dark: "#ffffff",
        _ROLES.Shadow: "#ffffff",
    }, disabled={_ROLES.WindowText: "#c0c0c0", _ROLES.ButtonText: "#c0c0c0", _ROLES.Text: "#c0c0c0"})


#: By the names the screenshots' ``--palette`` takes.
PALETTES = {"dark": dark_palette, "high-contrast": high_contrast_palette}


def dress(app: QApplication, *, font_scale: float = 1.0, palette: str | None = None) -> None:
    """Text ``font_scale`` times larger and the ``palette`` named (``PALETTES``), as a user's system
    settings would give them to the app, with the app's style sheet redrawn for them (what the app does
    when the system's scheme changes). For the screenshot programs: the app never calls it."""
    from referral_desktop.ui.theme import refresh_style

    if font_scale != 1.0:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * font_scale)
        app.setFont(font)
    if palette is not None:
        app.setPalette(PALETTES[palette]())
    refresh_style(app)
