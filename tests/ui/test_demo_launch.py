"""``--demo`` as a newcomer meets it: a window at once, and nothing left behind however the app ends.

The end-to-end tests run the real entry point (``python -m referral_desktop --demo``) offscreen with a
private TMPDIR, wait until its sandbox is serving, then end the app the way the world does (SIGTERM,
SIGKILL) and check that the sandbox process and the demo folder are gone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.demo_launch import MESSAGE, start_with_window
from referral_desktop.ui.demo_sandbox import OWNER_FILE, make_demo_folder, sweep_abandoned_demo_folders
from referral_desktop.ui.display_check import XCB_LIBRARIES, display_problem
from referral_desktop.ui.termination import TerminationWatch

pytestmark = [pytest.mark.gui, pytest.mark.skipif(os.name != "posix", reason="POSIX signals and /proc")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DISPLAY", "WAYLAND"))}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env.update(TMPDIR=str(tmp_path / "tmp"), HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def _start_demo(tmp_path: Path) -> tuple[subprocess.Popen, Path, int]:
    """The demo app running offscreen; returns it, its demo folder and its sandbox's process id."""
    env = _environment(tmp_path, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-m", "referral_desktop", "--demo"], env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = tmp_path / "tmp"
    _wait(lambda: any(base.glob("referral-desktop-demo-*/demo-policy.toml")) or app.poll() is not None,
          90, "the demo sandbox to be ready")
    assert app.poll() is None, app.stdout.read().decode(errors="replace")
    folder = next(base.glob("referral-desktop-demo-*"))
    facts = json.loads((folder / "sandbox-ready.json").read_text())
    return app, folder, int(facts["pid"])


def test_sigterm_closes_the_app_and_leaves_no_sandbox_or_folder(tmp_path):
    app, folder, sandbox_pid = _start_demo(tmp_path)
    time.sleep(1.0)  # the main window is up behind the starting window
    app.send_signal(signal.SIGTERM)
    assert app.wait(timeout=30) == 0
    assert not folder.exists()
    _wait(lambda: not _alive(sandbox_pid), 10, "the sandbox to stop")


def test_a_killed_app_leaves_no_sandbox_or_folder(tmp_path):
    app, folder, sandbox_pid = _start_demo(tmp_path)
    app.kill()  # as a crash that runs no clean-up: SIGKILL
    app.wait(timeout=10)
    _wait(lambda: not _alive(sandbox_pid), 15, "the orphaned sandbox to stop")
    _wait(lambda: not folder.exists(), 10, "the orphaned sandbox to remove the demo folder")


def test_without_a_display_it_says_what_to_install_and_starts_nothing(tmp_path):
    env = _environment(tmp_path)  # no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM
    done = subprocess.run([sys.executable, "-m", "referral_desktop", "--demo"], env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "xvfb" in done.stderr and "xvfb-run -a referral-desktop --demo" in done.stderr
    assert "qt.qpa" not in done.stderr and "Aborted" not in done.stderr  # not Qt's own message
    assert not list((tmp_path / "tmp").iterdir())  # no demo folder, so no sandbox either


def test_display_check_names_missing_x11_libraries():
    def loader(name: str) -> None:
        if name == "libxcb-cursor.so.0":
            raise OSError(name)

    message = display_problem({"DISPLAY": ":0"}, "linux", load=loader)
    assert message and "libxcb-cursor0" in message and "apt-get install libxcb-cursor0" in message
    assert display_problem({"DISPLAY": ":0"}, "linux", load=lambda name: None) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "win32") is None
    assert "WAYLAND_DISPLAY" in display_problem({}, "linux")
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-cursor0", "libxkbcommon-x11-0"}


def test_abandoned_demo_folders_are_swept_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = tmp_path / "referral-desktop-demo-old"
    abandoned.mkdir()
    (abandoned / OWNER_FILE).write_text(str(dead.pid))
    live = make_demo_folder(tmp_path)
    assert (live / OWNER_FILE).read_text() == str(os.getpid())
    assert not abandoned.exists()  # make_demo_folder swept it
    assert sweep_abandoned_demo_folders(tmp_path) == [] and live.exists()


def test_a_window_says_the_server_is_starting_at_once(qtbot, tmp_path):
    seen: list[str] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "demoStarting" and widget.isVisible():
                seen.append(widget.message.text())

    QTimer.singleShot(50, look)  # well before the sandbox can be ready
    watch = TerminationWatch()
    folder = make_demo_folder(tmp_path)
    started = time.monotonic()
    sandbox, policy, go_on = start_with_window(folder, watch, timeout=90)
    try:
        assert seen == [MESSAGE]
        assert go_on and sandbox is not None and policy and Path(policy).is_file()
        assert time.monotonic() - started > 0.05
    finally:
        if sandbox is not None:
            sandbox.stop()
        watch.uninstall()
