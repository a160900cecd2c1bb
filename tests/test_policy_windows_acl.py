"""Who can change the machine policy on Windows, from the access control lists (fake descriptors here;
Get-Acl on Windows). The MSI's own permissions pass; ProgramData's defaults for a new folder do not."""

from __future__ import annotations

from pathlib import PureWindowsPath

from referral_desktop.policy.windows_acl import parse_sddl, replaceable_by_users

FILE = PureWindowsPath(r"C:\ProgramData\ReferralDesktop\policy.toml")
FOLDER, PROGRAMDATA, DRIVE = FILE.parent, FILE.parent.parent, FILE.parent.parent.parent
# What the MSI sets on the folder (build/windows/referral-desktop.wxs), and what the file inherits.
MSI_FOLDER = "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;GRGX;;;BU)"
MSI_FILE = "O:BAG:SYD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)"
# ProgramData as Windows ships it: users may create folders and files (the CI entry), not delete others'.
PROGRAMDATA_SDDL = ("O:SYG:SYD:PAI(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
                    "(A;CI;0x100006;;;BU)")
DRIVE_SDDL = "O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICIIO;SDGXGWGR;;;AU)(A;;LC;;;AU)(A;OICI;0x1200a9;;;BU)"
# A folder created under ProgramData without set permissions inherits the users' "create files" entry.
INHERITED_FOLDER = ("O:BAG:SYD:AI(A;OICIIOID;GA;;;CO)(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)"
                    "(A;CIID;0x100006;;;BU)")


class Descriptors:
    def __init__(self, by_path):
        self.by_path = {str(k): v for k, v in by_path.items()}

    def sddl(self, path):
        return self.by_path.get(str(path))


def test_the_folder_the_msi_makes_lets_only_administrators_change_the_policy():
    reader = Descriptors({FILE: MSI_FILE, FOLDER: MSI_FOLDER, PROGRAMDATA: PROGRAMDATA_SDDL, DRIVE: DRIVE_SDDL})
    assert replaceable_by_users(FILE, reader) == []


def test_a_folder_with_programdatas_inherited_defaults_lets_users_plant_a_policy():
    reader = Descriptors({FILE: MSI_FILE, FOLDER: INHERITED_FOLDER, PROGRAMDATA: PROGRAMDATA_SDDL, DRIVE: DRIVE_SDDL})
    problems = replaceable_by_users(FILE, reader)
    assert problems == [rf"the folder {FOLDER} lets Users change it (access 0x100006)"]


def test_a_file_everyone_may_write_or_a_user_owns_is_named():
    writable = "O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FW;;;WD)"
    owned = "O:S-1-5-21-1-2-3-1001G:SYD:(A;;FA;;;SY)(A;;FA;;;BA)"
    assert replaceable_by_users(FILE, Descriptors({FILE: writable, FOLDER: MSI_FOLDER})) == [
        rf"the policy file {FILE} lets Everyone change it (access 0x120116)"]
    assert replaceable_by_users(FILE, Descriptors({FILE: owned, FOLDER: MSI_FOLDER})) == [
        rf"the policy file {FILE} is owned by S-1-5-21-1-2-3-1001, who can change its permissions"]


def test_a_folder_above_that_lets_users_delete_what_is_in_it_is_named():
    loose = "O:SYG:SYD:(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;BU)"  # Modify, without delete-child
    full = "O:SYG:SYD:(A;OICI;FA;;;SY)(A;OICI;FA;;;AU)"
    assert replaceable_by_users(FILE, Descriptors({FILE: MSI_FILE, FOLDER: MSI_FOLDER, PROGRAMDATA: loose})) == []
    problems = replaceable_by_users(FILE, Descriptors({FILE: MSI_FILE, FOLDER: MSI_FOLDER, PROGRAMDATA: full}))
    assert problems == [rf"the folder {PROGRAMDATA} lets Authenticated Users change it (access 0x1f01ff)"]


def test_sddl_is_read_with_owner_flags_and_rights():
    owner, aces = parse_sddl(MSI_FOLDER)
    assert owner == "BA"
    assert [(a.sid, a.flags, a.rights) for a in aces] == [("SY", "OICI", 0x1F01FF), ("BA", "OICI", 0x1F01FF),
                                                          ("BU", "OICI", 0xA0000000)]
