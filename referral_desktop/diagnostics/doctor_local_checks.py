"""The doctor's checks of this computer: the data and log folders (writable, owner only), the disk's free
space under the profile, and the encrypted store (present, opens with the passphrase, passes its
integrity check).

None of them needs the network or the policy, so they run and report even when the policy is broken.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from referral_desktop.diagnostics.doctor_environment import MB, DoctorEnvironment
from referral_desktop.diagnostics.doctor_results import CheckResult, Status


def nearest_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _probe_write(folder: Path) -> str | None:
    """None if a private file can be created and removed in ``folder``; else why not."""
    probe = folder / f".doctor-probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, b"probe")
        os.close(fd)
        probe.unlink()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _folder_check(name: str, folder: Path, what: str, expect_private: bool) -> CheckResult:
    if folder.exists() and not folder.is_dir():
        return CheckResult(name, Status.FAIL, f"{folder} is a file, not a folder; the {what} cannot be kept there")
    if not folder.exists():
        parent = nearest_existing(folder.parent)
        if not parent.is_dir():
            return CheckResult(name, Status.FAIL, f"{folder} cannot be created: {parent} is not a folder")
        problem = _probe_write(parent)
        if problem:
            return CheckResult(name, Status.FAIL, f"{folder} cannot be created in {parent} ({problem})")
        return CheckResult(name, Status.OK, f"{folder} not created yet (made on first use); {parent} is writable")
    problem = _probe_write(folder)
    if problem:
        return CheckResult(name, Status.FAIL, f"{folder} is not writable ({problem})")
    if os.name == "posix" and expect_private:
        mode = _mode(folder)
        if mode & 0o077:
            return CheckResult(
                name, Status.WARN,
                f"{folder} is writable but other users can open it (mode {mode:04o}; expected 0700)",
            )
        loose = [p.name for p in sorted(folder.iterdir()) if p.is_file() and _mode(p) & 0o077]
        if loose:
            return CheckResult(
                name, Status.WARN, f"{folder}: {len(loose)} file(s) readable by other users (expected 0600)"
            )
        return CheckResult(name, Status.OK, f"{folder} is writable, owner only (0700)")
    return CheckResult(name, Status.OK, f"{folder} is writable")


def check_data_folder(env: DoctorEnvironment) -> CheckResult:
    return _folder_check("data folder", env.profile_dir, "encrypted store", expect_private=True)


def check_log_folder(env: DoctorEnvironment) -> CheckResult:
    return _folder_check("log folder", env.log_dir, "log", expect_private=True)


def check_store(env: DoctorEnvironment) -> CheckResult:
    from referral_desktop.store import (
        StoreDamaged,
        StoreError,
        StoreFromNewerVersion,
        StoreNotFound,
        UnlockThrottled,
        WrongPassphrase,
        open_store,
        store_exists,
        unsent_summary,
    )

    try:
        exists = store_exists(env.profile_dir)
    except OSError as exc:
        return CheckResult("store", Status.FAIL, f"the profile folder cannot be read ({exc.strerror or 'error'})")
    if not exists:
        from referral_desktop.store.snapshots import missing_store_copy, missing_store_sentence

        copy = missing_store_copy(env.profile_dir)
        if copy is not None:  # deleted or lost, not a new installation: a copy waits to be restored
            return CheckResult("store", Status.FAIL, missing_store_sentence(env.profile_dir, copy))
        if env.passphrase is not None:
            return CheckResult("store", Status.FAIL, f"there is no store in {env.profile_dir} to open")
        return CheckResult("store", Status.OK, "no store yet (created when the user first opens the app)")
    counts = ""
    try:
        summary = unsent_summary(env.profile_dir)
        counts = f"; {summary.drafts} draft(s), {summary.waiting_to_send} waiting to send"
    except Exception:  # the counts file is a convenience; its absence is not a store problem
        counts = ""
    if env.passphrase is None:
        return CheckResult(
            "store", Status.OK,
            f"present, not opened (pass the passphrase with --passphrase-stdin to open it){counts}",
        )
    started = time.monotonic()
    try:
        store = open_store(env.profile_dir, env.passphrase, clock=env.clock)
    except WrongPassphrase:
        return CheckResult("store", Status.FAIL, "the passphrase was not accepted (or the file's first page is damaged)")
    except UnlockThrottled as exc:
        return CheckResult("store", Status.FAIL, f"unlocking is paused after wrong passphrases; try again in {exc}")
    except StoreFromNewerVersion:
        return CheckResult("store", Status.FAIL, "the store was made by a newer version of the app")
    except StoreNotFound:
        return CheckResult("store", Status.FAIL, f"there is no store in {env.profile_dir} to open")
    except StoreDamaged:
        return CheckResult("store", Status.FAIL, "the store file is damaged")
    except StoreError as exc:
        return CheckResult("store", Status.FAIL, f"the store cannot be opened ({type(exc).__name__})")
    try:
        report = store.check()
    finally:
        store.close()
    took = (time.monotonic() - started) * 1000
    if not report.ok:
        problems = len(report.integrity_problems) + len(report.cipher_integrity_problems)
        return CheckResult(
            "store", Status.FAIL,
            f"opened, but the integrity check found {problems} problem(s) (schema {report.schema_version} of "
            f"{report.latest_schema_version})",
        )
    return CheckResult(
        "store", Status.OK,
        f"opened and checked in {took:.0f} ms (SQLCipher, schema {report.schema_version}){counts}",
    )



def check_disk(env: DoctorEnvironment) -> CheckResult:
    where = nearest_existing(env.profile_dir)
    try:
        usage = env.disk_usage(where)
    except OSError as exc:
        return CheckResult("disk", Status.FAIL, f"free space on {where} cannot be read ({exc.strerror or 'error'})")
    free = int(usage.free)
    text = f"{free / MB:,.0f} MB free on {where}"
    numbers = {"free_bytes": free}
    if free < env.fail_below_free_bytes:
        return CheckResult("disk", Status.FAIL, text + f" (needs at least {env.fail_below_free_bytes // MB} MB)", numbers)
    if free < env.warn_below_free_bytes:
        return CheckResult("disk", Status.WARN, text + f" (below {env.warn_below_free_bytes // MB} MB)", numbers)
    return CheckResult("disk", Status.OK, text, numbers)
