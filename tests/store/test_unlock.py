"""Create, unlock, wrong passphrase (progressive delay), change passphrase, reset, damage, permissions."""

from __future__ import annotations

import os
import stat

import pytest

from referral_desktop.store import (
    StoreDamaged,
    StoreExists,
    StoreNotFound,
    UnlockThrottled,
    WeakPassphrase,
    WrongPassphrase,
    create_store,
    open_store,
    passphrase_problems,
    reset_store,
    store_exists,
    unsent_summary,
)
from referral_desktop.store.throttle import delay_after

from .conftest import PASSPHRASE


@pytest.mark.parametrize(
    "passphrase,expected",
    [
        ("short", ["Enter a passphrase of at least 12 characters"]),
        ("", ["Enter a passphrase of at least 12 characters"]),
        ("password1234", ["Choose a less common passphrase: three random words work well"]),
        ("qwertyuiop123", ["Choose a less common passphrase: three random words work well"]),
        ("aaaaaaaaaaaaaaaa", ["Choose a less common passphrase: three random words work well"]),
        ("marble otter kettle", []),
        ("correct horse battery staple", []),
    ],
)
def test_passphrase_problems(passphrase, expected):
    assert passphrase_problems(passphrase) == expected


def test_create_refuses_weak_passphrase_and_existing_store(profile, clock):
    with pytest.raises(WeakPassphrase) as info:
        create_store(profile, "password1234", clock=clock)
    assert info.value.reasons == ["Choose a less common passphrase: three random words work well"]
    assert not store_exists(profile)
    create_store(profile, PASSPHRASE, clock=clock).close()
    with pytest.raises(StoreExists):
        create_store(profile, PASSPHRASE, clock=clock)


def test_files_are_owner_only(store, profile):
    store.referrals.create_draft("cwac-marf", "1.0.0", {})
    assert stat.S_IMODE(os.stat(profile).st_mode) == 0o700
    for path in profile.iterdir():
        if path.is_file():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name


def test_unlock_with_the_passphrase(store, profile, clock):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "a"})
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    assert reopened.referrals.get(referral.id).answers == {"route": "a"}
    assert reopened.audit.list()[-1].event == "unlocked"
    reopened.close()


def test_missing_store(profile, clock):
    with pytest.raises(StoreNotFound):
        open_store(profile, PASSPHRASE, clock=clock)


def test_wrong_passphrase_slows_down_progressively(store, profile, clock):
    store.close()
    delays = []
    for _ in range(5):
        with pytest.raises(WrongPassphrase) as info:
            open_store(profile, "not the right one at all", clock=clock)
        delays.append(info.value.retry_after_seconds)
        if info.value.retry_after_seconds:
            # Too soon: refused without trying the passphrase, and says how long to wait.
            with pytest.raises(UnlockThrottled) as throttled:
                open_store(profile, PASSPHRASE, clock=clock)
            assert 0 < throttled.value.wait_seconds <= info.value.retry_after_seconds
            clock.advance(seconds=info.value.retry_after_seconds)
    assert delays == [0, 0, 2, 4, 8]
    # The delay survives restarting the app: it is in the profile, not in memory.
    assert (profile / "unlock-throttle.json").read_text().find("failures") >= 0
    open_store(profile, PASSPHRASE, clock=clock).close()
    assert not (profile / "unlock-throttle.json").exists()


def test_delay_is_capped():
    assert delay_after(100) == 300


def test_change_passphrase_rekeys(store, profile, clock):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "b"})
    with pytest.raises(WrongPassphrase):
        store.change_passphrase("not the right one at all", "new otter kettle drum")
    with pytest.raises(WeakPassphrase):
        store.change_passphrase(PASSPHRASE, "password1234")
    store.change_passphrase(PASSPHRASE, "new otter kettle drum")
    store.referrals.save_answers(referral.id, {"route": "c"})
    store.close()
    with pytest.raises(WrongPassphrase):
        open_store(profile, PASSPHRASE, clock=clock)
    reopened = open_store(profile, "new otter kettle drum", clock=clock)
    assert reopened.referrals.get(referral.id).answers == {"route": "c"}
    assert "passphrase_changed" in [e.event for e in reopened.audit.list()]
    reopened.close()


def test_reset_deletes_everything(store, profile, clock):
    store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.close()
    with pytest.raises(WrongPassphrase):
        open_store(profile, "forgotten passphrase words", clock=clock)
    assert unsent_summary(profile).drafts == 1
    reset_store(profile)
    assert not store_exists(profile)
    assert [p.name for p in profile.iterdir()] == []
    create_store(profile, "another otter kettle", clock=clock).close()


def _flip_byte(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x55]))


def test_damaged_first_page_looks_like_a_wrong_passphrase(store, profile, clock):
    store.close()
    _flip_byte(profile / "store.db", 100)
    with pytest.raises(WrongPassphrase):
        open_store(profile, PASSPHRASE, clock=clock)


def test_damage_elsewhere_is_found_by_check(store, profile, clock):
    for i in range(20):
        store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "x" * 3000, "n": i})
    store.close()
    size = (profile / "store.db").stat().st_size
    assert size > 4096 * 8
    _flip_byte(profile / "store.db", size - 4096 * 2 + 500)
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    report = reopened.check()
    assert not report.ok
    assert report.cipher_integrity_problems
    reopened.close()


def test_truncated_file_is_damaged(store, profile, clock):
    store.close()
    with open(profile / "store.db", "r+b") as f:
        f.truncate(4096 + 17)
    with pytest.raises(StoreDamaged):
        open_store(profile, PASSPHRASE, clock=clock)


def test_check_of_a_healthy_store(store):
    report = store.check()
    assert report.ok
    assert report.schema_version == report.latest_schema_version


def test_wrong_passphrase_prints_nothing_on_stderr(store, profile, clock, capfd):
    store.close()
    with pytest.raises(WrongPassphrase):
        open_store(profile, "not the right one at all", clock=clock)
    assert capfd.readouterr().err == ""
