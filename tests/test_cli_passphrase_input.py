"""Headless commands and their passphrase: a store that is not there is said before any prompt, and a
passphrase that never comes (standard input closed or empty, as in a script or a scheduled task) is one
line and exit 2, never a traceback.

Found running ``referral-desktop list`` with no store and no terminal: it prompted for a passphrase it
could not use, then ended in getpass's EOFError traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from referral_desktop.store import create_store

PASSPHRASE = "lantern orbit meadow 42"


def _command(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The real entry point, detached from any terminal (its own session: getpass cannot open /dev/tty),
    standard input closed or given, with a private profile and log folder."""
    env = {**os.environ, "REFERRAL_DESKTOP_LOG_DIR": str(tmp_path / "logs"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "REFERRAL_DESKTOP_POLICY": str(tmp_path / "no-policy.toml")}
    return subprocess.run([sys.executable, "-m", "referral_desktop", "--profile", str(tmp_path / "profile"), *args],
                          input=stdin, stdin=subprocess.DEVNULL if stdin is None else None, capture_output=True,
                          text=True, env=env, start_new_session=True, timeout=120)


@pytest.mark.parametrize("args", [("list",), ("list", "--passphrase-stdin"), ("store", "check")])
def test_no_store_is_said_before_any_passphrase_is_asked_for(tmp_path, args):
    result = _command(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert "There is no store in" in result.stderr
    assert "Passphrase" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stdin", [None, ""], ids=["closed", "empty"])
def test_a_passphrase_that_never_comes_is_one_line_not_a_traceback(tmp_path, stdin):
    create_store(tmp_path / "profile", PASSPHRASE).close()
    for args in (("list",), ("list", "--passphrase-stdin")):
        result = _command(tmp_path, *args, stdin=stdin)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr[-800:])
        assert "No passphrase was given" in result.stderr, (args, result.stderr)


def test_creating_a_store_without_a_passphrase_is_refused_in_one_line(tmp_path):
    result = _command(tmp_path, "store", "create", "--passphrase-stdin", stdin="")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "No passphrase was given" in result.stderr
    assert not (tmp_path / "profile" / "store.db").exists()


def test_the_passphrase_on_standard_input_still_opens_the_store(tmp_path):
    create_store(tmp_path / "profile", PASSPHRASE).close()
    result = _command(tmp_path, "list", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
