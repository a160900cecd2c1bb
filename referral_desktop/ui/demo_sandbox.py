"""``--demo``: the sandbox iART server in a child process, on loopback, for a throwaway profile.

Why a subprocess: the app must never import the sandbox (it is an optional extra and a separate
program). The child is ``python -m referral_desktop sandbox --port 0 --ready-file ...``; its ready file
says where it listens and where its CA, token and payload key are, from which a demo policy file is
written. It acknowledges referrals after a few seconds, asks one question about each (so the newcomer
sees the conversation and replies), marks the reply read, and decides a little after the reply, so a
newcomer can watch a referral travel.

Nothing is left behind: the app stops the child and deletes the demo folder when it ends (normally, on
SIGTERM, or after an error); if the app is killed outright the child notices its parent has gone, stops
and deletes the folder itself (``--exit-with-parent``); and a folder whose owner process is gone is
swept at the next ``--demo`` start. The child is started from the GUI thread's process, not from a
worker thread, and its readiness is polled without blocking (``DemoLaunch.poll``), so a window can say
what is happening while it starts.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

ACKNOWLEDGE_AFTER_SECONDS = "5"
REQUEST_INFO_AFTER_SECONDS = "10"  # after acknowledging: iART asks one question, so the demo shows replying
READ_AFTER_SECONDS = "5"  # iART marks a reply read
DECIDE_AFTER_SECONDS = "40"  # after the reply (deciding waits for it)
FOLDER_PREFIX = "referral-desktop-demo-"
OWNER_FILE = "owner.pid"


class DemoSandbox:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def write_demo_policy(facts: dict, path: Path) -> Path:
    lines = [
        "# Written by referral-desktop --demo for the sandbox it started; deleted on exit.",
        f"api_base_url = {_toml_string(facts['url'])}",
        f"ca_bundle = {_toml_string(facts['ca_file'])}",
        f"bearer_token_file = {_toml_string(facts['client_token_file'])}",
        "test_deployment = true",
    ]
    if facts.get("payload_public_jwk_file"):
        lines.append(f"iart_public_key = {_toml_string(facts['payload_public_jwk_file'])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def make_demo_folder(parent: Path | None = None) -> Path:
    """A new private demo folder recording its owner's process id, after sweeping abandoned ones."""
    base = Path(parent or tempfile.gettempdir())
    sweep_abandoned_demo_folders(base)
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=base))
    (folder / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    return folder


def sweep_abandoned_demo_folders(base: Path) -> list[Path]:
    """Delete this user's demo folders whose owning app process no longer runs (it was killed before
    it could clean up and its sandbox could not either). Returns what was removed."""
    removed = []
    for folder in base.glob(FOLDER_PREFIX + "*"):
        try:
            if not folder.is_dir() or (os.name == "posix" and folder.stat().st_uid != os.getuid()):
                continue
            owner = int((folder / OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue  # no owner recorded: not ours to judge
        if not _process_alive(owner):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


class DemoLaunch:
    """The sandbox child being started: ``poll()`` until it returns ready, failed or still starting."""

    STARTING, READY, FAILED = "starting", "ready", "failed"

    def __init__(self, demo_dir: Path, timeout: float = 30) -> None:
        self.demo_dir = demo_dir
        self.deadline = time.monotonic() + timeout
        self.ready_file = demo_dir / "sandbox-ready.json"
        self.sandbox: DemoSandbox | None = None
        self.policy_file: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        data = demo_dir / "sandbox"
        data.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "referral_desktop", "sandbox", "--port", "0", "--data", str(data),
                   "--ready-file", str(self.ready_file), "--test-deployment",
                   "--auto-acknowledge", ACKNOWLEDGE_AFTER_SECONDS, "--auto-decide", DECIDE_AFTER_SECONDS,
                   "--auto-request-info", REQUEST_INFO_AFTER_SECONDS, "--auto-read", READ_AFTER_SECONDS,
                   "--exit-with-parent", str(os.getpid()), "--remove-on-orphan", str(demo_dir)]
        output = open(demo_dir / "sandbox-output.txt", "wb")  # noqa: SIM115 - the child keeps writing to it
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                            stderr=subprocess.STDOUT)
        except OSError as exc:
            log.warning("sandbox did not start: %s", type(exc).__name__)
        finally:
            output.close()

    def poll(self) -> str:
        if self.process is None:
            return self.FAILED
        if self.sandbox is not None:
            return self.READY
        if self.ready_file.is_file():
            try:
                facts = json.loads(self.ready_file.read_text(encoding="utf-8"))
            except ValueError:
                return self.STARTING  # being written
            self.sandbox = DemoSandbox(self.process)
            self.policy_file = str(write_demo_policy(facts, self.demo_dir / "demo-policy.toml"))
            return self.READY
        if self.process.poll() is not None:
            log.warning("sandbox exited with code %s; the demo runs offline", self.process.returncode)
            return self.FAILED
        if time.monotonic() > self.deadline:
            log.warning("sandbox did not become ready; the demo runs offline")
            self.abandon()
            return self.FAILED
        return self.STARTING

    def abandon(self) -> None:
        """Stop the child, whatever state it is in."""
        if self.process is not None:
            DemoSandbox(self.process).stop()


def sandbox_unavailable_reason() -> str | None:
    """Why this build cannot start the sandbox, or None."""
    if getattr(sys, "frozen", False):
        return ("The demo sandbox is not part of installed builds: the demo runs offline. To send to a "
                "sandbox, install from source with the [sandbox] extra.")
    return None


def start_demo_sandbox(demo_dir: Path, timeout: float = 30) -> tuple[DemoSandbox | None, str | None]:
    """Start the sandbox and wait; return it and the demo policy file (or None, None: the demo runs
    offline). Blocking: for tests and scripts; the app uses ``DemoLaunch`` behind a window."""
    reason = sandbox_unavailable_reason()
    if reason:
        print(reason, file=sys.stderr)
        return None, None
    launch = DemoLaunch(demo_dir, timeout)
    while (state := launch.poll()) == DemoLaunch.STARTING:
        time.sleep(0.1)
    return (launch.sandbox, launch.policy_file) if state == DemoLaunch.READY else (None, None)
