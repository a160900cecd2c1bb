"""Fixtures for the application-shell tests: a temporary profile, a fixed clock, the task runner.

The store is the real SQLCipher store whenever it is importable; otherwise an in-memory stand-in with
the same public functions (see fake_store.py), so the screens stay testable while the core lands.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from referral_desktop.ui.app import make_settings
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.task_runner import StoreTaskRunner

# Tuesday 24 November 2026, 10:00 UK time: iART is open.
FIXED_NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
PASSPHRASE = "lantern orbit meadow 42"


def real_store_available() -> bool:
    try:
        from referral_desktop.store import create_store  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def sandbox(tmp_path):
    """The reference iART API (the sandbox) running as its own process, over TLS on loopback."""
    pytest.importorskip("uvicorn")
    from referral_desktop.sandbox.launcher import running_sandbox

    with running_sandbox(tmp_path / "iart") as running:
        yield running


@pytest.fixture(autouse=True)
def _application_look_restored():
    """The application's style, style sheet, font and palette as they were before the test. A test that
    builds the real application (``build_application``: the app's style, 12 pt body text, its style sheet)
    left them on the one QApplication for every later test in the process, and tests measuring text at
    200 % then measured a different size depending on which tests ran before them."""
    from PySide6.QtGui import QFont, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        yield
        return
    style, sheet = app.style().name(), app.styleSheet()
    font, palette, themed = QFont(app.font()), QPalette(app.palette()), app.property("referralDesktopThemed")
    yield
    if app.style().name() != style:
        app.setStyle(style)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    if app.font() != font:
        app.setFont(font)
    if app.palette() != palette:
        app.setPalette(palette)
    app.setProperty("referralDesktopThemed", themed)


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test():
    """Close any dialog or window a test left on screen: a modal one would take the next test's clicks
    (QTest delivers them through the window system, which refuses input to windows a modal blocks)."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    app.sendPostedEvents(None, 0)


@pytest.fixture
def fake_store(monkeypatch):
    from tests.ui.fake_store import FakeStoreModule

    module = FakeStoreModule()
    monkeypatch.setattr(ProfileGateway, "_store", staticmethod(lambda: module))
    return module


@pytest.fixture
def store_api(request):
    """The real store when available, else the stand-in (the test does not need to know)."""
    if real_store_available():
        return None
    return request.getfixturevalue("fake_store")


@pytest.fixture
def context(qtbot, tmp_path: Path):
    runner = StoreTaskRunner()
    ctx = AppContext(profile_dir=tmp_path / "profile", runner=runner, settings=make_settings(tmp_path / "settings.ini"),
                     clock=lambda: FIXED_NOW)
    ctx.profile_dir.mkdir()
    yield ctx
    runner.wait_idle()
    runner.shutdown()


def create_store_now(context: AppContext, passphrase: str = PASSPHRASE):
    """A store created (synchronously, on the runner's thread) and set as the runner's store."""
    gateway = ProfileGateway(context.profile_dir, context.clock)
    store = context.runner.run_sync(gateway.create, passphrase)
    context.runner.store = store
    return store


def create_locked_store(context: AppContext, passphrase: str = PASSPHRASE) -> None:
    """A store created and closed again (on the runner's thread), none open: as at a start of the app,
    which then shows the unlock screen."""
    store = create_store_now(context, passphrase)
    context.runner.run_sync(store.close)
    context.runner.store = None


def shown_window_creating_its_store(qtbot, context: AppContext):
    """The real window shown on first run, its passphrase typed twice and "Create" pressed."""
    from referral_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    first = window.current
    first.passphrase.setText(PASSPHRASE)
    first.confirm.setText(PASSPHRASE)
    first.create_button.click()
    return window


def window_through_first_run(qtbot, context: AppContext, answers: dict):
    """The real window through first run to home: the store created, the profile filled from the answers'
    ``referrer_`` fields, and a draft of ``answers`` made. Returns (window, draft). The caller sets the
    policy and starts the sender first when it sends."""
    from referral_desktop.ui.screens.home import HomeScreen

    window = shown_window_creating_its_store(qtbot, context)
    first = window.current
    qtbot.waitUntil(lambda: first.pages.currentIndex() == 1, timeout=10_000)
    draft = context.runner.run_sync(
        lambda: context.runner.store.referrals.create_draft("cwac-marf", "1.0.0", answers))
    first.profile_form.set_values({k: v for k, v in answers.items() if k.startswith("referrer_")})
    first.save_profile_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    return window, draft


@pytest.fixture
def laptop_screen(monkeypatch):
    """A 1366 x 768 laptop screen less a 40 px taskbar, for the code that fits windows and panels to the
    screen (the offscreen test platform's only screen is 800 x 800)."""
    from PySide6.QtCore import QRect

    from referral_desktop.ui import window_fit
    from referral_desktop.ui.screens.home import HomeScreen

    area = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(window_fit, "available_area", lambda window: area)
    monkeypatch.setattr(HomeScreen, "_screen_width", lambda self: area.width())
    return area


@pytest.fixture
def announced(monkeypatch) -> list[str]:
    """What is announced to assistive technology (each accessibility event's message; "" for others)."""
    from PySide6.QtGui import QAccessible

    events: list[str] = []
    original = QAccessible.updateAccessibility

    def record(event):
        events.append(event.message() if hasattr(event, "message") else "")
        original(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(record))
    return events
