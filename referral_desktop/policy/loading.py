"""Which policy is in force, validated once whatever its source.

:func:`load_policy` takes, in order: an explicit path (``--policy FILE``), the environment variable
``REFERRAL_DESKTOP_POLICY``, then the machine-wide file. No file anywhere means the built-in defaults,
which point at a local sandbox (``https://127.0.0.1:8443``). Because a user can set an environment
variable, a machine-wide policy can forbid the first two with ``allow_user_policy = false``.

Errors name the source and the setting (``/etc/referral-desktop/policy.toml: retention_days: must be at
least 1``), one line per problem, never a pydantic dump or a traceback, and never the value (a policy may
hold a bearer token).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from referral_desktop.domain.data_file_errors import describe_errors
from referral_desktop.policy.errors import PolicyError
from referral_desktop.policy.model import Policy
from referral_desktop.policy.sources import POLICY_ENV, FileSource, RawSettings, machine_policy_path


def read_policy_file(path: str | os.PathLike[str]) -> Policy:
    """Read and validate one policy file. Raises :class:`PolicyUnreadable` (missing, not a file, no
    permission) or :class:`PolicyError` (not TOML, or a setting is wrong), each naming the file."""
    raw = FileSource(Path(path)).read()
    assert raw is not None  # a required file source never answers "nothing here"
    return validate_settings(raw)


def validate_settings(raw: RawSettings) -> Policy:
    """Validate the settings one source handed over; errors are prefixed with its label."""
    return policy_from_mapping(raw.data, path=raw.path)


def policy_from_mapping(data: Mapping[str, Any], *, path: Path | None = None) -> Policy:
    """Validate a policy given as a mapping (as parsed from TOML). Relative paths are taken from the
    folder of ``path``; errors are prefixed with ``path``."""
    base_dir = path.resolve().parent if path is not None else None
    try:
        policy = Policy.model_validate(dict(data), context={"base_dir": base_dir})
    except ValidationError as exc:
        prefix = f"{path}: " if path is not None else ""
        raise PolicyError([prefix + line for line in describe_errors(exc)], path) from None
    policy._source = path
    return policy


def load_policy(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    machine_path: Path | None = None,
) -> Policy:
    """The policy in force: ``path`` if given, else ``$REFERRAL_DESKTOP_POLICY``, else the machine-wide
    file, else the built-in defaults (a sandbox on ``https://127.0.0.1:8443``).

    A machine-wide policy with ``allow_user_policy = false`` cannot be replaced by the first two.
    """
    environ = os.environ if environ is None else environ
    machine = machine_path if machine_path is not None else machine_policy_path()
    explicit = path if path else environ.get(POLICY_ENV) or None
    if explicit:
        explicit_path = Path(explicit)
        if machine.is_file() and _same_file(machine, explicit_path) is False:
            machine_policy = read_policy_file(machine)
            if not machine_policy.allow_user_policy:
                raise PolicyError(
                    f"{machine}: allow_user_policy is false, so this machine's policy cannot be replaced "
                    f"by --policy or {POLICY_ENV}",
                    machine,
                )
        return read_policy_file(explicit_path)
    machine_settings = FileSource(machine, required=False).read()
    return validate_settings(machine_settings) if machine_settings is not None else Policy()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False

