"""``store.db`` gone (deleted, a bad copy, a sync tool) while snapshots of it remain: the copies are
offered, restorable, and never rotated out by a new store (real SQLCipher store and commands)."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest

from referral_desktop.cli import main
from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment
from referral_desktop.diagnostics.doctor_local_checks import check_store
from referral_desktop.store import create_store, open_store
from referral_desktop.store.snapshots import EARLIER_DIR, KEEP, list_snapshots, restore_snapshot

from .conftest import PASSPHRASE


@pytest.fixture
def lost(profile, clock):
    """A store with a draft and a snapshot of it, whose store.db (and -wal, -shm) were then deleted."""
    store = create_store(profile, PASSPHRASE, clock=clock)
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "kept in the copy"}).id
    snapshot = store.snapshots.take()
    store.close()
    for name in ("store.db", "store.db-wal", "store.db-shm"):
        (profile / name).unlink(missing_ok=True)
    return draft, snapshot


def run(monkeypatch, capsys, *argv: str, stdin: str = PASSPHRASE + "\n"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_copy_restores_in_place_of_a_missing_store(profile, lost):
    draft, snapshot = lost
    restore_snapshot(profile, PASSPHRASE)
    store = open_store(profile, PASSPHRASE)
    try:
        assert [s.id for s in store.referrals.list_summaries()] == [draft]
    finally:
        store.close()
    assert not (profile / "damaged").exists()  # nothing was there to keep aside: no empty folder


def test_a_new_store_sets_the_earlier_copies_aside_and_never_rotates_them_out(profile, lost, clock):
    _draft, snapshot = lost
    store = create_store(profile, "another long passphrase here", clock=clock)
    try:
        for _ in range(KEEP + 1):  # more than enough to rotate every earlier copy out of snapshots/
            clock.advance(hours=2)
            assert store.snapshots.take() is not None
    finally:
        store.close()
    [aside] = list((profile / EARLIER_DIR).iterdir())
    assert [p.name for p in aside.iterdir()] == [snapshot.path.name]
    assert stat.S_IMODE(os.stat(aside).st_mode) == 0o700
    assert all(s.path.parent.name == "snapshots" for s in list_snapshots(profile))
    assert snapshot.path.name not in {s.path.name for s in list_snapshots(profile)}


def test_commands_say_the_store_is_missing_and_a_copy_exists(monkeypatch, capsys, profile, lost):
    p = str(profile)
    for command in (["store", "check"], ["list"]):
        code, _out, err = run(monkeypatch, capsys, "--profile", p, *command, "--passphrase-stdin")
        assert code == 2
        assert "store file is missing" in err and "referral-desktop store restore" in err
        assert "store create" not in err
    code, out, err = run(monkeypatch, capsys, "--profile", p, "store", "restore", "--passphrase-stdin",
                         stdin="not the right one at all\n")
    assert code == 1 and "Nothing was changed" in err
    assert not (profile / "store.db").exists()
    code, out, err = run(monkeypatch, capsys, "--profile", p, "store", "restore", "--passphrase-stdin")
    assert code == 0 and "Restored the copy from" in out
    assert "kept in" not in out  # there was no store file to keep
    code, out, _err = run(monkeypatch, capsys, "--profile", p, "list", "--json", "--passphrase-stdin")
    assert code == 0 and lost[0] in out


def test_store_create_says_where_the_earlier_copies_went(monkeypatch, capsys, profile, lost):
    code, out, _err = run(monkeypatch, capsys, "--profile", str(profile), "store", "create", "--passphrase-stdin",
                          stdin="another long passphrase here\n")
    assert code == 0
    assert str(profile / EARLIER_DIR) in out


def test_doctor_says_the_store_is_missing_and_a_copy_exists(profile, lost):
    for passphrase in (None, PASSPHRASE):
        result = check_store(DoctorEnvironment(policy_path=None, profile_dir=profile, log_dir=profile / "logs",
                                               passphrase=passphrase))
        assert result.status.name == "FAIL"
        assert "store file is missing" in result.detail and "store restore" in result.detail
