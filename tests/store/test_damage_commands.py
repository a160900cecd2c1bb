"""Every command meets a damaged store with one line on stderr and exit code 2, never a traceback.

The damaged pages are the ones unlock reads (the referrals' summary rows and their index, the audit log
and its index): before, ``store check`` and ``list`` crashed there with a ``DatabaseError`` traceback.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from referral_desktop.cli import main
from referral_desktop.store import create_store
from referral_desktop.store.throttle import UnlockThrottle

from .conftest import PASSPHRASE
from .damage import flip_page, root_pages


@pytest.fixture
def policy(tmp_path):
    token = tmp_path / "token"
    token.write_text("test-token\n")
    path = tmp_path / "policy.toml"
    # Port 9 on loopback: nothing answers; the commands must stop at the damaged store first.
    path.write_text(f'api_base_url = "https://127.0.0.1:9/"\nbearer_token_file = "{token}"\n')
    return path


@pytest.fixture
def damaged_profile(tmp_path, request):
    profile = tmp_path / "profile"
    store = create_store(profile, PASSPHRASE)
    ids = [store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "x" * 300, "n": i}).id for i in range(5)]
    # One referral waiting to send, so that ``send`` reads a referral too.
    store.referrals.freeze(ids[0], b"{}", "application/json")
    store.outbox.enqueue(ids[0])
    store.close()
    db = profile / "store.db"
    flip_page(db, root_pages(db, PASSPHRASE)[request.param])
    (profile / "draft-id").write_text(ids[1])
    return profile


COMMANDS = [
    ("store", "check"),
    ("list",),
    ("import", "{example}"),
    ("queue", "{draft}"),
    ("send",),
    ("status", "--offline"),
    ("status",),
]


@pytest.mark.parametrize("damaged_profile", ["referrals", "referrals_by_state", "audit_log", "audit_by_referral"],
                         indirect=True)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_each_command_reports_damage_in_one_line(damaged_profile, policy, command, monkeypatch, capsys):
    from referral_desktop.bundled_data import forms_dir

    example = str(forms_dir() / "examples" / "valid-route-a.json")
    argv = ["--profile", str(damaged_profile), "--policy", str(policy),
            *[part.format(example=example, draft=(damaged_profile / "draft-id").read_text()) for part in command],
            "--passphrase-stdin"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.count("\n") == 0
    assert err.startswith("The store is damaged") and "contact IT" in err
    assert UnlockThrottle(damaged_profile / "unlock-throttle.json", lambda: None).failures() == 0


@pytest.mark.parametrize("damaged_profile", ["referrals"], indirect=True)
def test_the_real_entry_point_prints_no_traceback(damaged_profile):
    result = subprocess.run(
        [sys.executable, "-m", "referral_desktop", "--profile", str(damaged_profile), "list", "--passphrase-stdin"],
        input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "The store is damaged: part of the file cannot be read. Nothing was changed. "
        "Do not reset the store: contact IT."
    ]
