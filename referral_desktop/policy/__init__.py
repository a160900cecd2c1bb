"""The machine-wide deployment policy IT writes, and the user settings it bounds.

IT departments deploy the app to hundreds of managed laptops and fix, per organisation, where referrals
go and how (endpoint, certificates, pins, client certificate, token, iART's public key), how long data
stays on the device, how soon an idle app locks, what may be attached, and the contact numbers
(PRODUCT.md §5 and §7). The app reads the policy once in ``main()``.

The package, one job per module:

- :mod:`~referral_desktop.policy.model`: the settings, their defaults, limits and checks (pydantic).
- :mod:`~referral_desktop.policy.values`: checks of single values (URLs, pins, paths, media types).
- :mod:`~referral_desktop.policy.sources`: where settings come from, each source behind one interface.
- :mod:`~referral_desktop.policy.loading`: which policy is in force, validated once whatever its source.
- :mod:`~referral_desktop.policy.referenced_files`: the files a policy names, present and the right kind.
- :mod:`~referral_desktop.policy.schema`: the JSON Schema and the README's table of settings.
- :mod:`~referral_desktop.policy.user_settings`: the user's own choices, bounded by the policy.
- :mod:`~referral_desktop.policy.errors`: :class:`PolicyError`, one ``where: setting: message`` line per
  problem, never a value (a policy may hold a bearer token).

Everything callers need is importable from ``referral_desktop.policy`` itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from referral_desktop.policy.errors import PolicyError, PolicyUnreadable
    from referral_desktop.policy.loading import (
        load_policy,
        policy_from_mapping,
        read_policy_file,
        validate_settings,
    )
    from referral_desktop.policy.model import (
        DEFAULT_ALLOWED_TYPES,
        DEFAULT_API_BASE_URL,
        Policy,
        PrivacyNoticeSettings,
    )
    from referral_desktop.policy.referenced_files import (
        check_referenced_files,
        machine_policy_problems,
        referenced_file_warnings,
    )
    from referral_desktop.policy.schema import policy_reference_markdown, policy_schema
    from referral_desktop.policy.sources import (
        APP_NAME,
        LINUX_POLICY_PATH,
        POLICY_ENV,
        POLICY_FILE_NAME,
        FileSource,
        PolicySource,
        RawSettings,
        machine_policy_path,
    )
    from referral_desktop.policy.user_settings import EffectiveSettings, UserSettings, effective_settings
    from referral_desktop.policy.values import is_loopback_host, pin_digest

# Each name is imported from its module when first asked for: ``referral-desktop validate`` needs only
# the loading path (errors, loading, model, sources, values), not the schema, the referenced files'
# key checks or the user settings' models (~2.5 ms of pydantic classes and imports).
_WHERE = {
    "errors": ("PolicyError", "PolicyUnreadable"),
    "loading": ("load_policy", "policy_from_mapping", "read_policy_file", "validate_settings"),
    "model": ("DEFAULT_ALLOWED_TYPES", "DEFAULT_API_BASE_URL", "Policy", "PrivacyNoticeSettings"),
    "referenced_files": ("check_referenced_files", "machine_policy_problems", "referenced_file_warnings"),
    "schema": ("policy_reference_markdown", "policy_schema"),
    "sources": ("APP_NAME", "LINUX_POLICY_PATH", "POLICY_ENV", "POLICY_FILE_NAME", "FileSource",
                "PolicySource", "RawSettings", "machine_policy_path"),
    "user_settings": ("EffectiveSettings", "UserSettings", "effective_settings"),
    "values": ("is_loopback_host", "pin_digest"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Not remembered here: a test that replaces a name in its module for a while must not leave the
    # replacement behind in this package once it is put back.
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])


__all__ = [
    "APP_NAME",
    "DEFAULT_ALLOWED_TYPES",
    "DEFAULT_API_BASE_URL",
    "LINUX_POLICY_PATH",
    "POLICY_ENV",
    "POLICY_FILE_NAME",
    "EffectiveSettings",
    "FileSource",
    "Policy",
    "PolicyError",
    "PolicySource",
    "PolicyUnreadable",
    "PrivacyNoticeSettings",
    "RawSettings",
    "UserSettings",
    "check_referenced_files",
    "machine_policy_problems",
    "referenced_file_warnings",
    "effective_settings",
    "is_loopback_host",
    "load_policy",
    "machine_policy_path",
    "pin_digest",
    "policy_from_mapping",
    "policy_reference_markdown",
    "policy_schema",
    "read_policy_file",
    "validate_settings",
]
