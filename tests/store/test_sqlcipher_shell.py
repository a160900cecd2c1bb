"""The standard ``sqlcipher`` shell opens the store given the passphrase and nothing else.

Needs a SQLCipher 4 shell: ``sqlcipher`` on PATH (Debian 13+/Ubuntu 24.04+ package ``sqlcipher``), or
the path in ``SQLCIPHER_SHELL``. Debian 12's ``sqlcipher`` package is SQLCipher 3.4, which cannot read
SQLCipher 4 files at all; the test skips then, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from .conftest import PASSPHRASE


def _shell() -> str:
    path = os.environ.get("SQLCIPHER_SHELL") or shutil.which("sqlcipher")
    if not path:
        pytest.skip("no sqlcipher shell installed (apt-get install sqlcipher)")
    version = subprocess.run([path, ":memory:"], input="PRAGMA key = 'x';\nPRAGMA cipher_version;\n",
                             capture_output=True, text=True, timeout=30).stdout.strip().splitlines()
    if not version or not version[-1].split(".")[0].isdigit() or int(version[-1].split(".")[0]) < 4:
        pytest.skip(f"the sqlcipher shell at {path} is SQLCipher {version[-1] if version else '?'}, "
                    "which cannot open SQLCipher 4 files")
    return path


def test_standard_shell_opens_the_store(store, profile):
    shell = _shell()
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "a"})
    store.close()
    result = subprocess.run(
        [shell, str(profile / "store.db")],
        input=f"PRAGMA key = '{PASSPHRASE}';\nSELECT id, state FROM referrals;\nPRAGMA cipher_integrity_check;\n",
        capture_output=True, text=True, timeout=60,
    )
    assert f"{referral.id}|draft" in result.stdout, result.stderr
    wrong = subprocess.run(
        [shell, str(profile / "store.db")],
        input="PRAGMA key = 'not the passphrase';\nSELECT count(*) FROM referrals;\n",
        capture_output=True, text=True, timeout=60,
    )
    assert "file is not a database" in wrong.stderr


def test_a_bare_sqlcipher4_connection_opens_the_store_with_the_passphrase_alone(store, profile):
    """Runs everywhere (unlike the shell test on Debian 12): a fresh SQLCipher 4 connection with no
    settings but ``PRAGMA key`` reads the store, so the store uses SQLCipher 4 defaults and any
    SQLCipher 4 tool (the shell, DB Browser for SQLite) can open it given the passphrase."""
    import sqlcipher3

    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "a"})
    store.close()
    connection = sqlcipher3.connect(str(profile / "store.db"))
    try:
        connection.execute(f"PRAGMA key = '{PASSPHRASE}'")
        assert connection.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
        rows = connection.execute("SELECT id, state FROM referrals").fetchall()
        assert (str(referral.id), "draft") in [(str(i), s) for i, s in rows]
        assert connection.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        connection.close()
    wrong = sqlcipher3.connect(str(profile / "store.db"))
    try:
        wrong.execute("PRAGMA key = 'not the passphrase'")
        with pytest.raises(sqlcipher3.DatabaseError):
            wrong.execute("SELECT count(*) FROM referrals").fetchall()
    finally:
        wrong.close()
