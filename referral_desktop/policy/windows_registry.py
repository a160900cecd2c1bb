r"""The Windows registry as a policy source: what Group Policy and Intune's administrative templates write.

The ADMX/ADML templates in ``build/windows/policy/`` write every setting under
``HKLM\Software\Policies\ReferralDesktopProject\ReferralDesktop``, one value per setting, named exactly
as in the policy file: a DWORD for whole numbers and yes/no (1/0), a string for text and paths, a
multi-string for lists (``certificate_pins``, ``attachment_allowed_types``), and a subkey
``privacy_notice`` with ``url``, ``file`` and ``version``. ``contacts`` is set in the policy file only.
Relative paths start from the machine-wide policy folder. The values are checked by the same model and
named in the same words as the file's, prefixed with the key.

The registry is read behind :class:`RegistryReader` so that the source is tested with a fake tree;
:class:`WinregReader` is the real one (Windows only; ``winreg`` is imported when it reads).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from referral_desktop.policy.errors import PolicyUnreadable
from referral_desktop.policy.sources import RawSettings, as_model_types

POLICY_KEY = r"Software\Policies\ReferralDesktopProject\ReferralDesktop"
POLICY_KEY_LABEL = "HKLM\\" + POLICY_KEY


class RegistryReader(Protocol):
    """Reads one key of HKEY_LOCAL_MACHINE with its subkeys."""

    def read_tree(self, key: str) -> Mapping[str, Any] | None:
        """The key's values by name, each subkey as a nested mapping; None if the key does not exist.
        Raises ``OSError`` if it exists but cannot be read."""
        ...


class WinregReader:
    """The real registry, through ``winreg`` (64-bit view, so a 32-bit tool's writes are not missed)."""

    def read_tree(self, key: str) -> Mapping[str, Any] | None:
        import importlib

        winreg: Any = importlib.import_module("winreg")  # Windows only (typeshed has it for win32 alone)
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            handle = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, access)
        except FileNotFoundError:
            return None
        with handle:
            return self._read(winreg, handle)

    def _read(self, winreg: Any, handle: Any) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        subkeys, values, _ = winreg.QueryInfoKey(handle)
        for index in range(values):
            name, value, _kind = winreg.EnumValue(handle, index)
            if name:  # the key's unnamed default value is not a setting
                tree[name] = value
        for index in range(subkeys):
            name = winreg.EnumKey(handle, index)
            with winreg.OpenKey(handle, name) as child:
                tree[name] = self._read(winreg, child)
        return tree


@dataclass(frozen=True)
class RegistrySource:
    """The machine policy Group Policy or Intune wrote, as a :class:`~referral_desktop.policy.sources.PolicySource`."""

    reader: RegistryReader
    base_dir: Path | None = None
    key: str = POLICY_KEY

    def read(self) -> RawSettings | None:
        label = "HKLM\\" + self.key
        try:
            tree = self.reader.read_tree(self.key)
        except OSError as exc:
            raise PolicyUnreadable(f"{label}: cannot be read ({exc.strerror or 'unreadable'})") from None
        if not tree:
            return None
        return RawSettings(as_model_types(tree), label, kind="registry", base_dir=self.base_dir)
