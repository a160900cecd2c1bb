"""The headless commands: store create/check, import, list (passphrase from stdin, no personal data out)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.cli import main
from referral_desktop.store import LATEST_VERSION

from .conftest import PASSPHRASE


def run(monkeypatch, capsys, *argv: str, stdin: str = PASSPHRASE + "\n"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def example() -> str:
    return str(forms_dir() / "examples" / "valid-route-a.json")


def test_create_import_list_check(monkeypatch, capsys, tmp_path, example):
    p = str(tmp_path / "profile")
    assert run(monkeypatch, capsys, "--profile", p, "store", "create", "--passphrase-stdin")[0] == 0
    code, out, _ = run(monkeypatch, capsys, "--profile", p, "import", example, "--passphrase-stdin")
    assert code == 0
    new_id = out.strip()
    assert len(new_id) == 36
    code, out, _ = run(monkeypatch, capsys, "--profile", p, "list", "--json", "--passphrase-stdin")
    [row] = json.loads(out)
    assert (row["id"], row["state"]) == (new_id, "draft")
    assert set(row) == {"id", "state", "created", "updated", "documents"}
    assert row["documents"] is None  # no attachments
    document = json.loads(open(example, encoding="utf-8").read())
    first_child = document["answers"]["children"][0]
    code, out, _ = run(monkeypatch, capsys, "--profile", p, "list", "--passphrase-stdin")
    assert new_id in out and first_child["family_name"] not in out
    code, out, _ = run(monkeypatch, capsys, "--profile", p, "store", "check", "--passphrase-stdin")
    assert code == 0
    assert "integrity: ok" in out and "cipher integrity: ok" in out and f"schema version: {LATEST_VERSION}" in out


def test_refusals(monkeypatch, capsys, tmp_path, example):
    p = str(tmp_path / "profile")
    code, _, err = run(monkeypatch, capsys, "--profile", p, "list", "--passphrase-stdin")
    assert code == 2 and "There is no store" in err
    code, _, err = run(monkeypatch, capsys, "--profile", p, "store", "create", "--passphrase-stdin",
                       stdin="password1234\n")
    assert code == 1 and "Choose a less common passphrase" in err
    run(monkeypatch, capsys, "--profile", p, "store", "create", "--passphrase-stdin")
    code, _, err = run(monkeypatch, capsys, "--profile", p, "list", "--passphrase-stdin",
                       stdin="not the right one at all\n")
    assert code == 1 and err.strip() == (
        "The passphrase is wrong, or the start of the file is damaged: contact IT before resetting."
    )
    bad = tmp_path / "unknown-form.json"
    bad.write_text(json.dumps({"form_id": "no-such-form", "form_version": "9.9.9", "answers": {}}))
    code, _, err = run(monkeypatch, capsys, "--profile", p, "import", str(bad), "--passphrase-stdin")
    assert code == 2 and "does not have" in err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    assert run(monkeypatch, capsys, "--profile", p, "import", str(garbage), "--passphrase-stdin")[0] == 2


def test_real_entry_point_uses_the_profile_environment(tmp_path, example):
    env_profile = str(tmp_path / "envprofile")
    import os

    env = {**os.environ, "REFERRAL_DESKTOP_PROFILE": env_profile}
    cmd = [sys.executable, "-m", "referral_desktop"]
    created = subprocess.run(cmd + ["store", "create", "--passphrase-stdin"], input=PASSPHRASE + "\n",
                             capture_output=True, text=True, env=env)
    assert created.returncode == 0, created.stderr
    imported = subprocess.run(cmd + ["import", example, "--passphrase-stdin"], input=PASSPHRASE + "\n",
                              capture_output=True, text=True, env=env)
    assert imported.returncode == 0, imported.stderr
    assert (tmp_path / "envprofile" / "store.db").exists()
