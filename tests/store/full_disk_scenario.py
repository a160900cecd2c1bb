"""Run inside a tiny tmpfs (see test_full_disk.py): a store, a disk filled to the last byte, then what a
user would do. Prints one JSON object of observations; asserts nothing itself."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

from referral_desktop.cli import main
from referral_desktop.store import DiskFull, create_store, open_store

PASSPHRASE = "marble otter kettle"


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def command(*argv: str) -> dict:
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.StringIO(PASSPHRASE + "\n")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except BaseException as exc:  # noqa: BLE001 - the observation is that it escaped
            code = f"escaped {type(exc).__name__}"
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def run(mount: Path, example: str) -> dict:
    profile = mount / "profile"
    store = create_store(profile, PASSPHRASE)
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {"notes": "kept"}).id
    store.close()
    filler = fill(mount)
    seen: dict = {"free_bytes": os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize}
    p = ["--profile", str(profile)]
    seen["list"] = command(*p, "list", "--passphrase-stdin")
    seen["check"] = command(*p, "store", "check", "--passphrase-stdin")
    seen["import"] = command(*p, "import", example, "--passphrase-stdin")
    store = open_store(profile, PASSPHRASE)
    try:
        seen["answers_readable"] = store.referrals.get(draft).answers == {"notes": "kept"}
        try:
            store.referrals.save_answers(draft, {"notes": "x" * 20000})
            seen["save"] = "saved"
        except DiskFull as exc:
            seen["save"] = str(exc)
        filler.unlink()  # IT frees some space; the same open store saves again
        store.referrals.save_answers(draft, {"notes": "x" * 20000})
        seen["saved_after_freeing"] = store.referrals.get(draft).answers == {"notes": "x" * 20000}
        seen["audit"] = [entry.event for entry in store.audit.list()]
    finally:
        store.close()
    # Unlocked on a full disk, room made, locked without saving: the entry goes in as it locks.
    filler = fill(mount)
    store = open_store(profile, PASSPHRASE)
    filler.unlink()
    store.close()
    store = open_store(profile, PASSPHRASE)
    seen["unlocked_entries_after_lock"] = [entry.event for entry in store.audit.list()].count("unlocked")
    store.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), sys.argv[2])))
