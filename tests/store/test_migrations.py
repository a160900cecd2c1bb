"""A store from every earlier schema version opens, is migrated (after a backup) and keeps its data."""

from __future__ import annotations

import os
import stat

import pytest

from referral_desktop.store import LATEST_VERSION, StoreFromNewerVersion, open_store
from referral_desktop.store.connection import connect_keyed

from .conftest import PASSPHRASE
from .old_versions import BUILDERS, FROZEN_V4, REFERRAL_ID, build_store_at


def test_there_is_a_builder_for_every_earlier_version():
    assert sorted(BUILDERS) == list(range(1, LATEST_VERSION))


@pytest.mark.parametrize("version", sorted(BUILDERS))
def test_old_store_opens_and_migrates(version, profile, clock):
    build_store_at(profile, version, PASSPHRASE, clock)
    store = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert store.schema_version == LATEST_VERSION
        referral = store.referrals.get(REFERRAL_ID)
        assert referral.answers["route"] == "b"
        [summary] = store.referrals.list_summaries()
        assert summary.child_initials == "OV"  # back-filled by migration 3
        assert store.profile.get() == {"referrer_name": "Old Name"}
        if version >= 2:
            [info] = store.attachments.list(REFERRAL_ID)
            assert store.attachments.read(info.id) == b"ABC"
            # Migration 18: a document frozen before documents could be left out is sent as it was frozen.
            assert store.attachments.to_send(REFERRAL_ID) == [info]
        if version >= 3:
            old_receipt = store.receipts.get("0d9c8b7a-0000-4000-8000-000000000003")
            assert old_receipt.iart_reference == "IART-OLD"
            # Migration 13: a receipt made before documents given up on were counted says it was not counted
            # (None), never "none": its upload rows went with the purge, so nobody can know now.
            assert (old_receipt.documents_damaged_here, old_receipt.documents_refused_by_iart) == (None, None)
            assert old_receipt.documents_never_reached is None
            # Migration 14: nor could a reply iART refused be counted on it (None, not "none").
            assert old_receipt.replies_refused_by_iart is None
            # Migration 15: nor the documents of such a reply; still "not counted" as a whole.
            assert old_receipt.documents_of_refused_replies is None
            assert old_receipt.documents_never_reached is None and old_receipt.documents_given_up is None
            # Migration 16: nor whether a reply started and not sent went with the purge (None, not "none").
            assert old_receipt.draft_replies_removed is None
        if version >= 4:  # a frozen payload from before digests were kept still reads (migration 6)
            assert store.referrals.frozen(REFERRAL_ID).frozen_payload == FROZEN_V4
            # Migration 19: frozen before its documents left out were worked out; the sender does it once.
            assert store.referrals.frozen(REFERRAL_ID).left_out_worked_out is False
            store.referrals.set_state(REFERRAL_ID, "draft")
        # Migration 4: messages kept by version 4 survive; older stores have none and keep them from now on.
        assert [m.text for m in store.referrals.messages(REFERRAL_ID)] == (["Old message"] if version >= 4 else [])
        assert store.referrals.add_message(REFERRAL_ID, "Please send the school report.")
        assert "Please send the school report." in [m.text for m in store.referrals.messages(REFERRAL_ID)]
        store.referrals.save_answers(REFERRAL_ID, {"route": "c"})
        assert store.check().ok
    finally:
        store.close()
    [backup] = [p for p in (profile / "backups").iterdir() if p.name.endswith(".db")]
    assert backup.name.startswith(f"store-v{version}-")
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    # The backup is the old store, still encrypted with the same passphrase.
    conn = connect_keyed(backup, PASSPHRASE)
    assert conn.execute("SELECT max(version) FROM schema_versions").fetchone()[0] == version
    assert conn.execute("SELECT count(*) FROM referrals").fetchone()[0] == 1
    conn.close()


def test_store_from_a_newer_app_is_refused(store, profile, clock):
    with store.write() as conn:
        conn.execute("INSERT INTO schema_versions (version, applied_at) VALUES (99, 'later')")
    store.close()
    with pytest.raises(StoreFromNewerVersion):
        open_store(profile, PASSPHRASE, clock=clock)


def test_schema_versions_are_recorded(store):
    with store.read() as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_versions ORDER BY version")]
    assert versions == list(range(1, LATEST_VERSION + 1))
