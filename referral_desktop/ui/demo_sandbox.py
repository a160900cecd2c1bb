"""``--demo``: the sandbox iART server in a child process, on loopback, for a throwaway profile.

Why a subprocess: the app must never import the sandbox (it is an optional extra and a separate
program). The child is ``python -m referral_desktop sandbox --port 0 --ready-file ...``; its ready file
says where it listens and where its CA, token and payload key are, from which a demo policy file is
written. It acknowledges referrals after a few seconds and decides them a little later, so a newcomer
can watch a referral travel. It is stopped, by its own process id, when the app quits.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

ACKNOWLEDGE_AFTER_SECONDS = "5"
DECIDE_AFTER_SECONDS = "40"


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


def start_demo_sandbox(demo_dir: Path, timeout: float = 30) -> tuple[DemoSandbox | None, str | None]:
    """Start the sandbox; return it and the demo policy file (or None, None: the demo runs offline)."""
    if getattr(sys, "frozen", False):
        # Installed builds leave the sandbox (a separate, optional program) out; say so plainly.
        print("The demo sandbox is not part of installed builds: the demo runs offline. To send to a "
              "sandbox, install from source with the [sandbox] extra.", file=sys.stderr)
        return None, None
    data = demo_dir / "sandbox"
    data.mkdir(parents=True, exist_ok=True)
    ready = demo_dir / "sandbox-ready.json"
    command = [sys.executable, "-m", "referral_desktop", "sandbox", "--port", "0", "--data", str(data),
               "--ready-file", str(ready), "--test-deployment",
               "--auto-acknowledge", ACKNOWLEDGE_AFTER_SECONDS, "--auto-decide", DECIDE_AFTER_SECONDS]
    output = open(demo_dir / "sandbox-output.txt", "wb")  # noqa: SIM115 - the child keeps writing to it
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
    except OSError as exc:
        log.warning("sandbox did not start: %s", type(exc).__name__)
        return None, None
    finally:
        output.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready.is_file():
            try:
                facts = json.loads(ready.read_text(encoding="utf-8"))
            except ValueError:
                time.sleep(0.05)
                continue
            return DemoSandbox(process), str(write_demo_policy(facts, demo_dir / "demo-policy.toml"))
        if process.poll() is not None:
            log.warning("sandbox exited with code %s; the demo runs offline", process.returncode)
            return None, None
        time.sleep(0.1)
    log.warning("sandbox did not become ready; the demo runs offline")
    DemoSandbox(process).stop()
    return None, None
