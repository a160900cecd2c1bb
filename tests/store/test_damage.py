"""Damage is told apart from a wrong passphrase, and what is read is checked before it is used.

Each test flips one byte in a chosen page of a real SQLCipher store. SQLCipher says "file is not a
database" when page 1 does not decrypt (a wrong key, or damage there: they cannot be told apart) and
"database disk image is malformed" when another page fails its HMAC with the right key.
"""

from __future__ import annotations

import json
import shutil

import pytest

from referral_desktop.store import StoreDamaged, WrongPassphrase, open_store
from referral_desktop.store.throttle import UnlockThrottle

from .conftest import PASSPHRASE
from .damage import flip_page, page_count, root_pages


def _closed_with_drafts(store, profile, n=5, notes="x" * 300):
    ids = [store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": notes, "n": i}).id for i in range(n)]
    store.close()
    return ids


def _failures(profile, clock):
    return UnlockThrottle(profile / "unlock-throttle.json", clock).failures()


def test_damage_to_the_schema_is_not_a_wrong_passphrase(store, profile, clock):
    _closed_with_drafts(store, profile)
    db = profile / "store.db"
    roots = set(root_pages(db, PASSPHRASE).values())
    # sqlite_master outgrew page 1: its leaves are pages no table or index starts on.
    schema_leaves = [p for p in range(2, page_count(db) + 1) if p not in roots]
    assert schema_leaves
    flip_page(db, schema_leaves[0])
    with pytest.raises(StoreDamaged):
        open_store(profile, PASSPHRASE, clock=clock)
    assert _failures(profile, clock) == 0  # not counted as a wrong attempt


def test_damage_to_page_one_says_it_may_be_either(store, profile, clock):
    store.close()
    flip_page(profile / "store.db", 1, 100)
    with pytest.raises(WrongPassphrase) as raised:
        open_store(profile, PASSPHRASE, clock=clock)
    assert str(raised.value) == (
        "The passphrase is wrong, or the start of the file is damaged: contact IT before resetting"
    )


@pytest.mark.parametrize("table", ["referrals", "referrals_by_state", "audit_log", "audit_by_referral"])
def test_damage_to_what_unlock_reads_is_reported_as_damage(store, profile, clock, table):
    _closed_with_drafts(store, profile)
    db = profile / "store.db"
    flip_page(db, root_pages(db, PASSPHRASE)[table])
    with pytest.raises(StoreDamaged):
        s = open_store(profile, PASSPHRASE, clock=clock)
        s.referrals.list_summaries()
        s.close()
    assert _failures(profile, clock) == 0


def test_a_damaged_answers_document_is_reported_not_read_as_zeros(store, profile, clock):
    before = (profile / "store.db").stat().st_size
    big = store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "y" * 12000})
    store.close()
    db = profile / "store.db"
    first_new = before // 4096 + 1
    damaged = 0
    for page in range(first_new, page_count(db) + 1):
        copy = profile.parent / f"copy{page}"
        shutil.copytree(profile, copy)
        flip_page(copy / "store.db", page)
        try:
            s = open_store(copy, PASSPHRASE, clock=clock)
        except StoreDamaged:
            continue
        try:
            answers = s.referrals.get(big.id).answers
        except StoreDamaged:
            damaged += 1
        else:  # a page the document does not use: it must then read back exactly as saved
            assert answers == {"notes": "y" * 12000}
        finally:
            s.close()
    assert damaged >= 2  # the document spans several overflow pages


def test_frozen_bytes_that_read_as_zeros_are_reported(store, profile, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "z"})
    payload = json.dumps({"n": "\u0001" * 9000}).encode()
    store.referrals.freeze(draft.id, payload, "application/json")
    store.close()
    db = profile / "store.db"
    # The payload's overflow pages were the last ones added; SQLCipher hands a page that fails its
    # HMAC back as zeros when it is an overflow page, without an error.
    flip_page(db, page_count(db))
    s = open_store(profile, PASSPHRASE, clock=clock)
    try:
        with pytest.raises(StoreDamaged):
            s.referrals.frozen(draft.id)
        with pytest.raises(StoreDamaged):
            s.referrals.get(draft.id)
    finally:
        s.close()


def test_an_intact_frozen_payload_still_reads(store):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "z"})
    store.referrals.freeze(draft.id, b"payload bytes", "application/json")
    assert store.referrals.frozen(draft.id).frozen_payload == b"payload bytes"
