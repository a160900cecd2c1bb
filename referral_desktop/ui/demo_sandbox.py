"""``--demo``: the sandbox iART server in a child process, on loopback, for a throwaway profile.

Why a subprocess: the app must never import the sandbox (it is an optional extra and a separate
program). The child is started with ``python -m referral_desktop sandbox ...`` and stopped, by its own
process id, when the app quits.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)


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


def start_demo_sandbox(demo_dir: Path) -> tuple[DemoSandbox | None, str | None]:
    """Start the sandbox; return it and the client policy file it wrote (or None, None)."""
    policy_file = demo_dir / "demo-policy.toml"
    command = [sys.executable, "-m", "referral_desktop", "sandbox", "serve", "--data", str(demo_dir / "sandbox"),
               "--write-client-policy", str(policy_file), "--auto-acknowledge"]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
    except OSError as exc:
        log.warning("sandbox did not start: %s", type(exc).__name__)
        return None, None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if policy_file.exists():
            return DemoSandbox(process), str(policy_file)
        if process.poll() is not None:
            log.warning("sandbox exited with code %s; the demo runs offline", process.returncode)
            return None, None
        time.sleep(0.1)
    log.warning("sandbox did not become ready; the demo runs offline")
    DemoSandbox(process).stop()
    return None, None
