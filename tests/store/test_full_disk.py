"""A full disk: unlock still works, saves say "Not saved: the disk is full", nothing leaks a raw error.

How the disk is filled: a real file system that is really full, not a mock. The scenario runs in a
child process inside its own user and mount namespace (``unshare``), on a 2 MB tmpfs that it fills to
the last byte, so SQLite meets ENOSPC from the kernel on its WAL and ``-shm`` files exactly as on a full
laptop disk. Where namespaces are not allowed (some CI sandboxes) the test skips and says why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from referral_desktop.bundled_data import forms_dir

SCENARIO = Path(__file__).with_name("full_disk_scenario.py")


def _in_full_tmpfs(tmp_path: Path) -> dict:
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux) to mount a small tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    example = str(forms_dir() / "examples" / "valid-route-a.json")
    script = (f'mount -t tmpfs -o size=2m tmpfs "{mount}" || exit 97; '
              f'exec "{sys.executable}" "{SCENARIO}" "{mount}" "{example}"')
    result = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[2],
    )
    if result.returncode == 97 or "unshare failed" in result.stderr or "Operation not permitted" in result.stderr:
        pytest.skip(f"cannot mount a tmpfs in a user namespace here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_full_disk_does_not_lock_the_user_out(tmp_path):
    seen = _in_full_tmpfs(tmp_path)
    assert seen["free_bytes"] < 4096  # really full
    for name in ("list", "check", "import"):
        assert "Traceback" not in seen[name]["err"] and "OperationalError" not in seen[name]["err"], name
        assert not str(seen[name]["code"]).startswith("escaped"), (name, seen[name])
    assert seen["list"]["code"] == 0 and seen["list"]["err"] == ""
    assert seen["check"]["code"] == 0 and "integrity: ok" in seen["check"]["out"]
    assert seen["import"]["code"] == 2
    assert seen["import"]["err"].startswith("Not saved: the disk is full (free space on ")
    assert seen["answers_readable"] is True
    assert seen["save"].startswith("Not saved: the disk is full (free space on ")
    assert seen["saved_after_freeing"] is True
    # Each unlock on the full disk was recorded once there was room, before the save that made room.
    assert seen["audit"].count("unlocked") >= 2
    assert seen["audit"][-1] == "edited"
    assert seen["unlocked_entries_after_lock"] == seen["audit"].count("unlocked") + 2
