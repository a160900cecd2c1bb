"""Which policy is in force, validated once whatever its source.

:func:`load_policy` takes, in order: an explicit path (``--policy FILE``), the environment variable
``REFERRAL_DESKTOP_POLICY``, then the machine policy: the machine-wide file merged with what IT's
management tools set (Group Policy / Intune in the Windows registry, a configuration profile's managed
preferences on macOS), which win setting by setting because they are what IT manages centrally and can
change without visiting the machine. Nothing anywhere means the built-in defaults, which point at a
local sandbox (``https://127.0.0.1:8443``). Because a user can set an environment variable, a machine
policy can forbid the first two with ``allow_user_policy = false``.

Errors name the source and the setting (``/etc/referral-desktop/policy.toml: retention_days: must be at
least 1``), one line per problem, never a pydantic dump or a traceback, and never the value (a policy may
hold a bearer token).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from referral_desktop.domain.data_file_errors import describe_errors
from referral_desktop.policy.errors import PolicyError
from referral_desktop.policy.model import Policy
from referral_desktop.policy.sources import (
    POLICY_ENV,
    FileSource,
    PolicySource,
    RawSettings,
    machine_policy_path,
    setting_kind,
)


def read_policy_file(path: str | os.PathLike[str]) -> Policy:
    """Read and validate one policy file. Raises :class:`PolicyUnreadable` (missing, not a file, no
    permission) or :class:`PolicyError` (not TOML, or a setting is wrong), each naming the file."""
    raw = FileSource(Path(path)).read()
    assert raw is not None  # a required file source never answers "nothing here"
    return validate_settings(raw)


def validate_settings(*layers: RawSettings) -> Policy:
    """Validate the settings the sources handed over, later layers taking precedence setting by setting
    (a whole table, such as ``privacy_notice``, counts as one setting). Each message is prefixed with
    the label of the source that gave the setting it is about."""
    if len(layers) == 1:
        policy = policy_from_mapping(layers[0].data, path=layers[0].path, base_dir=layers[0].relative_to,
                                     label=layers[0].label)
        policy._origins = {name: layers[0] for name in layers[0].data}
        return policy
    merged: dict[str, Any] = {}
    origins: dict[str, RawSettings] = {}
    for layer in layers:
        for name, value in layer.data.items():
            merged[name] = _with_absolute_paths(name, value, layer.relative_to)
            origins[name] = layer
    try:
        policy = Policy.model_validate(merged, context={"base_dir": None})
    except ValidationError as exc:
        labels = list(dict.fromkeys(layer.label for layer in layers))
        lines = []
        for line in describe_errors(exc):
            setting = line.split(":", 1)[0].split(".", 1)[0].split("[", 1)[0].strip()
            origin = origins.get(setting)
            lines.append(f"{origin.label if origin else ' + '.join(labels)}: {line}")
        files = [layer.path for layer in layers if layer.path is not None]
        raise PolicyError(lines, files[0] if files else None) from None
    files = [origin.path for origin in origins.values() if origin.path is not None]
    policy._source = files[-1] if files else None
    policy._origins = origins
    return policy


def _with_absolute_paths(name: str, value: Any, base_dir: Path | None) -> Any:
    # Each source's relative paths start from its own folder, so they are resolved before merging.
    if base_dir is None:
        return value
    if setting_kind(name) == "path" and isinstance(value, str) and value.strip() and not Path(value).is_absolute():
        return str(base_dir / value)
    if name == "privacy_notice" and isinstance(value, Mapping):
        file = value.get("file")
        if isinstance(file, str) and file.strip() and not Path(file).is_absolute():
            return {**value, "file": str(base_dir / file)}
    return value


def policy_from_mapping(data: Mapping[str, Any], *, path: Path | None = None, base_dir: Path | None = None,
                        label: str | None = None) -> Policy:
    """Validate a policy given as a mapping (as parsed from TOML). Relative paths are taken from
    ``base_dir``, by default the folder of ``path``; errors are prefixed with ``label``, by default
    ``path``."""
    if base_dir is None and path is not None:
        base_dir = path.resolve().parent
    prefix = label if label is not None else (str(path) if path is not None else None)
    try:
        policy = Policy.model_validate(dict(data), context={"base_dir": base_dir})
    except ValidationError as exc:
        raise PolicyError([f"{prefix}: {line}" if prefix else line for line in describe_errors(exc)], path) from None
    policy._source = path
    return policy


def platform_managed_sources() -> list[PolicySource]:
    """The sources IT's management tools write on this platform: the registry key Group Policy and
    Intune write on Windows, the managed preferences a configuration profile writes on macOS."""
    folder = machine_policy_path().parent
    if sys.platform == "win32":
        from referral_desktop.policy.windows_registry import RegistrySource, WinregReader

        return [RegistrySource(WinregReader(), base_dir=folder)]
    if sys.platform == "darwin":
        from referral_desktop.policy.managed_preferences import ManagedPreferencesSource

        return [ManagedPreferencesSource(base_dir=folder)]
    return []


def load_policy(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    machine_path: Path | None = None,
    managed_sources: Sequence[PolicySource] | None = None,
) -> Policy:
    """The policy in force.

    ``path`` if given, else ``$REFERRAL_DESKTOP_POLICY``: that file alone. Otherwise the machine policy:
    the machine-wide file, then the settings IT's management tools set (``managed_sources``, by default
    :func:`platform_managed_sources`: the Windows registry or macOS managed preferences), which win
    setting by setting; with neither, the built-in defaults (a sandbox on ``https://127.0.0.1:8443``).

    A machine policy with ``allow_user_policy = false`` cannot be replaced by the first two.
    """
    environ = os.environ if environ is None else environ
    machine = machine_path if machine_path is not None else machine_policy_path()
    managed = platform_managed_sources() if managed_sources is None else list(managed_sources)
    explicit = path if path else environ.get(POLICY_ENV) or None
    if explicit:
        explicit_path = Path(explicit)
        if _same_file(machine, explicit_path) is False:
            machine_file = [FileSource(machine, required=False)] if machine.is_file() else []
            machine_policy = _machine_policy(machine_file + managed)
            if machine_policy is not None and not machine_policy.allow_user_policy:
                where = machine_policy.origin_label("allow_user_policy") or str(machine)
                raise PolicyError(
                    f"{where}: allow_user_policy is false, so this machine's policy cannot be replaced "
                    f"by --policy or {POLICY_ENV}",
                    machine,
                )
        return read_policy_file(explicit_path)
    return _machine_policy([FileSource(machine, required=False), *managed]) or Policy()


def _machine_policy(sources: Sequence[PolicySource]) -> Policy | None:
    layers = [raw for raw in (source.read() for source in sources) if raw is not None]
    return validate_settings(*layers) if layers else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
