"""Start the sandbox as a separate process and learn where it is: for tests, benchmarks and demos.

    from referral_desktop.sandbox.launcher import running_sandbox

    with running_sandbox(tmp_path / "iart") as sandbox:
        session = sandbox.session()                 # verifies against the sandbox CA, bearer token set
        session.get(sandbox.url + "/v1/health")
        sandbox.set_faults([{"endpoint": "submit", "kind": "drop_after_commit", "times": 1}])
        sandbox.cli("acknowledge", "IART-2026-000001")
        sandbox.restart()                           # same data folder, same port

The process is ``python -m referral_desktop sandbox --port 0 --ready-file ...``; the ready file (written
once uvicorn accepts connections) gives the port, CA file and token files. The process's stdout and
stderr go to ``<data>/logs/process-output.txt`` so that tests can search them.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests


class SandboxDidNotStart(RuntimeError):
    pass


@dataclass
class RunningSandbox:
    """A sandbox process and what a client needs to talk to it."""

    data_dir: Path
    process: subprocess.Popen
    facts: dict[str, Any]
    args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.facts["url"]

    @property
    def port(self) -> int:
        return int(self.facts["port"])

    @property
    def ca_file(self) -> Path:
        return Path(self.facts["ca_file"])

    @property
    def client_token_file(self) -> Path:
        return Path(self.facts["client_token_file"])

    @property
    def client_token(self) -> str:
        return self.client_token_file.read_text(encoding="utf-8").strip()

    @property
    def operator_token(self) -> str:
        return Path(self.facts["operator_token_file"]).read_text(encoding="utf-8").strip()

    @property
    def payload_public_jwk(self) -> dict[str, Any]:
        return json.loads(Path(self.facts["payload_public_jwk_file"]).read_text(encoding="utf-8"))

    @property
    def form_signing_public_jwk(self) -> dict[str, Any]:
        return json.loads(Path(self.facts["form_signing_public_jwk_file"]).read_text(encoding="utf-8"))

    @property
    def output_file(self) -> Path:
        return self.data_dir / "logs" / "process-output.txt"

    def session(self, token: str | None = None) -> requests.Session:
        """A Session trusting only the sandbox CA (the environment's CA bundle is ignored), presenting the
        sandbox's own client certificate (needed when it was started with ``--require-client-cert``)."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.ca_file)
        if self.facts.get("client_cert_file") and self.facts.get("client_key_file"):
            session.cert = (str(self.facts["client_cert_file"]), str(self.facts["client_key_file"]))
        session.headers["Authorization"] = f"Bearer {token or self.client_token}"
        return session

    def operator_session(self) -> requests.Session:
        return self.session(self.operator_token)

    def set_faults(self, rules: list[dict[str, Any]], seed: int | None = None) -> dict[str, Any]:
        """Replace the fault rules (see ``referral_desktop.sandbox.faults``)."""
        with self.operator_session() as s:
            response = s.post(f"{self.url}/v1/_sandbox/faults", json={"rules": rules, "seed": seed}, timeout=10)
        response.raise_for_status()
        return response.json()

    def clear_faults(self) -> None:
        with self.operator_session() as s:
            s.delete(f"{self.url}/v1/_sandbox/faults", timeout=10).raise_for_status()

    def referrals(self) -> list[dict[str, Any]]:
        """What the server holds: one entry per referral (with ``replays`` counted), no answers."""
        with self.operator_session() as s:
            response = s.get(f"{self.url}/v1/_sandbox/referrals", timeout=10)
        response.raise_for_status()
        return response.json()

    def conversation(self, reference: str) -> list[dict[str, Any]]:
        """A referral's messages as the operator sees them (replies with their text and ``replays``)."""
        with self.operator_session() as s:
            response = s.get(f"{self.url}/v1/_sandbox/referrals/{reference}/messages", timeout=10)
        response.raise_for_status()
        return response.json()

    def mark_read(self, message_id: str) -> dict[str, Any]:
        """iART reads a reply."""
        with self.operator_session() as s:
            response = s.post(f"{self.url}/v1/_sandbox/messages/{message_id}/read", timeout=10)
        response.raise_for_status()
        return response.json()

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``referral-desktop sandbox <args> --data <data>`` (e.g. ``acknowledge REF``)."""
        return subprocess.run(
            [sys.executable, "-m", "referral_desktop", "sandbox", *args, "--data", str(self.data_dir)],
            capture_output=True, text=True, check=check, timeout=60,
        )

    def output(self) -> str:
        """Everything the process printed, plus the text logs in its data folder."""
        texts = []
        for path in sorted((self.data_dir / "logs").glob("*")):
            if path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)

    def stop(self, timeout: float = 10) -> int:
        if self.process.poll() is None:
            if sys.platform == "win32":  # (a statement, not an expression: mypy checks each platform's branch)
                self.process.send_signal(signal.CTRL_BREAK_EVENT)
            else:
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def kill(self) -> None:
        """Stop at once, as a crash would (SIGKILL)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self, extra_args: Sequence[str] | None = None, timeout: float = 30) -> RunningSandbox:
        """Stop and start again on the same data folder and port; updates this object in place."""
        self.stop()
        args = list(self.args) if extra_args is None else list(extra_args)
        fresh = start_sandbox(self.data_dir, port=self.port, extra_args=args, timeout=timeout)
        self.process, self.facts, self.args = fresh.process, fresh.facts, fresh.args
        return self


def start_sandbox(
    data_dir: Path,
    *,
    port: int = 0,
    extra_args: Sequence[str] = (),
    timeout: float = 30,
    env: dict[str, str] | None = None,
) -> RunningSandbox:
    """Start ``referral-desktop sandbox`` on 127.0.0.1 and wait until it accepts connections."""
    data_dir = Path(data_dir).resolve()
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    ready_file = data_dir / "ready.json"
    ready_file.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "referral_desktop", "sandbox",
        "--host", "127.0.0.1", "--port", str(port), "--data", str(data_dir),
        "--ready-file", str(ready_file), *extra_args,
    ]
    output = open(logs / "process-output.txt", "ab")  # noqa: SIM115 - lives as long as the process
    creationflags = 0
    if sys.platform == "win32":
        creationflags = subprocess.CREATE_NEW_PROCESS_GROUP
    process = subprocess.Popen(
        command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=env, creationflags=creationflags,
    )
    output.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready_file.is_file():
            facts = json.loads(ready_file.read_text(encoding="utf-8"))
            return RunningSandbox(data_dir=data_dir, process=process, facts=facts, args=list(extra_args))
        if process.poll() is not None:
            tail = (logs / "process-output.txt").read_text(encoding="utf-8", errors="replace")[-2000:]
            raise SandboxDidNotStart(f"the sandbox exited with {process.returncode}:\n{tail}")
        time.sleep(0.05)
    process.kill()
    process.wait(10)
    raise SandboxDidNotStart("the sandbox did not become ready in time")


@contextmanager
def running_sandbox(
    data_dir: Path, *, port: int = 0, extra_args: Sequence[str] = (), timeout: float = 30
) -> Iterator[RunningSandbox]:
    """``start_sandbox`` as a context manager that always stops the process."""
    sandbox = start_sandbox(data_dir, port=port, extra_args=extra_args, timeout=timeout)
    try:
        yield sandbox
    finally:
        sandbox.stop()
