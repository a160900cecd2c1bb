"""The main window: first run to home, new referral into the editor, auto-lock removing every answer
widget, unlocking again, and nothing personal in QSettings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.screens.editor_host import EditorHost
from referral_desktop.ui.screens.first_run import FirstRunScreen
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.unlock import UnlockScreen
from referral_desktop.ui.screens.urgency import UrgencyScreen
from tests.ui.conftest import PASSPHRASE

pytestmark = pytest.mark.gui

SENTINEL_NAME = "Zebediah Sentinelworth"
SENTINEL_EMAIL = "zq.sentinel@example.org"
SENTINEL_ORG = "Quuxbridge Sentinel Academy"


def _first_run(qtbot, window: MainWindow) -> None:
    screen = window.current
    assert isinstance(screen, FirstRunScreen)
    screen.passphrase.setText(PASSPHRASE)
    screen.confirm.setText(PASSPHRASE)
    screen.create_button.click()
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 1, timeout=10_000)
    screen.profile_form.set_values({
        "referrer_name": SENTINEL_NAME, "referrer_role": "Teacher", "referrer_organisation": SENTINEL_ORG,
        "referrer_address": "1 Sentinel Road", "referrer_postcode": "CH1 1AA",
        "referrer_telephone": "01244 977277", "referrer_email": SENTINEL_EMAIL,
    })
    screen.save_profile_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)


def _text_inputs() -> list[str]:
    texts = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            texts.append(widget.toPlainText())
    return texts


def _open_new_draft(qtbot, window: MainWindow) -> EditorHost:
    window.new_action.trigger()
    urgency = window.current
    assert isinstance(urgency, UrgencyScreen)
    window.context.runner.wait_idle()
    urgency.no.setChecked(True)
    urgency.continue_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, EditorHost) and window.current.editor is not None,
                    timeout=10_000)
    return window.current


def test_auto_lock_destroys_answer_widgets_and_unlock_brings_home_back(qtbot, context, store_api):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert not window.idle.filtering  # nothing on screen to protect yet: no app-wide event filter
    _first_run(qtbot, window)
    assert window.idle.filtering and window.idle.active
    host = _open_new_draft(qtbot, window)
    qtbot.waitUntil(lambda: any(SENTINEL_NAME in t for t in _text_inputs()) or host.editor.objectName() != "",
                    timeout=5_000)
    editor_name = host.editor.objectName()
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    window.idle.set_minutes(0.001)  # 60 ms: the real timer, not a direct call
    window.idle.start()
    qtbot.waitUntil(lambda: isinstance(window.current, UnlockScreen), timeout=5_000)
    QApplication.sendPostedEvents(None, 0)  # run the deleteLater()s
    qtbot.waitUntil(lambda: not window.findChildren(EditorHost), timeout=5_000)
    assert not [w for w in QApplication.allWidgets() if w.objectName() == editor_name]
    assert not window.findChildren(HomeScreen)
    assert not any(SENTINEL_NAME in t for t in _text_inputs())
    assert not window.new_action.isEnabled()
    assert not window.idle.filtering
    assert context.runner.store is not None  # still open: sending goes on while locked

    unlock = window.current
    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    qtbot.waitUntil(lambda: window.current.proxy.rowCount() == 1, timeout=5_000)
    window.close()


def test_lock_on_demand_closes_dialogs_too(qtbot, context, store_api):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    _first_run(qtbot, window)
    window.show_privacy()
    window.lock_action.trigger()
    assert isinstance(window.current, UnlockScreen)
    assert window.current.relock


def test_qsettings_never_hold_personal_data(qtbot, context, store_api, tmp_path):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    _first_run(qtbot, window)
    _open_new_draft(qtbot, window)
    window.show_settings()
    window.current.auto_lock.setValue(3)
    window.resize(900, 650)
    window.close()
    context.settings.sync()
    path = tmp_path / "settings.ini"
    data = path.read_bytes()
    assert b"geometry" in data  # the file is really the one written
    for sentinel in (SENTINEL_NAME, SENTINEL_EMAIL, SENTINEL_ORG, PASSPHRASE, "Sentinel"):
        assert sentinel.encode() not in data
        assert sentinel.encode("utf-16-le") not in data
    keys = QSettings(str(path), QSettings.Format.IniFormat).allKeys()
    assert set(keys) <= {"window/geometry", "window/state", "security/auto_lock_minutes"}


def test_window_geometry_is_remembered(qtbot, context, store_api):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(701, 503)
    window.show()
    window.close()
    again = MainWindow(context)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (701, 503)


def test_start_up_file_hint_matches_the_store_layout():
    pytest.importorskip("referral_desktop.store.layout")
    from referral_desktop.store.layout import STORE_FILENAME
    from referral_desktop.ui.profile_gateway import STORE_FILE_HINT

    assert STORE_FILE_HINT == STORE_FILENAME


def test_unlock_screen_without_importing_what_is_behind_the_lock(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from referral_desktop.ui.main_window import MainWindow\n"
        "heavy = [m for m in ('referral_desktop.store', 'referral_desktop.sync.queueing', "
        "'referral_desktop.ui.screens.home', 'referral_desktop.domain.form_definition') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_unlocking_moves_focus_straight_to_the_list(qtbot, context, store_api):
    """The recovery walk heard focus land on an unnamed "filler", then "New referral", then the list, as
    the restored store opened the home screen: the stack, showing the home screen while the screen left
    had focus, passed focus down the home screen's chain before the list was given it."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    _first_run(qtbot, window)
    window.lock_action.trigger()
    unlock = window.current
    assert isinstance(unlock, UnlockScreen)
    unlock.passphrase.setFocus()
    focused: list[object] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: focused.append(new))
    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    home = window.current
    qtbot.waitUntil(lambda: QApplication.focusWidget() is home.table, timeout=5_000)
    # Straight to the list: not first through the screen's first button or an unnamed container.
    assert [widget for widget in focused if widget is not None] == [home.table], focused
