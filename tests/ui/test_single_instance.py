"""One running app per profile: a second start brings the open window forward and ends.

Found: nothing stopped a second copy on the same profile. Two windows each save a draft's answers whole, so
typing in the second put back what the first had since changed; "Forgotten your passphrase?" in one removed
the store the other had open.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from referral_desktop.ui.single_instance import (
    ALREADY_OPEN,
    LOCK_FILE,
    ProfileInstance,
    ask_open_copy_to_come_forward,
    second_start,
    server_name,
)

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
POLICY = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"


def test_a_profile_is_held_by_one_copy_until_it_lets_go(qapp, tmp_path):
    first, second = ProfileInstance(tmp_path), ProfileInstance(tmp_path)
    assert first.claim()
    assert (tmp_path / LOCK_FILE).exists()
    if os.name == "posix":
        assert (tmp_path / LOCK_FILE).stat().st_mode & 0o077 == 0
    assert not second.claim()
    (tmp_path / "another").mkdir()
    other = ProfileInstance(tmp_path / "another")
    assert other.claim()  # another profile (another user, or --profile) is not held back
    other.release()
    first.release()
    assert second.claim()
    second.release()


ASK = ("import sys; from pathlib import Path; "
       "from referral_desktop.ui.single_instance import ask_open_copy_to_come_forward as ask; "
       "print(ask(Path(sys.argv[1])))")


def test_a_second_start_brings_the_minimised_window_forward(qtbot, tmp_path):
    """The asking side in a process of its own, as a second start is (in a thread of this one, its blocking
    wait would hold Python's lock while this side's slots need it)."""
    holder = ProfileInstance(tmp_path)
    assert holder.claim()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    holder.listen(window)
    asker = subprocess.Popen([sys.executable, "-c", ASK, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    qtbot.waitUntil(lambda: asker.poll() is not None, timeout=20_000)
    assert asker.stdout.read().strip() == "True"
    assert window.isVisible() and not window.isMinimized()
    holder.release()


def test_nobody_listening_is_not_taken_for_an_answer(qapp, tmp_path):
    started = time.monotonic()
    assert ask_open_copy_to_come_forward(tmp_path, wait_s=0.5) is False
    assert time.monotonic() - started < 5


def test_the_sockets_name_is_the_profiles_own_and_carries_no_path(tmp_path):
    mine = server_name(tmp_path / "alex.sample")
    assert mine == server_name(tmp_path / "alex.sample")
    assert mine != server_name(tmp_path / "another")
    assert "alex" not in mine and "sample" not in mine


def test_when_the_open_copy_does_not_answer_the_second_says_why_and_opens_nothing(qtbot, tmp_path, monkeypatch,
                                                                                   capsys):
    monkeypatch.setattr("referral_desktop.ui.single_instance.ask_open_copy_to_come_forward", lambda _p: False)
    seen: list[str] = []

    def read_and_close() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "alreadyOpen" and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, read_and_close)
            return
        seen.append(boxes[0].text())
        boxes[0].accept()

    QTimer.singleShot(0, read_and_close)
    assert second_start(tmp_path) == 1
    assert seen == [ALREADY_OPEN]
    assert ALREADY_OPEN in capsys.readouterr().err


def _start(profile: Path, logs: Path, *, ready: bool = False) -> subprocess.Popen:
    """The app as a desktop icon starts it, on ``profile``, offscreen, with its own log folder."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REFERRAL_DESKTOP_POLICY": str(POLICY),
           "REFERRAL_DESKTOP_LOG_DIR": str(logs), "XDG_CONFIG_HOME": str(logs.parent / "config")}
    env.pop("REFERRAL_DESKTOP_BENCH_READY", None)
    if ready:
        env["REFERRAL_DESKTOP_BENCH_READY"] = "1"  # prints "ready" at its first paint, ends once settled
    return subprocess.Popen([sys.executable, "-m", "referral_desktop", "--profile", str(profile)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _log_text(logs: Path) -> str:
    return "".join(path.read_text(encoding="utf-8", errors="replace") for path in logs.glob("*.log*"))


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_through_the_real_entry_point_the_second_start_ends_and_the_first_comes_forward(tmp_path):
    profile, logs = tmp_path / "profile", tmp_path / "logs"
    first = _start(profile, logs)
    try:
        deadline = time.monotonic() + 60  # its log file is started behind its first screen, after the lock
        while not (list(logs.glob("*.log")) and (profile / LOCK_FILE).exists()) and time.monotonic() < deadline:
            time.sleep(0.05)
        second = _start(profile, logs)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err[-2000:]
        deadline = time.monotonic() + 20
        while "brought forward" not in _log_text(logs) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "the app was started again: its window is brought forward" in _log_text(logs), (
            first.poll(), out, err)
        assert first.poll() is None, "the first copy must go on running"
        # Killed (a crash, a forced restart): its lock is left behind with its process id, and taken over.
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert (profile / LOCK_FILE).exists()
        third = _start(profile, logs, ready=True)
        out, err = third.communicate(timeout=60)
        assert "ready" in out, err[-2000:]
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)
