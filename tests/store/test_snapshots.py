"""Rolling encrypted snapshots: when they are taken, what they hold, how many are kept, and restoring one
over a store whose WAL or pages were damaged."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

import pytest

from referral_desktop.store import StoreDamaged, WrongPassphrase, open_store
from referral_desktop.store.connection import connect_keyed
from referral_desktop.store.snapshots import KEEP, NoSnapshot, list_snapshots, restore_snapshot

from .conftest import PASSPHRASE
from .damage import flip_page, root_pages


def _queue(store, answers):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", answers)
    store.referrals.freeze(draft.id, b'{"frozen": true}', "application/json")
    store.outbox.enqueue(draft.id)
    store.snapshots.take()  # what queue_referral does after enqueueing
    return draft.id


def test_a_snapshot_is_an_encrypted_owner_only_copy_with_the_same_passphrase(store, profile):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "SNAPSHOT-SENTINEL-7731"})
    [snap] = [store.snapshots.take()]
    assert stat.S_IMODE(os.stat(snap.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(snap.path.parent).st_mode) == 0o700
    assert b"SNAPSHOT-SENTINEL-7731" not in snap.path.read_bytes()
    conn = connect_keyed(snap.path, PASSPHRASE)
    try:
        assert conn.execute("SELECT id FROM referrals").fetchall() == [(draft.id,)]
    finally:
        conn.close()


def test_editing_takes_one_at_most_hourly_and_only_the_last_few_are_kept(store, profile, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.save_answers(draft.id, {"n": 0})
    assert len(list_snapshots(profile)) == 1  # the first save after unlock when there is none
    for n in range(1, 5):
        clock.advance(minutes=20)
        store.referrals.save_answers(draft.id, {"n": n})
    assert len(list_snapshots(profile)) == 2  # 20, 40, 60 (taken), 80 minutes
    for n in range(KEEP + 2):
        clock.advance(hours=1, minutes=1)
        store.referrals.save_answers(draft.id, {"n": 100 + n})
    snaps = list_snapshots(profile)
    assert len(snaps) == KEEP
    assert snaps[0].taken_at > snaps[-1].taken_at


def test_queueing_takes_a_snapshot_through_the_real_path(store, profile):
    import json
    from datetime import date

    from referral_desktop.bundled_data import forms_dir
    from referral_desktop.policy import Policy
    from referral_desktop.sync.queueing import queue_referral

    document = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text(encoding="utf-8"))
    draft = store.referrals.create_draft(document["form_id"], document["form_version"], document["answers"])
    before = len(list_snapshots(profile))
    queue_referral(store, draft.id, Policy(), date(2026, 3, 2))
    assert len(list_snapshots(profile)) == before + 1


def test_a_truncated_wal_is_noticed_and_the_snapshot_brings_the_work_back(store, profile, clock):
    first = _queue(store, {"notes": "queued, then checkpointed"})
    store.close()
    store = open_store(profile, PASSPHRASE, clock=clock)
    second = _queue(store, {"notes": "queued, in the WAL only"})
    # The app is killed here (no checkpoint) and the -wal file loses its tail: a copy taken now.
    copy = profile.parent / "copy"
    copy.mkdir(mode=0o700)
    for name in ("store.db", "store.db-wal"):
        (copy / name).write_bytes((profile / name).read_bytes())
    (copy / "snapshots").mkdir(mode=0o700)
    for snap in list_snapshots(profile):
        (copy / "snapshots" / snap.path.name).write_bytes(snap.path.read_bytes())
    store.close()
    with open(copy / "store.db-wal", "r+b") as wal:
        wal.truncate(32)  # the header only: every commit since the last checkpoint is gone
    with pytest.raises(StoreDamaged, match="work saved on this computer is missing"):
        open_store(copy, PASSPHRASE, clock=clock)
    restore_snapshot(copy, PASSPHRASE)
    s = open_store(copy, PASSPHRASE, clock=clock)
    try:
        assert {r.id for r in s.referrals.list_summaries()} == {first, second}
        assert s.check().ok
    finally:
        s.close()
    [aside] = list((copy / "damaged").iterdir())
    assert (aside / "store.db").exists()  # the damaged file is kept, never deleted


def test_restore_over_damaged_pages(store, profile, clock):
    kept = _queue(store, {"notes": "queued before the damage"})
    store.close()
    flip_page(profile / "store.db", root_pages(profile / "store.db", PASSPHRASE)["referrals"])
    with pytest.raises(StoreDamaged):
        reopened = open_store(profile, PASSPHRASE, clock=clock)
        reopened.referrals.list_summaries()
    restored = restore_snapshot(profile, PASSPHRASE)
    assert restored.path.exists()  # the copy stays, for a second try
    s = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert [r.id for r in s.referrals.list_summaries()] == [kept]
    finally:
        s.close()


def test_restore_refuses_a_wrong_passphrase_and_a_damaged_copy_and_changes_nothing(store, profile):
    _queue(store, {"n": 1})
    store.close()
    before = (profile / "store.db").read_bytes()
    with pytest.raises(WrongPassphrase):
        restore_snapshot(profile, "not the passphrase at all")
    [snap] = list_snapshots(profile)
    flip_page(snap.path, 3)
    with pytest.raises(StoreDamaged):
        restore_snapshot(profile, PASSPHRASE)
    assert (profile / "store.db").read_bytes() == before
    assert not (profile / "damaged").exists()


def test_no_snapshot_is_said_plainly(store, profile):
    store.close()
    with pytest.raises(NoSnapshot):
        restore_snapshot(profile, PASSPHRASE)


def test_the_retention_purge_leaves_no_older_copy_holding_purged_answers(store, profile, clock):
    from referral_desktop.domain.lifecycle import ReferralState

    rid = _queue(store, {"notes": "to be purged"})
    clock.advance(hours=2)
    store.snapshots.take()
    store.referrals.set_state(rid, ReferralState.SENDING)
    store.referrals.set_state(rid, ReferralState.RECEIVED, iart_reference="IART-1", received_at=clock.now)
    clock.advance(days=40)
    assert store.purge_expired(clock.now, retention_days=30) == 1
    [only] = list_snapshots(profile)
    conn = connect_keyed(only.path, PASSPHRASE)
    try:
        row = conn.execute("SELECT answers FROM referral_documents WHERE referral_id = ?", (rid,)).fetchone()
        assert row is None or "to be purged" not in (row[0] or "")
    finally:
        conn.close()
    assert timedelta(0) <= clock.now - only.taken_at < timedelta(minutes=1)


def test_snapshots_of_an_earlier_store_do_not_make_a_new_one_look_damaged(store, profile, clock):
    from referral_desktop.store import create_store

    _queue(store, {"n": 1})
    store.close()
    (profile / "store.db").unlink()
    clock.advance(minutes=5)
    create_store(profile, PASSPHRASE, clock=clock).close()
    open_store(profile, PASSPHRASE, clock=clock).close()
    # Kept, set aside where the new store's snapshots cannot rotate them out: they may be the only copy
    # of the earlier store's work (tests/store/test_missing_store.py).
    assert list((profile / "snapshots-of-an-earlier-store").glob("*/store-*.db"))


def test_the_restore_command(store, profile, clock, monkeypatch, capsys):
    import io
    import sys

    from referral_desktop.cli import main

    kept = _queue(store, {"n": 1})
    store.close()
    flip_page(profile / "store.db", root_pages(profile / "store.db", PASSPHRASE)["referrals"])

    def run(*argv, stdin=PASSPHRASE + "\n"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--profile", str(profile), *argv])
        return code, capsys.readouterr()

    code, out = run("list", "--passphrase-stdin")
    assert code == 2 and out.err.startswith("The store is damaged")
    code, out = run("store", "restore", "--list")
    assert code == 0 and "store-" in out.out
    code, out = run("store", "restore", "--passphrase-stdin", stdin="not the passphrase at all\n")
    assert code == 1 and "Nothing was changed" in out.err
    code, out = run("store", "restore", "--passphrase-stdin")
    assert code == 0 and out.out.startswith("Restored the copy from ")
    code, out = run("list", "--json", "--passphrase-stdin")
    assert code == 0 and kept in out.out


def test_a_copy_abandoned_by_a_killed_process_is_cleared_away(store, profile):
    import time as _time

    store.snapshots.take()
    abandoned = profile / "snapshots" / "store-20260101T000000000000Z.partial"
    abandoned.write_bytes(b"half a copy")
    old = _time.time() - 3600
    os.utime(abandoned, (old, old))
    store.snapshots.take()
    assert not abandoned.exists()
