"""Look and feel: the GOV.UK Design System's visual language within Qt, in one place.

Why: GPs, teachers and nurses fill in GOV.UK-style forms every week; a form that looks and behaves like
them is trusted and needs no learning. On a light system the palette is GOV.UK's (white page, near-black
text, blue links, yellow focus, grey secondary and green primary buttons); the one style sheet
(``resources/govuk.qss``) refers to palette roles, so a dark or high-contrast system palette is followed
as it is, with the same rules. Body text is at least 16 px (12 pt); headings follow GOV.UK's scale.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ERROR_RED = "#d4351c"  # GOV.UK error red; always paired with the word "Error:" (never colour alone)
#: WCAG AA for normal text.
TEXT_CONTRAST = 4.5
#: The error colour on a dark palette, where GOV.UK red does not read at 4.5:1 (2.5:1 on a typical dark
#: grey window): a light red, 5.4:1 on #353535 and 6.2:1 on #2a2a2a.
ERROR_RED_ON_DARK = "#ff8a7a"
#: Text this far from its background (white on black is 21:1) is a high-contrast theme's, whose colours are
#: the user's choice and are kept; the dark themes desktops give Qt read 10 to 14.
HIGH_CONTRAST_TEXT = 15.0

#: The GOV.UK look (resources/govuk.qss), the one style sheet of the app, filled in per palette.
STYLE_SHEET_RESOURCE = "govuk.qss"

#: GOV.UK's colours (UX.md), used as the palette on a light system.
GOVUK = {
    "text": "#0b0c0c",
    "secondary_text": "#505a5f",
    "link": "#1d70b8",
    "link_visited": "#4c2c92",
    "focus": "#ffdd00",
    "page": "#ffffff",
    "light_grey": "#f3f2f1",
    "mid_grey": "#b1b4b6",
    "dark_grey": "#929191",
}


def govuk_palette(palette: QPalette) -> QPalette:
    """``palette`` given GOV.UK's colours (changed in place and returned): white page, near-black text,
    grey secondary buttons, blue links and yellow focus/selection with dark text (16:1). Only for a light
    system palette: a dark or high-contrast one is the user's choice and is followed as it is. (No
    QPalette copy: that builds Qt's whole enum namespace, ~30 ms, before the first screen is drawn.)"""
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, GOVUK["page"]), (roles.Base, GOVUK["page"]), (roles.AlternateBase, GOVUK["light_grey"]),
        (roles.WindowText, GOVUK["text"]), (roles.Text, GOVUK["text"]), (roles.ButtonText, GOVUK["text"]),
        (roles.Button, GOVUK["light_grey"]), (roles.Dark, GOVUK["dark_grey"]), (roles.Mid, GOVUK["mid_grey"]),
        (roles.Midlight, "#dbdad9"), (roles.Highlight, GOVUK["focus"]), (roles.HighlightedText, GOVUK["text"]),
        (roles.Link, GOVUK["link"]), (roles.LinkVisited, GOVUK["link_visited"]),
        (roles.PlaceholderText, GOVUK["secondary_text"]), (roles.ToolTipBase, GOVUK["page"]),
        (roles.ToolTipText, GOVUK["text"]),
    ):
        palette.setColor(QPalette.ColorGroup.All, role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor(GOVUK["secondary_text"]))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor(GOVUK["secondary_text"]))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor(GOVUK["secondary_text"]))
    return palette


def _sheet_template() -> str:
    from referral_desktop.bundled_data import read_resource_text

    return read_resource_text(STYLE_SHEET_RESOURCE)


def hint_colour(palette: QPalette | None = None) -> str:
    """The secondary text colour where it reads at 4.5:1 on the window, else the text colour."""
    palette = palette or QApplication.palette()
    background = palette.color(QPalette.ColorRole.Window)
    secondary = palette.color(QPalette.ColorRole.PlaceholderText)
    if contrast_ratio(secondary, background) >= TEXT_CONTRAST:
        return secondary.name()
    return palette.color(QPalette.ColorRole.WindowText).name()


def sheet_icons(palette: QPalette) -> dict[str, str]:
    """The style sheet's drawings (``resources/icons``) for ``palette``. The arrows of drop-down lists and
    number and time fields: black or white, whichever stands out more from the field (over 4.4:1 on any
    field colour; 3:1 is needed). The dot and tick of a chosen radio button or check box are black, over
    the field's own colour where black reads on it, else over the highlight (a dark palette)."""
    from referral_desktop.bundled_data import resource_path

    field = palette.color(QPalette.ColorRole.Base)
    black_reads = contrast_ratio(QColor(GOVUK["text"]), field) >= contrast_ratio(QColor("#ffffff"), field)
    shade = "black" if black_reads else "white"
    icons = {f"arrow_{way}": resource_path(f"icons/arrow-{way}-{shade}.svg").as_posix() for way in ("up", "down")}
    icons.update({mark: resource_path(f"icons/indicator-{mark}.svg").as_posix() for mark in ("check", "dot")})
    icons["chosen_fill"] = "palette(base)" if black_reads else "palette(highlight)"
    return icons


#: WCAG 1.4.11: a graphic that carries meaning (the inset text's bar says "set apart") 3:1 against its background.
NON_TEXT_CONTRAST = 3.0


def inset_bar_colour(palette: QPalette) -> str:
    """The grey bar of GOV.UK's inset text (and of an answer that can no longer be changed): the palette's
    mid grey where it stands out 3:1 from the window, else that grey moved towards the text colour until it
    does. GOV.UK's own mid grey on white is 2.1:1 and a dark desktop's on its window 1.4:1 (the bar was all
    but unseen); a high-contrast palette's passes and is kept. Measured from pixels in
    tests/ui/test_contrast_pixels.py."""
    window = palette.color(QPalette.ColorRole.Window)
    mid = palette.color(QPalette.ColorRole.Mid)
    text = palette.color(QPalette.ColorRole.WindowText)
    return _until(mid, text, lambda c: contrast_ratio(c, window) >= NON_TEXT_CONTRAST).name()


def base_style(palette: QPalette) -> str:
    return _sheet_template() % {"error": error_colour(palette), "hint": hint_colour(palette),
                                "inset_bar": inset_bar_colour(palette), **sheet_icons(palette)}


#: On a dark or high-contrast palette Fusion draws the edges of inputs a little darker than the window —
#: black on black, invisible. These rules draw them in the text colour (the choices' circles and squares
#: are drawn in it on every palette: ``resources/govuk.qss``).
DARK_PALETTE_STYLE = """
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateTimeEdit, QListView, QTableView,
QTextBrowser { border: 1px solid palette(window-text); }
QListView::item:focus, QTableView::item:focus { border: 2px solid palette(window-text); }
QFrame#whoToCall { border: 1px solid palette(window-text); }
QPushButton { border-color: palette(button-text); }
"""


def is_dark(palette: QPalette) -> bool:
    return _luminance(palette.color(QPalette.ColorRole.Window)) < 0.2


def style_for(palette: QPalette) -> str:
    return base_style(palette) + (DARK_PALETTE_STYLE if is_dark(palette) else "")


def refresh_style(app: QApplication) -> None:
    """Re-apply the style sheet for the current palette (after the system or a test changes it), with
    the palette's colours corrected where they fall short of WCAG AA (``readable_palette``)."""
    palette = app.palette()
    if make_readable(palette):
        app.setPalette(palette)
    app.setStyleSheet(style_for(app.palette()))


def _towards(colour: QColor, target: QColor, share: float) -> QColor:
    return QColor.fromRgbF(*(a + (b - a) * share for a, b in zip(_rgb(colour), _rgb(target), strict=True)))


def _rgb(colour: QColor) -> tuple[float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF()


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


#: The one widget style (it draws both light and dark palettes well).
STYLE = "Fusion"


def style_arguments() -> list[str]:
    """Arguments that make a new QApplication start in the app's style. Cheaper than ``setStyle``
    before the first paint: that call hands the new style to Python, which made PySide build every enum
    of QStyle (~7 ms) before the unlock screen was drawn."""
    return ["-style", STYLE]


def apply_theme(app: QApplication, *, style_set: bool = False) -> None:
    """Follow the system colour scheme in the app's style; ``style_set`` when ``app`` was created with
    :func:`style_arguments`."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    if not style_set:
        app.setStyle(STYLE)
    if not is_dark(app.palette()):
        app.setPalette(govuk_palette(app.palette()))
    _readable_body_text(app)
    hints = app.styleHints()
    if hasattr(hints, "colorScheme"):
        # Qt follows the platform's scheme on its own; re-polish when the user switches it.
        def scheme_changed(_scheme: object) -> None:
            palette = app.style().standardPalette()
            app.setPalette(palette if is_dark(palette) else govuk_palette(palette))
            refresh_style(app)

        hints.colorSchemeChanged.connect(scheme_changed)
    refresh_style(app)
    _follow_text_size(app)


#: How long after start the system's text size begins to be watched (``ui/text_size.py``).
TEXT_SIZE_WATCH_DELAY_MS = 1000


def _follow_text_size(app: QApplication) -> None:
    """Every open window follows a new text size, the system's included (``ui/text_size.py``). Its module
    is imported at the first change, or a second after start for the system's watch: importing it (Qt's
    types for it, ~6 ms) before the first window is drawn would slow start-up (issue 13)."""
    def install() -> None:
        from referral_desktop.ui.text_size import follow_text_size

        follow_text_size(app)

    def first_change(_font: object) -> None:
        from referral_desktop.ui.text_size import follow_text_size

        follow_text_size(app).follow_soon()  # connected now, it would miss this change

    if not app.property("textSizeFollowed"):
        app.setProperty("textSizeFollowed", True)
        app.fontChanged.connect(first_change)
        QTimer.singleShot(TEXT_SIZE_WATCH_DELAY_MS, app, install)


#: GOV.UK body text is 16 px (19 px on large screens): 12 pt at 96 dpi. A smaller system default is raised
#: to it; a larger one (the user's choice, 200 % text) is kept.
BODY_POINTS = 12.0


def readable_body_font(font: QFont) -> QFont:
    """``font`` (the system's), raised to :data:`BODY_POINTS` where smaller."""
    font = QFont(font)
    if 0 < font.pointSizeF() < BODY_POINTS:
        font.setPointSizeF(BODY_POINTS)
    return font


def _readable_body_text(app: QApplication) -> None:
    font = app.font()
    if 0 < font.pointSizeF() < BODY_POINTS:
        app.setFont(readable_body_font(font))


def primary(button) -> None:
    """Mark the page's one main action (GOV.UK's green button)."""
    button.setProperty("primary", True)


def hint(label) -> None:
    """Secondary text under a question (GOV.UK's hint) in the secondary colour."""
    label.setProperty("role", "hint")


def heading(label, level: int = 1) -> None:
    """Make a QLabel a heading: larger bold text, and an accessible role for screen readers. The scale
    follows GOV.UK's (36/24/19 px over 16 px body text) a little tightened for desktop windows."""
    size_heading(label, level)
    from referral_desktop.ui.accessibility import mark_heading

    mark_heading(label, level)  # the heading role for screen readers (Qt gives labels "label")
    label.setWordWrap(True)


#: GOV.UK's heading scale over the body text, by level.
HEADING_SCALE = {1: 1.75, 2: 1.4, 3: 1.2}


def size_heading(label, level: int) -> None:
    """A heading's bold text at its level's size over the application's body text (again after the text
    size changed: ``ui/text_size.py``)."""
    font = label.font()
    font.setPointSizeF(QApplication.font().pointSizeF() * HEADING_SCALE.get(level, 1.0))
    font.setBold(True)
    label.setFont(font)


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def error_colour(palette: QPalette | None = None) -> str:
    """GOV.UK red where it is readable on the window background (4.5:1); on a dark palette a light red
    that is (:data:`ERROR_RED_ON_DARK`); on a high-contrast palette, or where neither reads, the palette's
    own text colour, so the user's chosen contrast wins. The bar beside the question says it is an error
    either way (the word "Error:" is for screen readers only, as on GOV.UK). On a dark palette the text
    colour made an error message look like the question's own bold label above it."""
    palette = palette or QApplication.palette()
    background = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    for red in (ERROR_RED, ERROR_RED_ON_DARK):
        if contrast_ratio(QColor(red), background) < TEXT_CONTRAST:
            continue
        if red == ERROR_RED_ON_DARK and _high_contrast(text, background):
            break
        return red
    return text.name()


def _high_contrast(text: QColor, background: QColor) -> bool:
    """A high-contrast theme's palette: its text at the extremes (white on black reads 21:1, the Windows
    high-contrast themes 15 or more; the dark themes GNOME, KDE and Windows give Qt read 10 to 14). Not Qt's
    contrast preference: reading it built an enum type, ~15 ms before a dark palette's first screen."""
    return contrast_ratio(text, background) >= HIGH_CONTRAST_TEXT
