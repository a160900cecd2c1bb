"""What makes an acceptable passphrase, and how it keys SQLCipher.

The store is keyed with ``PRAGMA key = '<passphrase>'`` and nothing else: SQLCipher 4's defaults
(PBKDF2-HMAC-SHA512 with 256,000 iterations, a random salt in the file header, 4096-byte pages,
HMAC-SHA512 per page) then apply, which is exactly what the standard ``sqlcipher`` shell does given the
same passphrase. A raw-key or custom-KDF scheme would be faster to open but no standard tool could
open the file, and the README promises that one can.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
#: zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks".
MIN_SCORE = 3
# zxcvbn's cost grows with length; its verdict on the first 100 characters is enough.
_ZXCVBN_MAX_INPUT = 100

TOO_SHORT = f"Enter a passphrase of at least {MIN_LENGTH} characters"
TOO_COMMON = "Choose a less common passphrase: three random words work well"


def passphrase_problems(passphrase: str) -> list[str]:
    """Why ``passphrase`` is refused, as sentences for the user; an empty list means it is acceptable."""
    if not isinstance(passphrase, str) or len(passphrase) < MIN_LENGTH:
        return [TOO_SHORT]
    if "\x00" in passphrase:
        return ["Enter a passphrase without control characters"]
    if zxcvbn(passphrase[:_ZXCVBN_MAX_INPUT])["score"] < MIN_SCORE:
        return [TOO_COMMON]
    return []


def key_statement(passphrase: str, pragma: str = "key") -> str:
    """``PRAGMA key = '...'`` with the passphrase quoted as an SQL string literal (quotes doubled).

    PRAGMA arguments cannot be bound parameters, hence the quoting. The statement text lives only in
    memory; it is never logged.
    """
    if "\x00" in passphrase:
        raise ValueError("A passphrase cannot contain a NUL character")
    return f"PRAGMA {pragma} = '" + passphrase.replace("'", "''") + "'"
