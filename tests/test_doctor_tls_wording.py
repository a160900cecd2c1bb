"""What ``doctor`` says about a failed secure connection is addressed to IT, who is running it.

The sender's messages end, for the professional, with "Ask IT to run 'referral-desktop doctor'"; shown by
doctor itself that sends IT round in a circle. Doctor's lines say what to check instead. Through doctor's
real checks: a server at the API's address that does not speak TLS, the sandbox requiring a client
certificate, and a TLS failure on the credentials request.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from referral_desktop.diagnostics.doctor_checks import run_checks
from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment
from referral_desktop.diagnostics.doctor_results import Status
from referral_desktop.sync.errors import TlsError, TlsProblem
from tests.loopback_server import LoopbackServer

pytest.importorskip("uvicorn")

CIRCULAR = ("referral-desktop doctor", "Ask IT")


class PlainHttpServer(LoopbackServer):
    """Answers every connection with a plain-HTTP reply, as a web server on the wrong port would: a TLS
    client's handshake fails on it with OpenSSL's "wrong version number" (the sender's HANDSHAKE case)."""

    def handle(self, client: socket.socket) -> None:
        try:
            client.recv(4096)
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except OSError:
            pass


@pytest.fixture
def plain_http_server():
    server = PlainHttpServer()
    yield server
    server.close()


def _policy(folder: Path, api_base_url: str, **settings: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = {"api_base_url": f'"{api_base_url}"', "test_deployment": "true", **settings}
    path = folder / "policy.toml"
    path.write_text("".join(f"{k} = {v}\n" for k, v in lines.items()), encoding="utf-8")
    return path


def _environment(tmp_path: Path, policy: Path) -> DoctorEnvironment:
    return DoctorEnvironment(policy_path=policy, profile_dir=tmp_path / "profile", log_dir=tmp_path / "logs",
                             timeout_seconds=5.0)


def _by_name(results) -> dict[str, tuple[Status, str]]:
    return {r.name: (r.status, r.detail) for r in results}


def test_a_server_that_does_not_speak_tls_is_explained_with_what_to_check(plain_http_server, tmp_path):
    policy = _policy(tmp_path, f"https://127.0.0.1:{plain_http_server.port}/v1")
    checks = _by_name(run_checks(_environment(tmp_path, policy)))
    status, line = checks["tls"]
    assert status is Status.FAIL and line.startswith("handshake:"), checks
    assert not [phrase for phrase in CIRCULAR if phrase in line], line
    assert "api_base_url" in line  # what IT checks: the address and port name the HTTPS API
    assert "wrong version number" in line  # OpenSSL's reason, which IT can search for


def test_the_doctor_command_s_output_never_tells_it_to_run_doctor(plain_http_server, tmp_path):
    policy = _policy(tmp_path, f"https://127.0.0.1:{plain_http_server.port}/v1")
    result = subprocess.run(
        [sys.executable, "-m", "referral_desktop", "--policy", str(policy), "--profile", str(tmp_path / "profile"),
         "doctor", "--timeout", "5"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert any(line.startswith("fail tls") and "handshake:" in line for line in result.stdout.splitlines())
    assert not [phrase for phrase in CIRCULAR if phrase in result.stdout + result.stderr], result.stdout


def test_a_server_that_wants_a_client_certificate_names_the_settings_not_doctor(tmp_path):
    from referral_desktop.sandbox.launcher import running_sandbox

    with running_sandbox(tmp_path / "iart-mtls", extra_args=["--require-client-cert"]) as mtls:
        for attempt in range(3):  # wanted or suspected, as the server's alert races the reset
            policy = _policy(tmp_path / f"try{attempt}", mtls.url, ca_bundle=f'"{mtls.ca_file}"')
            status, line = _by_name(run_checks(_environment(tmp_path, policy)))["tls"]
            assert status is Status.FAIL
            assert line.startswith(("client_certificate_wanted:", "client_certificate_suspected:")), line
            assert "client_cert and client_key" in line
            assert not [phrase for phrase in CIRCULAR if phrase in line], line


def test_a_tls_failure_on_the_credentials_request_is_worded_for_it(tmp_path, monkeypatch):
    from referral_desktop.sandbox.launcher import running_sandbox
    from referral_desktop.sync.api_client import ApiClient

    def handshake_fails(self, since, limit=None):
        raise TlsError(TlsProblem.HANDSHAKE, "127.0.0.1", "[ssl] sslv3 alert handshake failure")

    monkeypatch.setattr(ApiClient, "changes_since", handshake_fails)
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy = _policy(tmp_path, sandbox.url, ca_bundle=f'"{sandbox.ca_file}"',
                         bearer_token_file=f'"{sandbox.client_token_file}"')
        checks = _by_name(run_checks(_environment(tmp_path, policy)))
    status, line = checks["credentials"]
    assert checks["api"][0] is Status.OK and status is Status.WARN
    assert "could not be checked" in line and "handshake failure" in line
    assert not [phrase for phrase in CIRCULAR if phrase in line], line


@pytest.mark.parametrize("problem", list(TlsProblem))
def test_every_tls_problem_has_words_for_it_that_send_nobody_in_a_circle(problem):
    error = TlsError(problem, "iart.example.org", "[ssl] some reason")
    assert "iart.example.org" in error.for_it
    assert not [phrase for phrase in CIRCULAR if phrase in error.for_it], error.for_it
    # Nothing of a referral was at stake in doctor's probe: its words do not speak of one.
    assert "referral" not in error.for_it.lower()


def test_the_professional_s_screens_keep_their_wording():
    """The same error, on the app's screens, still sends the professional to IT (who runs doctor)."""
    for problem in (TlsProblem.HANDSHAKE, TlsProblem.CLIENT_CERTIFICATE_SUSPECTED):
        assert "Ask IT to run 'referral-desktop doctor'" in TlsError(problem, "iart.example.org").message
