"""The home screen as the app shows it on a 1366 x 768 laptop, at a chosen text size (tests' set-up), and
the app's text at a chosen size for any screen (``app_text``).

Shared by the home screen's layout tests (``test_home_model``, ``test_home_at_200_percent``) and the
dialogs' (``test_forgotten_passphrase_focus``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QApplication, QMainWindow

from referral_desktop.ui.screens.home import HomeScreen
from tests.ui.fake_store import FakeStore


@contextmanager
def app_text(scale: float) -> Iterator[None]:
    """The app's style sheet and body text times ``scale``, as the app shows them; put back after."""
    from referral_desktop.ui.theme import BODY_POINTS, refresh_style

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old_font, old_sheet = app.font(), app.styleSheet()
    refresh_style(app)
    font = app.font()
    font.setPointSizeF(BODY_POINTS * scale)
    app.setFont(font)
    try:
        yield
    finally:
        app.setFont(old_font)
        app.setStyleSheet(old_sheet)


@contextmanager
def home_on_laptop(qtbot, context, laptop_screen, scale: float, rows=None):
    """The home screen as the app shows it: its style sheet, its body text times ``scale``, a window with
    a menu bar filling a 1366 x 768 screen less the taskbar and the title bar. ``rows``: summaries in a
    stand-in store; None: the store already open (the real one) lists its own."""
    if rows is not None:
        store = FakeStore("x" * 12)
        for summary in rows:
            store.referrals.items[summary.id] = summary
        context.runner.store = store
    with app_text(scale):
        window = QMainWindow()
        for name in ("&File", "&View", "&Tools"):
            window.menuBar().addMenu(name)
        home = HomeScreen(context)
        window.setCentralWidget(home)
        qtbot.addWidget(window)
        window.resize(laptop_screen.width(), laptop_screen.height() - 30)
        window.show()
        with qtbot.waitSignal(home.loaded, timeout=5_000):
            home.reload()
        qtbot.wait(50)
        yield window, home
        window.close()
