"""Opening the encrypted store for a headless command, with one set of messages and exit codes.

Every command that needs the store (``store check``, ``import``, ``list``, ``queue``, ``send``, ``status``)
unlocks it the same way: the passphrase from a prompt or standard input, a wait (said on stderr) when
earlier wrong passphrases throttle unlocking, and after a wrong passphrase the same delay a person
typing would meet, so that scripted guessing is no faster than guessing by hand.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import NoReturn

from referral_desktop.commands.command_failed import CommandFailed
from referral_desktop.commands.passphrase_input import read_passphrase
from referral_desktop.profile_location import resolve_profile_dir
from referral_desktop.store import (
    Store,
    StoreDamaged,
    StoreError,
    StoreNotFound,
    UnlockThrottled,
    WrongPassphrase,
    open_store,
    store_exists,
)

__all__ = ["CommandFailed", "open_store_for_command", "store_problem"]


def open_store_for_command(args: argparse.Namespace) -> Store:
    """The unlocked store of the profile ``--profile`` names, or :class:`CommandFailed`."""
    profile = resolve_profile_dir(getattr(args, "profile", None))
    if not store_exists(profile):
        _no_store(profile)  # said before a passphrase is asked for that could open nothing
    passphrase = read_passphrase(args)
    try:
        try:
            return open_store(profile, passphrase)
        except UnlockThrottled as exc:
            print(f"Waiting {exc.wait_seconds:.0f} seconds after earlier wrong passphrases.", file=sys.stderr)
            time.sleep(exc.wait_seconds)
            return open_store(profile, passphrase)
    except StoreNotFound:
        _no_store(profile)
    except WrongPassphrase as exc:
        if exc.retry_after_seconds:
            time.sleep(exc.retry_after_seconds)
        raise CommandFailed(f"{exc}.", 1) from None
    except StoreError as exc:
        raise CommandFailed(store_problem(exc), 2) from None


def _no_store(profile: Path) -> NoReturn:
    from referral_desktop.store.snapshots import missing_store_copy, missing_store_sentence

    copy = missing_store_copy(profile)
    if copy is not None:  # store.db deleted or lost: never suggest creating a new one over it
        raise CommandFailed(missing_store_sentence(profile, copy), 2) from None
    raise CommandFailed(f"There is no store in {profile}. Create one with: referral-desktop store create", 2) from None


def store_problem(exc: BaseException) -> str:
    """One line for stderr about a store that cannot be used: what is wrong and what to do."""
    if isinstance(exc, StoreDamaged):
        return f"{exc}. Nothing was changed. Do not reset the store: contact IT."
    return f"{exc}."
