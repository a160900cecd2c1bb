"""The deployment commands from the source tree: ``self-test`` (offline and against the sandbox),
``write-policy`` (what the installers run), and the ``--log-level`` option."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from referral_desktop.policy import read_policy_file


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "referral_desktop", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.mark.gui
def test_self_test_offline_renders_the_window_and_creates_a_store(tmp_path):
    picture = tmp_path / "window.png"
    result = run("self-test", "--screenshot", str(picture))
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("resources", "qt", "window", "store"):
        assert re.search(rf"^ok\s+{step}\b", result.stdout, re.M), step
    assert "skip send" in result.stdout
    assert picture.stat().st_size > 1000


@pytest.mark.gui
def test_self_test_sends_one_referral_to_the_sandbox_and_sees_it_acknowledged(tmp_path):
    pytest.importorskip("uvicorn")
    from referral_desktop.sandbox.launcher import running_sandbox

    with running_sandbox(tmp_path / "iart", extra_args=["--test-deployment", "--auto-acknowledge", "1"]) as sandbox:
        result = run("self-test", "--sandbox-url", sandbox.url, "--ca", str(sandbox.ca_file),
                     "--token-file", str(sandbox.client_token_file))
        held = sandbox.referrals()
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^ok\s+acknowledged\s+IART-\d{4}-\d+ acknowledged", result.stdout, re.M)
    assert len(held) == 1
    assert "Robin Placeholder" not in result.stdout  # an answer from the example: never printed


@pytest.mark.gui
def test_self_test_fails_cleanly_when_the_sandbox_is_not_there(tmp_path):
    result = run("self-test", "--sandbox-url", "https://127.0.0.1:9", "--timeout", "3")
    assert result.returncode == 1
    assert re.search(r"^fail\s+send\s+timed out", result.stdout, re.M), result.stdout
    assert "self-test: FAILED" in result.stdout


def test_write_policy_writes_a_valid_policy_and_refuses_a_bad_one(tmp_path):
    target = tmp_path / "etc" / "policy.toml"
    token = tmp_path / "token"
    token.write_text("t\n")
    result = run("write-policy", "--output", str(target), "--api-base-url", "https://iart.example.gov.uk/v1",
                 "--bearer-token-file", str(token), "--retention-days", "14", "--test-deployment", "",
                 "--certificate-pins", "sha256/rAzgJ2Vii2VNKiCnxpG7FNT0oMkAxAgbG8mWh71Up40=")
    assert result.returncode == 0, result.stderr
    policy = read_policy_file(target)
    assert policy.api_base_url == "https://iart.example.gov.uk/v1"
    assert policy.retention_days == 14 and policy.test_deployment is False
    assert policy.bearer_token_file == token.resolve()
    assert len(policy.certificate_pins) == 1

    again = run("write-policy", "--output", str(target), "--api-base-url", "https://other.example.gov.uk")
    assert again.returncode == 1 and "--force" in again.stderr

    bad = run("write-policy", "--output", str(tmp_path / "bad.toml"), "--api-base-url", "http://iart.example.gov.uk",
              "--auto-lock-minutes", "500")
    assert bad.returncode == 1
    assert "api_base_url" in bad.stderr and "auto_lock_minutes" in bad.stderr
    assert not (tmp_path / "bad.toml").exists()


def test_log_level_option_overrides_the_policy(tmp_path):
    import os

    logs = tmp_path / "logs"
    env = dict(os.environ, REFERRAL_DESKTOP_LOG_DIR=str(logs))
    policy = tmp_path / "policy.toml"
    policy.write_text('log_level = "ERROR"\n')
    result = run("--policy", str(policy), "--log-level", "debug", "doctor", "--timeout", "1", env=env)
    assert result.returncode in (0, 1, 2)
    text = (logs / "referral-desktop.log").read_text(encoding="utf-8") if (logs / "referral-desktop.log").exists() else ""
    assert " DEBUG " in text, "DEBUG records expected with --log-level debug"


def test_doctor_json_output(tmp_path):
    import json

    policy = tmp_path / "policy.toml"
    policy.write_text("retention_days = 0\n")
    result = run("--policy", str(policy), "--profile", str(tmp_path / "p"), "doctor", "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 2 and data["exit_code"] == 2
    assert data["results"][0] == {"check": "policy", "status": "fail", "detail": data["results"][0]["detail"]}
    assert "retention_days" in data["results"][0]["detail"]
    assert Path(tmp_path / "p").exists() is False  # doctor never creates the user's folder


@pytest.mark.skipif(sys.platform != "linux", reason="per-user folders under $HOME as on Linux")
def test_remove_user_data_lists_then_removes_the_current_users_folders(tmp_path):
    import os

    from referral_desktop.store import create_store

    home = tmp_path / "home"
    profile = home / ".local" / "share" / "ReferralDesktop"
    create_store(profile, "lantern orbit meadow 42").close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "REFERRAL_DESKTOP_"))}
    env["HOME"] = str(home)
    dry = run("remove-user-data", env=env)
    assert dry.returncode == 0 and f"would remove {profile} (encrypted store: 0 draft(s)" in dry.stdout
    assert profile.exists()
    done = run("remove-user-data", "--yes", env=env)
    assert done.returncode == 0 and f"removed {profile}" in done.stdout
    assert not profile.exists() and home.exists()
