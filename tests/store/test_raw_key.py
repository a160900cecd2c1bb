"""Unlock derives the key once: the connection is keyed with the raw key SQLCipher would derive, and
that key opens a second connection (the background sender's) without deriving it again. The file stays
one the passphrase opens as before."""

from __future__ import annotations

import hashlib

import pytest

from referral_desktop.store import create_store, open_store
from referral_desktop.store.connection import RawKey, connect_keyed
from referral_desktop.store.errors import WrongPassphrase

PASSPHRASE = "correct horse battery staple 42"


@pytest.fixture
def profile(tmp_path):
    store = create_store(tmp_path / "profile", PASSPHRASE)
    store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "a"})
    store.close()
    return tmp_path / "profile"


def test_unlock_derives_once_and_the_raw_key_opens_a_second_connection(profile, monkeypatch):
    derivations = []
    real = hashlib.pbkdf2_hmac

    def counting(*args, **kwargs):
        derivations.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    store = open_store(profile, PASSPHRASE)
    try:
        assert isinstance(store.raw_key, RawKey) and derivations == ["sha512"]
        assert PASSPHRASE not in repr(store.raw_key) and "x'" not in repr(store.raw_key)
        second = open_store(profile, store.raw_key)  # the sender's connection: no derivation
        try:
            assert derivations == ["sha512"]
            assert [s.form_id for s in second.referrals.list_summaries()] == ["cwac-marf"]
        finally:
            second.close()
    finally:
        store.close()


def test_the_passphrase_still_keys_the_file_directly_and_a_wrong_one_is_refused(profile):
    connect_keyed(profile / "store.db", PASSPHRASE).close()  # as the standard sqlcipher shell would
    with pytest.raises(WrongPassphrase):
        open_store(profile, "not the passphrase at all 99")
