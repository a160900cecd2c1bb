"""Damaging a real SQLCipher store page by page, for the damage tests.

Pages are found from the schema (``sqlite_master.rootpage``), not hard-coded, so that a migration that
moves tables does not quietly make a test damage some other page.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from referral_desktop.store.connection import PAGE_SIZE
from referral_desktop.store.passphrase import key_statement


def flip_page(db: Path, page: int, offset_in_page: int = 200) -> None:
    """XOR one byte inside ``page`` (1-based), as a failing disk sector or a bad copy would."""
    with open(db, "r+b") as f:
        f.seek((page - 1) * PAGE_SIZE + offset_in_page)
        byte = f.read(1)
        f.seek((page - 1) * PAGE_SIZE + offset_in_page)
        f.write(bytes([byte[0] ^ 0x55]))


def root_pages(db: Path, passphrase: str) -> dict[str, int]:
    """Each table's and index's first page, read from a closed, checkpointed store."""
    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute(key_statement(passphrase))
        return {name: page for name, page in conn.execute("SELECT name, rootpage FROM sqlite_master")}
    finally:
        conn.close()


def page_count(db: Path) -> int:
    return db.stat().st_size // PAGE_SIZE
