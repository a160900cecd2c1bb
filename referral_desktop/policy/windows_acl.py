"""The Windows side of "can someone other than an administrator change the machine policy?".

Windows has no POSIX modes: who may write a file is in its access control list. The security descriptor of
the policy file and of each folder above it is read as SDDL (``O:BAG:SYD:PAI(A;OICI;FA;;;SY)...``) behind
:class:`SecurityDescriptorReader` (tested with fake descriptors; :class:`PowerShellReader` asks
``Get-Acl`` on Windows), and each allow entry for someone other than SYSTEM, Administrators or
TrustedInstaller that grants a right which would let them change the policy is named:

- on the policy file: writing or appending data, deleting it, changing its permissions or owner;
- on the folder holding it: adding a file (to plant ``policy.toml`` where there is none), deleting
  what is in it, deleting the folder, changing its permissions or owner;
- on the folders above: deleting what is in them (renaming the policy folder away) or changing their
  permissions or owner. Creating new subfolders there (ProgramData lets users) is not enough.

An owner who is not an administrator can always change the permissions, so that is named too. Entries
that only pass down to children (inherit-only) do not apply to the object itself and are skipped; the
children carry them as inherited entries of their own. The MSI sets the policy folder to SYSTEM and
Administrators full, Users read (build/windows/referral-desktop.wxs), which passes.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

ADMIN_SIDS = frozenset({
    "SY", "BA", "S-1-5-18", "S-1-5-32-544",
    "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",  # TrustedInstaller
})
NAMES = {"BU": "Users", "AU": "Authenticated Users", "WD": "Everyone", "IU": "Interactive users",
         "CO": "the creator of each file", "S-1-5-32-545": "Users", "S-1-1-0": "Everyone",
         "S-1-5-11": "Authenticated Users", "PU": "Power Users", "S-1-5-32-547": "Power Users"}

# Access rights, as SDDL writes them (letters) and as their bits.
FILE_WRITE_DATA = 0x2  # ADD_FILE on a folder
FILE_APPEND_DATA = 0x4  # ADD_SUBDIRECTORY on a folder
FILE_DELETE_CHILD = 0x40
DELETE, WRITE_DAC, WRITE_OWNER = 0x10000, 0x40000, 0x80000
GENERIC_ALL, GENERIC_WRITE = 0x10000000, 0x40000000
FILE_ALL_ACCESS, FILE_GENERIC_WRITE = 0x1F01FF, 0x120116
LETTERS = {"GA": GENERIC_ALL, "GW": GENERIC_WRITE, "GR": 0x80000000, "GX": 0x20000000, "FA": FILE_ALL_ACCESS,
           "FW": FILE_GENERIC_WRITE, "FR": 0x120089, "FX": 0x1200A0, "SD": DELETE, "WD": WRITE_DAC,
           "WO": WRITE_OWNER, "RC": 0x20000, "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "RP": 0x10,
           "WP": 0x20, "DT": 0x40, "LO": 0x80, "CR": 0x100}
ALWAYS = DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL | GENERIC_WRITE
DANGEROUS = {
    "file": ALWAYS | FILE_WRITE_DATA | FILE_APPEND_DATA,
    "policy folder": ALWAYS | FILE_WRITE_DATA | FILE_DELETE_CHILD,
    "folder above": WRITE_DAC | WRITE_OWNER | GENERIC_ALL | FILE_DELETE_CHILD,
}


class SecurityDescriptorReader(Protocol):
    def sddl(self, path: PurePath) -> str | None:
        """The object's security descriptor as SDDL (owner and DACL at least); None if unreadable."""
        ...


class PowerShellReader:
    """The real descriptor, from ``Get-Acl`` (Windows only)."""

    def sddl(self, path: PurePath) -> str | None:
        literal = str(path).replace("'", "''")
        try:
            result = subprocess.run(
                ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", f"(Get-Acl -LiteralPath '{literal}').Sddl"],
                capture_output=True, text=True, timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if result.returncode != 0:
            return None
        return result.stdout.strip() or None


@dataclass(frozen=True)
class Ace:
    allow: bool
    flags: str
    rights: int
    sid: str


def parse_sddl(sddl: str) -> tuple[str | None, list[Ace]]:
    """The owner SID and the DACL's entries of an SDDL string."""
    owner = re.search(r"O:([A-Z]{2}|S-[0-9-]+)", sddl)
    dacl = re.search(r"D:[A-Z]*((?:\([^)]*\))*)", sddl)
    aces = []
    for body in re.findall(r"\(([^)]*)\)", dacl.group(1) if dacl else ""):
        parts = body.split(";")
        if len(parts) < 6:
            continue
        kind, flags, rights, sid = parts[0], parts[1], parts[2], parts[5]
        aces.append(Ace(kind in ("A", "OA"), flags, _rights(rights), sid))
    return (owner.group(1) if owner else None), aces


def _rights(text: str) -> int:
    if text.lower().startswith("0x"):
        return int(text, 16)
    return sum(LETTERS.get(text[i:i + 2], 0) for i in range(0, len(text), 2))


def _who(sid: str) -> str:
    return NAMES.get(sid, sid)


def problems_of(path: PurePath, sddl: str, role: str) -> list[str]:
    """What non-administrators may do to ``path`` (the policy file, its folder, or a folder above)."""
    owner, aces = parse_sddl(sddl)
    what = "the policy file" if role == "file" else "the folder"
    found = []
    if owner is not None and owner not in ADMIN_SIDS:
        found.append(f"{what} {path} is owned by {_who(owner)}, who can change its permissions")
    for ace in aces:
        if not ace.allow or "IO" in ace.flags or ace.sid in ADMIN_SIDS:
            continue
        if ace.rights & DANGEROUS[role]:
            found.append(f"{what} {path} lets {_who(ace.sid)} change it (access 0x{ace.rights:x})")
    return found


def replaceable_by_users(path: PurePath, reader: SecurityDescriptorReader | None = None) -> list[str]:
    """Sentences naming each way a non-administrator can change the policy at ``path`` on Windows."""
    reader = reader if reader is not None else PowerShellReader()
    target = path
    found: list[str] = []
    chain = [(target, "file"), (target.parent, "policy folder")]
    chain += [(folder, "folder above") for folder in target.parent.parents]
    for item, role in chain:
        sddl = reader.sddl(item)
        if sddl:
            found.extend(problems_of(item, sddl, role))
    return found
