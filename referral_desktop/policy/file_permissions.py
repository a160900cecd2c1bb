"""Can someone other than an administrator change the machine-wide policy file?

Why: the machine policy is how IT fixes where referrals go and whom the app trusts; ``allow_user_policy =
false`` means users cannot replace it. A policy file writable by everyone (0666), or in a folder where
anyone can swap the file (0777 without the sticky bit), makes all of that a suggestion, yet ``doctor``
said "cannot be replaced by users". This is the one check of that, used by ``doctor`` and ``policy check``
(POSIX modes and owners here, Windows access control lists in windows_acl; ``replaceable_by_users`` is
the entry point every platform's check uses).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

#: User ids that count as administrators on POSIX: root.
ADMIN_UIDS: tuple[int, ...] = (0,)


def replaceable_by_users(path: Path, admin_uids: Iterable[int] | None = None) -> list[str]:
    """Sentences naming each way a non-administrator can change ``path``: the file itself, or any folder
    above it. Empty when only administrators can. On Windows (no POSIX modes) the access control lists
    are read instead (:mod:`referral_desktop.policy.windows_acl`)."""
    if os.name == "nt":
        from referral_desktop.policy.windows_acl import replaceable_by_users as windows_check

        return windows_check(Path(path))  # the file's and its folders' access control lists
    if os.name != "posix":
        return []
    admins = set(ADMIN_UIDS if admin_uids is None else admin_uids)
    problems: list[str] = []
    target = Path(path)
    try:
        info = target.stat()
    except OSError:
        return []
    problems.extend(_writable(target, info, admins, what="the policy file", folder=False))
    for folder in target.resolve().parents:
        try:
            info = folder.stat()
        except OSError:
            continue
        problems.extend(_writable(folder, info, admins, what="the folder", folder=True))
    return problems


def _writable(path: Path, info: os.stat_result, admins: set[int], *, what: str, folder: bool) -> list[str]:
    mode = stat.S_IMODE(info.st_mode)
    sticky = folder and bool(mode & stat.S_ISVTX)  # others may add files there but not replace this one
    found = []
    if info.st_uid not in admins:
        found.append(f"{what} {path} is owned by a user (uid {info.st_uid}), who can change it")
    if mode & stat.S_IWOTH and not sticky:
        found.append(f"{what} {path} is writable by every user ({mode:04o})")
    elif mode & stat.S_IWGRP and info.st_gid != 0 and not sticky:
        found.append(f"{what} {path} is writable by the group {info.st_gid} ({mode:04o})")
    return found
