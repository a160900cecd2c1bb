"""The whole app follows the application's text size when it changes, keeping the person's place.

Why: with the app's style sheet applied, Qt hands a new application font (the system's text size changed,
``QApplication.setFont``) only to top-level windows; every widget already polished keeps the size it was
polished at, and headings keep the size ``theme.heading`` gave them. An open home screen, referral page,
settings page or dialog kept the old size until it was built again; the editor, open for as long as a
referral takes, had its own follower (``TextSizeFollower``), and now every window follows.
Polishing each widget again makes it resolve its font from the application's afresh (nothing is rebuilt:
what was typed, the focus and the undo history stay with their widgets), and headings are sized again on
GOV.UK's scale over the new body text.

Listened to: the application's ``fontChanged`` signal, and one hidden window's ``ThemeChange`` (for the
system's own text size, :class:`SystemTextSizeWatch`); never an application-wide event filter (README,
"Qt and threads", rule 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QWindow
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QScrollArea, QWidget
from shiboken6 import isValid

from referral_desktop.ui.editor.pending_layout import settle_pending_layout, show_whole
from referral_desktop.ui.theme import readable_body_font, size_heading
from referral_desktop.ui.window_fit import keep_on_screen

#: Set on a widget that follows the text size itself (the editor: it also re-measures its section list);
#: the application's follower leaves that widget and everything in it to it.
OWN_FOLLOWER = "followsTextSizeItself"
#: The application's follower, found by this name (installed once however often the theme is applied).
FOLLOWER_NAME = "applicationTextSize"


def restyle(root: QWidget, *, leave: Iterable[QWidget] = ()) -> None:
    """``root`` and every widget in it polished again, so each takes the application's text size; each
    heading sized again over it at its level. Widgets in ``leave`` (and in them) are left as they are."""
    left = set()
    for widget in leave:
        left.add(widget)
        left.update(widget.findChildren(QWidget))
    widgets = [w for w in [root, *root.findChildren(QWidget)] if w not in left]
    for widget in widgets:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
    for widget in widgets:
        level = widget.property("headingLevel")
        if isinstance(widget, QLabel) and widget.property("role") == "heading" and level:
            size_heading(widget, int(level))


def keeping_place(page: QScrollArea, change: Callable[[], None]) -> None:
    """Run ``change`` (the page's text grows or shrinks) with the person's place kept: the focused widget
    at the same height in the window and seen whole; without focus on the page, the same share of it
    scrolled past (a page twice as long is scrolled twice as far)."""
    keeping_places([page], change)


def keeping_places(areas: Iterable[QAbstractScrollArea], change: Callable[[], None]) -> None:
    """:func:`keeping_place` for several scrolled areas at once (a window's page, its lists): the one
    holding the focus keeps the focused widget where it was and seen whole, the others their share."""
    focused = QApplication.focusWidget()
    places: list[tuple[QAbstractScrollArea, int | None, float]] = []
    for area in areas:
        bar = area.verticalScrollBar()
        share = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
        at = None
        if isinstance(area, QScrollArea) and focused is not None and area.isAncestorOf(focused) and focused.isVisible():
            at = focused.mapTo(area.viewport(), QPoint(0, 0)).y()
        places.append((area, at, share))
    change()
    settle_pending_layout()
    for area, at, share in places:
        if not isValid(area):
            continue
        bar = area.verticalScrollBar()
        if at is not None and focused is not None and isValid(focused) and focused.isVisible():
            bar.setValue(bar.value() + focused.mapTo(area.viewport(), QPoint(0, 0)).y() - at)
            if isinstance(area, QScrollArea):
                show_whole(area, focused, room=0)
        else:
            bar.setValue(round(share * bar.maximum()))


class TextSizeFollower:
    """Watches the application's font for ``root`` and calls ``follow`` once per change, after the
    application has sent its own font events (several changes in one turn of the event loop are one).
    ``root`` is then left to ``follow`` by the application's own follower."""

    def __init__(self, root: QWidget, follow: Callable[[], None]) -> None:
        root.setProperty(OWN_FOLLOWER, True)
        self._timer = QTimer(root)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(follow)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._timer.start)


def _scrolled_areas(window: QWidget, leave: list[QWidget]) -> list[QAbstractScrollArea]:
    areas = [window] if isinstance(window, QAbstractScrollArea) else []
    return [area for area in [*areas, *window.findChildren(QAbstractScrollArea)]
            if area.isVisible() and not any(w is area or w.isAncestorOf(area) for w in leave)]


def restyle_windows(windows: Iterable[QWidget]) -> list[tuple[QWidget, QSize]]:
    """``windows`` (the main window with the screen it shows, dialogs, hidden ones too, which keep their
    widgets for when they are shown again) restyled for the application's text size, each keeping the
    person's place in it. Returns the shown ones restyled, each with its size before."""
    shown = []
    for window in windows:
        if not isValid(window) or window.property(OWN_FOLLOWER):
            continue
        leave = [w for w in window.findChildren(QWidget) if w.property(OWN_FOLLOWER)]
        if not window.isVisible():
            restyle(window, leave=leave)
            continue
        shown.append((window, window.size()))
        keeping_places(_scrolled_areas(window, leave), partial(restyle, window, leave=leave))
    return shown


def keep_grown_windows_on_screen(windows: Iterable[tuple[QWidget, QSize]]) -> None:
    """Each window that grew with its text brought back within the screen, once its screens have laid
    themselves out for the new size (the home screen moves who to call below the list at 200 %): grown
    to hold the old layout at the new size, the window had stayed wider than the screen, its right edge
    cut off. A window that did not grow is left as it is."""
    settle_pending_layout()
    for window, before in windows:
        if not isValid(window) or not window.isVisible():
            continue
        if (layout := window.layout()) is not None:
            layout.activate()
        if window.width() > before.width() or window.height() > before.height():
            keep_on_screen(window)


class SystemTextSizeWatch(QWindow):
    """A window never shown, told by Qt when the system's theme changes (its fonts among it), which hands
    the system's new text size to the application, raised to the app's body text where smaller.

    Why: the app raises a smaller system text to 12 pt with ``QApplication.setFont``; Qt then treats the
    application's font as chosen by the program and no longer replaces it when the system's text size
    changes (``QGuiApplicationPrivate::handleThemeChanged`` skips it once the font is set explicitly).
    Qt still sends every window ``QEvent.ThemeChange`` after the platform theme reports a change (on Linux
    the GTK or KDE platform theme, from the desktop's settings), and ``QFontDatabase.systemFont`` reads the
    theme's font afresh. A window gets only its own events: no Python runs for anyone else's."""

    def __init__(self, app: QApplication, system_font: Callable[[], QFont] | None = None,
                 taken: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.setObjectName("systemTextSizeWatch")
        self._app, self._taken = app, taken
        self._system_font = system_font or (lambda: QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        self._seen = self._system_font().toString()

    def event(self, event: QEvent) -> bool:  # noqa: D102 (Qt name)
        if event.type() == QEvent.Type.ThemeChange:
            self._follow_system()
        return super().event(event)

    def _follow_system(self) -> None:
        system = self._system_font()
        if system.toString() == self._seen:
            return  # a change of colours or icons, not of text: a size the person set in the app stays
        self._seen = system.toString()
        wanted = readable_body_font(system)
        if wanted != self._app.font():
            self._app.setFont(wanted)  # the app's follower restyles every window (fontChanged)
        elif self._taken is not None:
            # Qt took the system's new font itself (the app had never set one: the system's was 12 pt or
            # more) and told no widget: the open windows stayed at the old size.
            self._taken()


class ApplicationTextSize(QObject):
    """The application's follower: on ``fontChanged``, once per turn of the event loop, every window is
    restyled (:func:`restyle_windows`); and the system's text size is watched (:class:`SystemTextSizeWatch`)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(FOLLOWER_NAME)
        self._app = app
        #: The windows open when the size changed: those built since are at the new size already (a window
        #: built in the same turn of the event loop would otherwise be restyled, and its place moved).
        self._open_then: list[QWidget] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._follow)
        app.fontChanged.connect(self.follow_soon)
        # After the screens' own follow-ups (posted while restyling: home's layout), one more turn.
        self._grown: list[tuple[QWidget, QSize]] = []
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit)
        self.system_watch = SystemTextSizeWatch(app, taken=self.follow_soon)

    def follow_soon(self, *_font: object) -> None:
        """Restyle the windows open now once the application has sent its own font events."""
        known = set(self._open_then)
        self._open_then += [w for w in self._app.topLevelWidgets() if w not in known]
        self._timer.start()

    def _follow(self) -> None:
        windows, self._open_then = self._open_then, []
        self._grown += restyle_windows(windows)
        self._fit_timer.start()

    def _fit(self) -> None:
        grown, self._grown = self._grown, []
        keep_grown_windows_on_screen(grown)


def follow_text_size(app: QApplication) -> ApplicationTextSize:
    """The application's follower, installed once."""
    existing = app.findChild(ApplicationTextSize, FOLLOWER_NAME)
    return existing if existing is not None else ApplicationTextSize(app)
