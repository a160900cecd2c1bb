"""Auto-lock watches user input only while unlocked, and any input postpones the lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from referral_desktop.ui.idle_lock import IdleWatcher


def test_input_postpones_the_lock_and_idle_time_fires_it(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    watcher = IdleWatcher(0.01)  # 600 ms
    assert not watcher.filtering and not watcher.active
    watcher.start()
    assert watcher.filtering
    fired = []
    watcher.idle_timeout.connect(lambda: fired.append(True))
    for _ in range(8):  # keep typing for longer than the idle time: no lock
        qtbot.wait(100)
        QTest.keyClick(field, Qt.Key.Key_A)
    assert not fired
    qtbot.waitUntil(lambda: bool(fired), timeout=3_000)  # then stop: it locks
    watcher.stop()
    assert not watcher.filtering and not watcher.active


def test_input_while_stopped_does_not_start_the_timer(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    watcher = IdleWatcher(0.005)
    QTest.keyClick(field, Qt.Key.Key_A)
    assert not watcher.active and not watcher.filtering
