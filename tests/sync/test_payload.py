"""Freezing: canonical bytes, JWE to iART's key, decryptable only with the private key."""

from __future__ import annotations

import json

import pytest
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from referral_desktop.sync.payload import (
    JSON_CONTENT_TYPE,
    JWE_CONTENT_TYPE,
    PayloadKeyError,
    canonical_json,
    decrypt_compact,
    freeze_document,
    load_public_key,
)

DOC = {
    "form_id": "cwac-marf",
    "form_version": "1.0.0",
    "answers": {"route": "a", "children": [{"given_names": "Zoë SENTINEL", "family_name": "Ó Briain"}]},
}


@pytest.fixture(scope="module")
def key_pair() -> RSAKey:
    return RSAKey.generate_key(2048)


def test_canonical_bytes_do_not_depend_on_key_order():
    shuffled = {"answers": {"children": DOC["answers"]["children"], "route": "a"}, "form_version": "1.0.0", "form_id": "cwac-marf"}
    assert canonical_json(DOC) == canonical_json(shuffled)
    data = canonical_json(DOC)
    assert data.startswith(b'{"answers":{"children":[{"family_name":"\xc3\x93 Briain"')
    assert json.loads(data) == DOC


def test_plain_freeze():
    frozen = freeze_document(DOC)
    assert frozen.content_type == JSON_CONTENT_TYPE and not frozen.encrypted
    assert frozen.data == canonical_json(DOC)


def test_encrypted_freeze_round_trips_with_the_private_key_only(key_pair):
    public_pem = key_pair.as_pem(private=False).decode()
    frozen = freeze_document(DOC, public_pem)
    assert frozen.content_type == JWE_CONTENT_TYPE
    assert frozen.data.count(b".") == 4  # JWE compact: five parts
    assert b"SENTINEL" not in frozen.data
    assert decrypt_compact(frozen.data, key_pair) == canonical_json(DOC)
    header = json.loads(__import__("base64").urlsafe_b64decode(frozen.data.split(b".")[0] + b"=="))
    assert header["alg"] == "RSA-OAEP-256" and header["enc"] == "A256GCM"
    with pytest.raises(JoseError):
        decrypt_compact(frozen.data, RSAKey.generate_key(2048))


def test_public_key_forms(key_pair, tmp_path):
    pem = key_pair.as_pem(private=False)
    path = tmp_path / "iart.pem"
    path.write_bytes(pem)
    jwk = key_pair.as_dict(private=False)
    for value in (pem, pem.decode(), str(path), jwk, json.dumps(jwk)):
        assert load_public_key(value).thumbprint() == key_pair.thumbprint()
    assert not load_public_key(key_pair.as_pem(private=True)).is_private


@pytest.mark.parametrize("bad", ["not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", {"kty": "RSA"}])
def test_bad_public_key_names_the_setting(bad):
    with pytest.raises(PayloadKeyError, match="iart_public_key"):
        load_public_key(bad)
