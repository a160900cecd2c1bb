"""Policy checks refuse what cannot work or is unsafe: unusable iART keys, private keys, and a machine
policy that users can change."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.jwk import RSAKey

from referral_desktop.cli import main


def _pem_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _jwk(key, private=False) -> bytes:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return json.dumps(RSAKey.import_key(pem).as_dict(private=private)).encode()


@pytest.fixture(scope="module")
def keys():
    return {
        "rsa1024": rsa.generate_private_key(public_exponent=65537, key_size=1024),
        "rsa2048": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ec": ec.generate_private_key(ec.SECP256R1()),
    }


def _policy(folder: Path, key_bytes: bytes, name: str = "iart.pem") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(key_bytes)
    (folder / "token").write_text("t\n")
    path = folder / "policy.toml"
    path.write_text(f'api_base_url = "https://iart.example.org/"\nbearer_token_file = "{folder / "token"}"\n'
                    f'iart_public_key = "{folder / name}"\n')
    return path


def _check(monkeypatch, capsys, policy: Path | None):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    argv = (["--policy", str(policy)] if policy else []) + ["policy", "check"]
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_rsa_1024_or_ec_key_is_refused_at_check_time(tmp_path, keys, monkeypatch, capsys):
    code, said = _check(monkeypatch, capsys, _policy(tmp_path / "a", _pem_public(keys["rsa1024"])))
    assert code == 1 and "iart_public_key" in said and "at least 2048 bits (this one has 1024)" in said
    code, said = _check(monkeypatch, capsys, _policy(tmp_path / "b", _pem_public(keys["ec"])))
    assert code == 1 and "must be an RSA key" in said and "EC" in said
    code, said = _check(monkeypatch, capsys, _policy(tmp_path / "c", _jwk(keys["rsa1024"]), "iart.jwk"))
    assert code == 1 and "this one has 1024" in said
    code, said = _check(monkeypatch, capsys, _policy(tmp_path / "d", _pem_public(keys["rsa2048"])))
    assert code == 0, said
    assert "private" not in said


def test_a_private_jwk_is_accepted_with_a_warning(tmp_path, keys, monkeypatch, capsys):
    code, said = _check(monkeypatch, capsys, _policy(tmp_path / "p", _jwk(keys["rsa2048"], private=True), "iart.jwk"))
    assert code == 0
    assert "iart_public_key" in said and "private key" in said


def test_doctor_fails_the_unusable_key_and_warns_about_the_private_one(tmp_path, keys):
    from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment, SharedFindings
    from referral_desktop.diagnostics.doctor_policy_check import check_policy
    from referral_desktop.diagnostics.doctor_results import Status

    def policy_status(path):
        env = DoctorEnvironment(policy_path=path, profile_dir=tmp_path / "profile", log_dir=tmp_path / "logs")
        return check_policy(env, SharedFindings())

    bad = policy_status(_policy(tmp_path / "a", _pem_public(keys["rsa1024"])))
    assert bad.status is Status.FAIL and "2048" in bad.detail
    private = policy_status(_policy(tmp_path / "p", _jwk(keys["rsa2048"], private=True), "iart.jwk"))
    assert private.status is Status.WARN and "private key" in private.detail


def test_a_machine_policy_users_can_change_fails_doctor_and_policy_check(
        tmp_path, keys, monkeypatch, capsys, sealed_machine_policy):
    from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment, SharedFindings
    from referral_desktop.diagnostics.doctor_policy_check import check_policy
    from referral_desktop.diagnostics.doctor_results import Status

    machine = Path(sealed_machine_policy)
    folder = machine.parent
    machine.write_text('api_base_url = "https://iart.example.org/"\nallow_user_policy = false\n')
    os.chmod(machine, 0o644)
    admins = (0, os.getuid())  # the test's own files count as an administrator's
    monkeypatch.setattr("referral_desktop.policy.file_permissions.ADMIN_UIDS", admins)
    try:
        env = DoctorEnvironment(policy_path=None, profile_dir=tmp_path / "profile", log_dir=tmp_path / "logs",
                                machine_policy_path=machine, managed_policy_sources=[])
        ok = check_policy(env, SharedFindings())
        assert ok.status is Status.OK and "cannot be replaced by users" in ok.detail
        assert _check(monkeypatch, capsys, None)[0] == 0
        os.chmod(machine, 0o666)
        os.chmod(folder, 0o777)
        bad = check_policy(env, SharedFindings())
        assert bad.status is Status.FAIL
        assert "writable by every user" in bad.detail and "cannot be replaced" not in bad.detail
        code, said = _check(monkeypatch, capsys, None)
        assert code == 1 and "writable by every user" in said
    finally:
        os.chmod(folder, 0o700)
        machine.unlink()
