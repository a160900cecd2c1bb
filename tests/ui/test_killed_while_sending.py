"""The app killed while a referral is being sent, then started again while iART cannot be reached: what the
person sees. The real sender in a child process, SIGKILLed while the sandbox holds its request; then the
real window on the same encrypted store, offline (the policy's address answers nothing).

Why: the sender marks the *referral* ``sending`` for an attempt (the outbox row stays due), and the
start-up recovery looked for outbox rows marked ``sending``, which no longer exist. So after a kill the
referral stayed "Sending" on the home list, and its page said it was being sent now, for as long as the
laptop stayed offline, while nothing was being sent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from referral_desktop.policy import load_policy
from referral_desktop.store import create_store, open_store
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.sync_startup import start_sync
from tests.sync.sync_testing.e2e import PASSPHRASE, SENTINEL, draft, write_policy
from tests.ui.conftest import real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store"),
              pytest.mark.skipif(os.name != "posix", reason="SIGKILL semantics")]

CHILD = Path(__file__).parents[1] / "sync" / "sync_testing" / "send_child.py"


def _state(profile: Path, rid: str) -> str:
    store = open_store(profile, PASSPHRASE)
    try:
        state = store.referrals.get(rid).state
        return str(getattr(state, "value", state))
    finally:
        store.close()


def _killed_while_sending(tmp_path: Path) -> tuple[Path, str]:
    """A referral queued, its sender killed while the sandbox holds its request: the profile and its id."""
    pytest.importorskip("uvicorn")
    from referral_desktop.sandbox.launcher import running_sandbox

    profile = tmp_path / "profile"
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy_file = write_policy(tmp_path / "policy", sandbox)
        store = create_store(profile, PASSPHRASE)
        rid = draft(store)
        queue_referral(store, rid, load_policy(policy_file), date.today())
        store.close()
        sandbox.set_faults([{"endpoint": "submit", "kind": "latency", "latency_ms": 20_000}])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                           os.environ.get("PYTHONPATH", "")]))
        child = subprocess.Popen([sys.executable, str(CHILD), str(profile), str(policy_file)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            child.stdin.write(PASSPHRASE + "\n")
            child.stdin.flush()
            assert child.stdout.readline().startswith("ready"), child.stderr.read()
            deadline = time.monotonic() + 15
            while _state(profile, rid) != "sending" and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _state(profile, rid) == "sending"  # the request is out, held by the sandbox
        finally:
            child.kill()  # SIGKILL
            child.wait(10)
        assert sandbox.referrals() == []  # the held request never got through
    return profile, rid


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_after_a_kill_mid_send_an_offline_restart_says_waiting_not_sending(qtbot, tmp_path, announced):
    from referral_desktop.ui.app import make_settings
    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.task_runner import StoreTaskRunner

    profile, rid = _killed_while_sending(tmp_path)
    policy_text = (tmp_path / "policy" / "policy.toml").read_text()
    port = policy_text.split("https://127.0.0.1:")[1].split('"')[0].split("/")[0]
    offline = tmp_path / "offline.toml"
    offline.write_text(policy_text.replace(f"127.0.0.1:{port}", f"127.0.0.1:{_closed_port()}"))

    runner = StoreTaskRunner()
    context = AppContext(profile_dir=profile, runner=runner, settings=make_settings(tmp_path / "settings.ini"),
                         clock=lambda: datetime.now(UTC))
    context.policy = load_policy(offline)
    sync = start_sync(context)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.current.passphrase.setText(PASSPHRASE)
    window.current.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=15_000)
    qtbot.waitUntil(lambda: context.sync_worker is not None, timeout=10_000)
    home = window.current
    qtbot.waitUntil(lambda: home.connection.text().startswith("○ Offline"), timeout=15_000)

    def shown_state() -> str:
        rows = [r for r in home.model.rows if r.referral_id == rid]
        return rows[0].state if rows else ""

    qtbot.waitUntil(lambda: shown_state() in ("queued", "retrying"), timeout=5_000)
    window.open_detail(rid)

    def page_says_waiting() -> bool:
        summary = getattr(window.current, "summary", None)
        return summary is not None and "waiting" in summary.text().lower()

    qtbot.waitUntil(page_says_waiting, timeout=10_000)
    page_text = window.current.summary.text()
    assert "being sent to iART now" not in page_text and "Why it is waiting" in page_text
    assert not any(SENTINEL in said for said in announced)
    sync.stop()
    window.close()
    runner.wait_idle()
    runner.shutdown()
