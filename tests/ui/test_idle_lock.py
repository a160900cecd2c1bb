"""Auto-lock watches user input only while unlocked, and any input postpones the lock.

Input is sent to the window as the window system sends it (``QTest`` on the ``QWindow``), which is where
the watcher listens (see ``ui/idle_lock.py``)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from referral_desktop.ui.idle_lock import IdleWatcher

pytestmark = pytest.mark.gui


def _shown_field(qtbot) -> QLineEdit:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    qtbot.waitUntil(lambda: field.windowHandle().isActive(), timeout=3000)
    return field


def test_input_postpones_the_lock_and_idle_time_fires_it(qtbot):
    field = _shown_field(qtbot)
    watcher = IdleWatcher(0.01)  # 600 ms
    assert not watcher.filtering and not watcher.active
    watcher.start()
    assert watcher.filtering
    fired = []
    watcher.idle_timeout.connect(lambda: fired.append(True))
    for _ in range(8):  # keep typing for longer than the idle time: no lock
        qtbot.wait(100)
        QTest.keyClick(field.windowHandle(), Qt.Key.Key_A)
    assert not fired
    assert field.text() == "a" * 8  # the keys reached the field too
    qtbot.waitUntil(lambda: bool(fired), timeout=3_000)  # then stop: it locks
    watcher.stop()
    assert not watcher.filtering and not watcher.active


def test_clicks_postpone_the_lock_too(qtbot):
    field = _shown_field(qtbot)
    watcher = IdleWatcher(0.01)
    watcher.start()
    fired = []
    watcher.idle_timeout.connect(lambda: fired.append(True))
    for _ in range(8):
        qtbot.wait(100)
        QTest.mouseClick(field.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(5, 5))
    assert not fired
    watcher.stop()


def test_typing_in_a_dialog_opened_after_the_unlock_postpones_the_lock(qtbot):
    field = _shown_field(qtbot)
    watcher = IdleWatcher(0.01)
    watcher.start()  # before the dialog exists
    dialog = QDialog(field)
    answer = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(answer)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.windowHandle().isActive(), timeout=3000)
    fired = []
    watcher.idle_timeout.connect(lambda: fired.append(True))
    for _ in range(8):
        qtbot.wait(100)
        QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_B)
    assert not fired
    dialog.reject()
    watcher.stop()


def test_input_while_stopped_does_not_start_the_timer(qtbot):
    field = _shown_field(qtbot)
    watcher = IdleWatcher(0.005)
    QTest.keyClick(field.windowHandle(), Qt.Key.Key_A)
    assert not watcher.active and not watcher.filtering
    watcher.start()
    watcher.stop()
    QTest.keyClick(field.windowHandle(), Qt.Key.Key_A)  # no longer listened to
    assert not watcher.active
