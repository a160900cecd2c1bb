"""Shared pieces of the end-to-end tests: a policy pointing at a running sandbox, a real encrypted
store, and a valid referral carrying sentinel values that must never show up in any log or output."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from referral_desktop import bundled_data

PASSPHRASE = "harbour lantern quietly orbit 42"
SENTINEL = "Zqxsentinelwq"  # in the child's name and in free text; never in logs or command output
SENTINEL_FILENAME = "Zqxsentinelwq school report.pdf"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def valid_answers() -> dict[str, Any]:
    path = bundled_data.forms_dir() / "examples" / "valid-route-a.json"
    answers = copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["answers"])
    answers["children"][0]["given_names"] = SENTINEL
    answers["concern_details"] = f"{answers['concern_details']} {SENTINEL}"
    return answers


def write_policy(folder: Path, sandbox: Any, *, encrypt: bool = True, timeout: float = 5.0, **extra: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f'api_base_url = "{sandbox.url}"',
        f'ca_bundle = "{sandbox.ca_file}"',
        f'bearer_token_file = "{sandbox.client_token_file}"',
        f"request_timeout_seconds = {float(timeout)}",
    ]
    if encrypt:
        lines.append(f'iart_public_key = "{sandbox.facts["payload_public_jwk_file"]}"')
    for key, value in extra.items():
        lines.append(f"{key} = {json.dumps(value)}")
    path = folder / "policy.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def draft(store: Any, answers: dict[str, Any] | None = None) -> str:
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers if answers is not None else valid_answers())
    return str(referral.id)


def sent_referral(store: Any, policy: Any, worker: Any) -> tuple[str, str]:
    """A referral drafted, queued and sent to the sandbox now: its id and iART's reference."""
    from referral_desktop.sync.queueing import queue_referral

    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    [result] = worker.send_due()
    assert result.state == "received", result
    return rid, result.iart_reference


def run_until_recorded(worker: Any, store: Any, seconds: float = 10) -> Any:
    """Run the sender's background loop (as the app runs it) until the one waiting item records an error,
    for at most ``seconds``; then stop it and return the outbox entry."""
    stop = threading.Event()
    loop = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
    loop.start()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and store.outbox.list()[0].last_error_code is None:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.nudge()
        loop.join(10)
    [entry] = store.outbox.list()
    return entry


def run_command(profile: Path, policy_file: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real ``referral-desktop`` command in a child process, the passphrase given on stdin."""
    command = [sys.executable, "-m", "referral_desktop", "--profile", str(profile), "--policy", str(policy_file),
               *args, "--passphrase-stdin"]
    return subprocess.run(command, input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=timeout)


def run_cli(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """:func:`run_command` on the tests' usual layout: ``tmp_path/profile`` and ``tmp_path/policy/policy.toml``."""
    return run_command(tmp_path / "profile", tmp_path / "policy" / "policy.toml", *args, timeout=timeout)


def profile_with_sent_referral(tmp_path: Path, sandbox: Any) -> tuple[str, str]:
    """The usual layout with one referral sent to the sandbox and the store closed again (for tests that go
    on through the command): the referral's id and iART's reference."""
    from referral_desktop.policy import load_policy
    from referral_desktop.store import create_store
    from referral_desktop.sync.outbox_worker import OutboxWorker

    policy = load_policy(write_policy(tmp_path / "policy", sandbox))
    store = create_store(tmp_path / "profile", PASSPHRASE)
    worker = OutboxWorker.from_policy(store, policy)
    try:
        return sent_referral(store, policy, worker)
    finally:
        worker.close()
        store.close()


@contextmanager
def worker_rig(tmp_path: Path, sandbox: Any, *, timeout: float) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(store, policy, worker, clock): a real encrypted store in ``tmp_path`` and the real sender pointed
    at ``sandbox`` with an HTTP ``timeout``, on a clock the test moves by hand; closed afterwards."""
    from referral_desktop.policy import load_policy
    from referral_desktop.store import create_store
    from referral_desktop.sync.outbox_worker import OutboxWorker
    from sync_testing.clock import ManualClock

    policy = load_policy(write_policy(tmp_path / "policy", sandbox, timeout=timeout))
    clock = ManualClock()
    store = create_store(tmp_path / "profile", PASSPHRASE, clock=clock)
    worker = OutboxWorker.from_policy(store, policy, clock=clock)
    try:
        yield store, policy, worker, clock
    finally:
        worker.close()
        store.close()
