"""The machine-wide deployment policy IT writes, and the user settings it bounds.

IT departments deploy the app to hundreds of managed laptops and fix, per organisation, where referrals
go and how (endpoint, certificates, pins, client certificate, token, iART's public key), how long data
stays on the device, how soon an idle app locks, what may be attached, and the contact numbers
(PRODUCT.md §5 and §7). They write it as one TOML file; the app reads it once in ``main()``.

Design choices, and why:

- **A pydantic model, frozen, ``extra="forbid"``.** A misspelt setting (``retention_day = 7``) would
  otherwise be ignored silently and the default applied; here it is refused by name. Integers and booleans
  are strict: ``test_deployment = "no"`` is a mistake, not ``False``.
- **Errors name the file and the setting** (``/etc/referral-desktop/policy.toml: retention_days: must be
  at least 1``), one line per problem, never a pydantic dump or a traceback, and never the value (a policy
  may hold a bearer token).
- **Where the file is.** :func:`load_policy` takes, in order: an explicit path (``--policy FILE``), the
  environment variable ``REFERRAL_DESKTOP_POLICY``, then the machine-wide file (:func:`machine_policy_path`):
  ``/etc/referral-desktop/policy.toml`` on Linux (a fixed path, not ``$XDG_CONFIG_DIRS``, which a user
  can change), ``%ProgramData%\\ReferralDesktop\\policy.toml`` on Windows and
  ``/Library/Application Support/ReferralDesktop/policy.toml`` on macOS. No file anywhere means the
  built-in defaults, which point at a local sandbox (``https://127.0.0.1:8443``).
  Because a user can set an environment variable, a machine-wide policy can forbid the first two with
  ``allow_user_policy = false``.
- **Relative paths** in the file (``ca_bundle = "ca.pem"``) are relative to the policy file's folder.
- **Files are checked separately** (:func:`check_referenced_files`): loading validates the settings
  themselves, so a policy prepared on another machine can be checked there; ``policy check`` also
  checks that the files it names are present and look right.
- **The user never overrides policy**: :class:`UserSettings` holds the user's own choices and
  :func:`effective_settings` bounds them by the policy (the user may lock sooner, never later).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from referral_desktop.domain.data_file_errors import describe_errors

APP_NAME = "ReferralDesktop"
POLICY_ENV = "REFERRAL_DESKTOP_POLICY"
POLICY_FILE_NAME = "policy.toml"
LINUX_POLICY_PATH = Path("/etc/referral-desktop/policy.toml")
DEFAULT_API_BASE_URL = "https://127.0.0.1:8443"

DEFAULT_ALLOWED_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "text/plain",
)


class PolicyError(ValueError):
    """The policy is not valid. ``str()`` is one ``file: setting: message`` line per problem;
    ``problems`` holds the lines and ``path`` the file (None for built-in defaults)."""

    def __init__(self, problems: list[str] | str, path: Path | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.path = path
        super().__init__("\n".join(self.problems))


class PolicyUnreadable(PolicyError):
    """The policy file exists (or was named) but could not be read at all."""


# ------------------------------------------------------------------------------------- value checks


def is_loopback_host(host: str | None) -> bool:
    """True for localhost and loopback addresses: the only hosts plain http:// may reach (a local sandbox)."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_api_url(value: str) -> str:
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("must be an https:// address, such as https://iart.example.gov.uk/api")
    if scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError("must use https:// (plain http:// is allowed only to 127.0.0.1 or localhost)")
    if parts.username or parts.password:
        raise ValueError("must not contain a user name or password (use bearer_token_file)")
    if parts.query or parts.fragment:
        raise ValueError("must not contain ? or # parts")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    return value.strip().rstrip("/")


def pin_digest(value: str) -> bytes:
    """The raw SHA-256 digest of a certificate pin written as ``sha256/<base64>`` (the HPKP / curl form),
    bare base64, or 64 hex digits (colons allowed); ``ValueError`` for anything else."""
    text = value.strip()
    if text.lower().startswith("sha256/"):
        text = text[7:]
    digest: bytes | None = None
    hex_text = text.replace(":", "")
    if len(hex_text) == 64:
        try:
            digest = bytes.fromhex(hex_text)
        except ValueError:
            digest = None
    if digest is None:
        try:
            digest = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            digest = None
    if digest is None or len(digest) != 32:
        raise ValueError(
            "must be the SHA-256 of a server's public key (SPKI), as sha256/<base64> (44 characters) "
            "or 64 hex digits"
        )
    return digest


def _normalise_pin(value: str) -> str:
    return "sha256/" + base64.b64encode(pin_digest(value)).decode("ascii")


def _resolve_path(value: Any, info: ValidationInfo) -> Any:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise ValueError("must be a file path in quotes")
    text = os.fspath(value)
    if not str(text).strip():
        raise ValueError("must not be empty (leave the setting out instead)")
    path = Path(text)
    base_dir = (info.context or {}).get("base_dir") if info.context else None
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


PolicyPath = Annotated[Path, BeforeValidator(_resolve_path)]

_MIME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-")


def _check_mime(value: str) -> str:
    text = value.strip().lower()
    kind, slash, sub = text.partition("/")
    if not slash or not kind or not sub or not set(kind) <= _MIME_CHARS or not set(sub) <= _MIME_CHARS:
        raise ValueError("must be a media type such as application/pdf")
    return text


Pin = Annotated[StrictStr, AfterValidator(_normalise_pin)]
MediaType = Annotated[StrictStr, AfterValidator(_check_mime)]

# ------------------------------------------------------------------------------------------- models


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PrivacyNoticeSettings(_Frozen):
    """Where the council's current privacy notice is, and its version (recorded on each referral)."""

    url: StrictStr | None = Field(
        default=None, description="Address of the council's current notice (https://), shown as a link."
    )
    file: PolicyPath | None = Field(
        default=None, description="A local copy of the notice (.md, .txt, .html or .pdf) to show and print."
    )
    version: StrictStr | None = Field(
        default=None, description="The notice's version, recorded with each referral; required with url or file."
    )

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value.strip())
            if parts.scheme.lower() != "https" or not parts.hostname:
                raise ValueError("must be an https:// address")
        return value

    @field_validator("version")
    @classmethod
    def _version_needed(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty")
        return value

    @model_validator(mode="after")
    def _version_with_source(self) -> PrivacyNoticeSettings:
        if (self.url or self.file) and not self.version:
            raise ValueError("version: is required when url or file is set (it is recorded on each referral)")
        return self


class Policy(_Frozen):
    """The deployment policy. Every setting is optional; the defaults suit a developer's machine with the
    sandbox running on loopback."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Referral Desktop deployment policy")

    api_base_url: StrictStr = Field(
        default=DEFAULT_API_BASE_URL,
        description="The iART API address. https:// only; http:// only to 127.0.0.1 or localhost.",
    )
    proxy_url: StrictStr | None = Field(
        default=None,
        description="HTTP(S) proxy to use. Unset: the system's proxy settings and HTTPS_PROXY/NO_PROXY.",
    )
    ca_bundle: PolicyPath | None = Field(
        default=None,
        description="PEM file of extra CA certificates trusted in addition to the operating system's store.",
    )
    certificate_pins: tuple[Pin, ...] = Field(
        default=(),
        description="SHA-256 pins of the API server's public key (SPKI), as sha256/<base64>. Empty: no pinning.",
    )
    client_cert: PolicyPath | None = Field(
        default=None, description="PEM client certificate for mutual TLS (may also hold the key)."
    )
    client_key: PolicyPath | None = Field(
        default=None, description="PEM private key of the client certificate, if not in client_cert."
    )
    bearer_token: SecretStr | None = Field(
        default=None, description="API bearer token. Prefer bearer_token_file; set one or the other."
    )
    bearer_token_file: PolicyPath | None = Field(
        default=None, description="File holding the API bearer token (first line)."
    )
    request_timeout_seconds: StrictFloat = Field(
        default=30.0, ge=1, le=300, description="Timeout for each API request, in seconds."
    )
    iart_public_key: PolicyPath | None = Field(
        default=None,
        description="iART's public key (JWK or PEM). Set: each referral is encrypted to it (JWE) when frozen.",
    )
    form_signing_key: PolicyPath | None = Field(
        default=None,
        description="Public key (JWK or PEM) that form definitions fetched from the server must be signed with.",
    )
    retention_days: StrictInt = Field(
        default=30, ge=1, le=3650,
        description="Days after which a referral's personal data is purged from the device (a receipt stays).",
    )
    auto_lock_minutes: StrictInt = Field(
        default=5, ge=1, le=60,
        description="Idle minutes before the app locks: a ceiling, users may choose less.",
    )
    attachment_max_bytes: StrictInt = Field(
        default=20 * 1024 * 1024, ge=1, le=1024 * 1024 * 1024, description="Largest attachment, in bytes."
    )
    attachment_allowed_types: tuple[MediaType, ...] = Field(
        default=DEFAULT_ALLOWED_TYPES, min_length=1,
        description="Media types allowed as attachments (checked by content, not by name).",
    )
    contacts: dict[str, Any] = Field(
        default_factory=dict,
        description="Overrides of the bundled contact numbers, hours and offices, keyed by id (see README).",
    )
    privacy_notice: PrivacyNoticeSettings = Field(
        default_factory=PrivacyNoticeSettings,
        description="The council's current privacy notice: url, file, version. Unset: the bundled summary.",
    )
    test_deployment: StrictBool = Field(
        default=False, description="A test deployment: accepts test NHS numbers (999 000 0000 to 999 999 9999)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Level of the app's log file (which never holds personal data)."
    )
    allow_user_policy: StrictBool = Field(
        default=True,
        description="Machine-wide policy only: false forbids replacing it with --policy or REFERRAL_DESKTOP_POLICY.",
    )

    _source: Path | None = PrivateAttr(default=None)

    # -- value checks ------------------------------------------------------------------------------

    @field_validator("api_base_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return _check_api_url(value)

    @field_validator("proxy_url")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
            raise ValueError("must be a proxy address such as http://proxy.example.org:3128")
        return value.strip()

    @field_validator("certificate_pins", "attachment_allowed_types")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("client_key")
    @classmethod
    def _key_needs_cert(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is not None and info.data.get("client_cert") is None and "client_cert" not in _failed(info):
            raise ValueError("needs client_cert as well")
        return value

    @field_validator("bearer_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("must not be empty (leave the setting out instead)")
        return value

    @field_validator("bearer_token_file")
    @classmethod
    def _one_token(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is not None and info.data.get("bearer_token") is not None:
            raise ValueError("set bearer_token or bearer_token_file, not both")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_any_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("contacts")
    @classmethod
    def _contacts(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value:
            from referral_desktop.domain.contacts import ContactsError, load_contacts

            try:
                load_contacts(value)
            except ContactsError as exc:
                raise ValueError("; ".join(exc.problems)) from None
        return value

    # -- derived values ----------------------------------------------------------------------------

    @property
    def source(self) -> Path | None:
        """The file this policy was read from (None: built-in defaults)."""
        return self._source

    @property
    def connect_timeout(self) -> float:
        """Seconds to wait for a connection (the transport reads this by name)."""
        return min(10.0, self.request_timeout_seconds)

    @property
    def read_timeout(self) -> float:
        """Seconds to wait for a response (the transport reads this by name)."""
        return self.request_timeout_seconds

    def read_bearer_token(self) -> str | None:
        """The bearer token, from the policy or the file it names (None if neither). Raises
        :class:`PolicyUnreadable` naming the setting if the file cannot be read."""
        if self.bearer_token is not None:
            return self.bearer_token.get_secret_value().strip()
        if self.bearer_token_file is None:
            return None
        try:
            lines = self.bearer_token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            raise PolicyUnreadable(f"{self._where()}bearer_token_file: the file cannot be read", self._source) from None
        token = lines[0].strip() if lines else ""
        if not token:
            raise PolicyError(f"{self._where()}bearer_token_file: the file is empty", self._source)
        return token

    def _where(self) -> str:
        return f"{self._source}: " if self._source else ""


def _failed(info: ValidationInfo) -> set[str]:
    # Fields that failed validation are absent from info.data; do not blame a second field for them.
    return set(Policy.model_fields) - set(info.data) - {info.field_name or ""}


# ----------------------------------------------------------------------------------------- loading


def machine_policy_path() -> Path:
    """Where IT (or the installer) puts the machine-wide policy on this platform."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / POLICY_FILE_NAME
    return LINUX_POLICY_PATH


def read_policy_file(path: str | os.PathLike[str]) -> Policy:
    """Read and validate one policy file. Raises :class:`PolicyUnreadable` (missing, not a file, no
    permission) or :class:`PolicyError` (not TOML, or a setting is wrong), each naming the file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise PolicyUnreadable(f"{path}: no such file", path) from None
    except IsADirectoryError:
        raise PolicyUnreadable(f"{path}: is a folder, not a policy file", path) from None
    except OSError as exc:
        raise PolicyUnreadable(f"{path}: cannot be read ({exc.strerror or 'unreadable'})", path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: is not UTF-8 text", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: is not valid TOML: {exc}", path) from None
    return policy_from_mapping(data, path=path)


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
    if machine.exists():
        return read_policy_file(machine)
    return Policy()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


# ------------------------------------------------------------------------------- file-level checks


def check_referenced_files(policy: Policy) -> list[str]:
    """Problems with the files the policy names (missing, unreadable, not the right kind), one
    ``file: setting: message`` line each. Never repeats a file's content."""
    where = f"{policy.source}: " if policy.source else ""
    problems: list[str] = []

    def check(setting: str, path: Path | None, looks_right: Any = None, what: str = "") -> None:
        if path is None:
            return
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            problems.append(f"{where}{setting}: the file {path} does not exist")
            return
        except OSError as exc:
            problems.append(f"{where}{setting}: the file {path} cannot be read ({exc.strerror or 'unreadable'})")
            return
        if not text.strip():
            problems.append(f"{where}{setting}: the file {path} is empty")
        elif looks_right is not None and not looks_right(text):
            problems.append(f"{where}{setting}: the file {path} does not look like {what}")

    def pem(*labels: str):
        return lambda data: any(f"-----BEGIN {label}".encode() in data for label in labels)

    def key_file(data: bytes) -> bool:
        if pem("PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE", "EC PUBLIC KEY")(data):
            return True
        try:
            parsed = json.loads(data)
        except ValueError:
            return False
        return isinstance(parsed, dict) and ("kty" in parsed or "keys" in parsed)

    check("ca_bundle", policy.ca_bundle, pem("CERTIFICATE"), "PEM certificates")
    check("client_cert", policy.client_cert, pem("CERTIFICATE"), "a PEM certificate")
    check("client_key", policy.client_key, pem("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"), "a PEM private key")
    check("bearer_token_file", policy.bearer_token_file)
    check("iart_public_key", policy.iart_public_key, key_file, "a public key (JWK or PEM)")
    check("form_signing_key", policy.form_signing_key, key_file, "a public key (JWK or PEM)")
    check("privacy_notice.file", policy.privacy_notice.file)
    return problems


def policy_schema() -> dict[str, Any]:
    """JSON Schema of the policy file, for IT's configuration tools."""
    schema = Policy.model_json_schema(mode="validation")
    schema["description"] = (
        "Machine-wide policy of Referral Desktop, written as TOML. Relative paths are relative to the "
        "policy file's folder."
    )
    return schema


# ----------------------------------------------------------------------------------- user settings


class UserSettings(BaseModel):
    """The user's own choices (kept by the UI; numbers and flags only, never personal data). Unknown keys
    from other versions are ignored, and out-of-range values are bounded rather than refused."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    auto_lock_minutes: int | None = Field(
        default=None, description="Lock sooner than the policy's ceiling; None: the ceiling."
    )


class EffectiveSettings(BaseModel):
    """What the app actually applies: the policy, with the user's choices where the policy allows them."""

    model_config = ConfigDict(frozen=True)

    auto_lock_minutes: int
    auto_lock_ceiling: int
    retention_days: int
    attachment_max_bytes: int
    attachment_allowed_types: tuple[str, ...]
    test_deployment: bool
    log_level: str


def effective_settings(policy: Policy | None, user: UserSettings | None = None) -> EffectiveSettings:
    """The policy's settings, with the user's choices applied only where they are stricter: the user may
    lock the app sooner than the policy's ceiling, never later."""
    policy = policy if policy is not None else Policy()
    user = user if user is not None else UserSettings()
    ceiling = policy.auto_lock_minutes
    chosen = user.auto_lock_minutes if user.auto_lock_minutes is not None else ceiling
    return EffectiveSettings(
        auto_lock_minutes=max(1, min(int(chosen), ceiling)),
        auto_lock_ceiling=ceiling,
        retention_days=policy.retention_days,
        attachment_max_bytes=policy.attachment_max_bytes,
        attachment_allowed_types=policy.attachment_allowed_types,
        test_deployment=policy.test_deployment,
        log_level=policy.log_level,
    )


# ---------------------------------------------------------------------------------- documentation


def _type_label(prop: dict[str, Any]) -> str:
    if "anyOf" in prop:
        labels = [_type_label(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(labels)
    if "$ref" in prop:
        return "table"
    if "enum" in prop:
        return " / ".join(f'"{v}"' for v in prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type_label(prop.get('items', {}))}"
    if kind == "string":
        fmt = prop.get("format")
        return {"path": "path", "password": "text (secret)"}.get(fmt, "text")
    return {"integer": "integer", "number": "number", "boolean": "true / false", "object": "table"}.get(
        kind or "", kind or "any"
    )


def _default_label(name: str) -> str:
    field = Policy.model_fields[name]
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "(unset)"
        return "{}" if value == {} else repr(value)
    value = field.default
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]" if value else "[]"
    return str(value)


def policy_reference_markdown() -> str:
    """The README's table of settings, generated from the model (a test keeps the README in step)."""
    schema = Policy.model_json_schema()
    props = schema["properties"]
    lines = ["| setting | type | default | what it does |", "| --- | --- | --- | --- |"]
    for name, field in Policy.model_fields.items():
        prop = props[name]
        label = _type_label(prop)
        if name == "privacy_notice":
            label = "table (url, file, version)"
        if name == "log_level":
            label = "DEBUG / INFO / WARNING / ERROR"
        limits = []
        for meta in field.metadata:
            for attr, word in (("ge", "≥"), ("le", "≤")):
                if getattr(meta, attr, None) is not None:
                    limits.append(f"{word} {getattr(meta, attr)}")
        if limits:
            label += f" ({', '.join(limits)})"
        default = _default_label(name).replace("|", "\\|")
        if name == "attachment_allowed_types":
            default = "PDF, PNG, JPEG, DOCX, ODT, plain text"
        lines.append(f"| `{name}` | {label} | {default} | {field.description} |")
    return "\n".join(lines) + "\n"
