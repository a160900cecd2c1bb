"""The policy model: every setting IT may fix, its default, its limits and its checks.

- **A pydantic model, frozen, ``extra="forbid"``.** A misspelt setting (``retention_day = 7``) would
  otherwise be ignored silently and the default applied; here it is refused by name. Integers and booleans
  are strict: ``test_deployment = "no"`` is a mistake, not ``False``.
- **Relative paths** (``ca_bundle = "ca.pem"``) are resolved against the ``base_dir`` given in the
  validation context: the policy file's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from referral_desktop.policy.errors import PolicyError, PolicyUnreadable
from referral_desktop.policy.values import MediaType, Pin, PolicyPath, check_api_url

DEFAULT_API_BASE_URL = "https://127.0.0.1:8443"

DEFAULT_ALLOWED_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "text/plain",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PrivacyNoticeSettings(_Frozen):
    """Where the council's current privacy notice is, and its version (recorded on each referral)."""

    url: StrictStr | None = Field(
        title="Privacy notice address", default=None,
        description="Address of the council's current notice (https://), shown as a link."
    )
    file: PolicyPath | None = Field(
        title="Privacy notice file", default=None,
        description="A local copy of the notice (.md, .txt, .html or .pdf) to show and print."
    )
    version: StrictStr | None = Field(
        title="Privacy notice version", default=None,
        description="The notice's version, recorded with each referral; required with url or file."
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
        title="iART API address", default=DEFAULT_API_BASE_URL,
        description="The iART API address. https:// only; http:// only to 127.0.0.1 or localhost.",
    )
    proxy_url: StrictStr | None = Field(
        title="Proxy server", default=None,
        description="HTTP(S) proxy to use (not SOCKS). Unset: the system's proxy settings and HTTPS_PROXY/NO_PROXY.",
    )
    ca_bundle: PolicyPath | None = Field(
        title="Extra CA certificates (PEM file)", default=None,
        description="PEM file of extra CA certificates trusted in addition to the operating system's store.",
    )
    certificate_pins: tuple[Pin, ...] = Field(
        title="Certificate pins", default=(),
        description="SHA-256 pins of the API server's public key (SPKI), as sha256/<base64>. Empty: no pinning.",
    )
    client_cert: PolicyPath | None = Field(
        title="Client certificate (PEM file)", default=None,
        description="PEM client certificate for mutual TLS (may also hold the key)."
    )
    client_key: PolicyPath | None = Field(
        title="Client certificate's private key (PEM file)", default=None,
        description="PEM private key of the client certificate, if not in client_cert."
    )
    bearer_token: SecretStr | None = Field(
        title="API bearer token", default=None,
        description="API bearer token. Prefer bearer_token_file; set one or the other."
    )
    bearer_token_file: PolicyPath | None = Field(
        title="API bearer token file", default=None, description="File holding the API bearer token (first line)."
    )
    request_timeout_seconds: StrictFloat = Field(
        title="Request timeout (seconds)", default=30.0, ge=1, le=300,
        description="Timeout for each API request, in seconds."
    )
    iart_public_key: PolicyPath | None = Field(
        title="iART's public key (payload encryption)", default=None,
        description="iART's public key (JWK or PEM). Set: each referral is encrypted to it (JWE) when frozen.",
    )
    form_signing_key: PolicyPath | None = Field(
        title="Form signing key", default=None,
        description="Public key (JWK or PEM) that form definitions fetched from the server must be signed with.",
    )
    retention_days: StrictInt = Field(
        title="Retention (days)", default=30, ge=1, le=3650,
        description="Days after which a referral's personal data is purged from the device (a receipt stays).",
    )
    auto_lock_minutes: StrictInt = Field(
        title="Auto-lock ceiling (minutes)", default=5, ge=1, le=60,
        description="Idle minutes before the app locks: a ceiling, users may choose less.",
    )
    attachment_max_bytes: StrictInt = Field(
        title="Largest attachment (bytes)", default=20 * 1024 * 1024, ge=1, le=1024 * 1024 * 1024,
        description="Largest attachment, in bytes."
    )
    attachment_allowed_types: tuple[MediaType, ...] = Field(
        title="Allowed attachment types", default=DEFAULT_ALLOWED_TYPES, min_length=1,
        description="Media types allowed as attachments (checked by content, not by name).",
    )
    contacts: dict[str, Any] = Field(
        title="Contact numbers, hours and offices", default_factory=dict,
        description="Overrides of the bundled contact numbers, hours and offices, keyed by id (see README).",
    )
    privacy_notice: PrivacyNoticeSettings = Field(
        title="Privacy notice", default_factory=PrivacyNoticeSettings,
        description="The council's current privacy notice: url, file, version. Unset: the bundled summary.",
    )
    test_deployment: StrictBool = Field(
        title="Test deployment", default=False,
        description="A test deployment: accepts test NHS numbers (999 000 0000 to 999 999 9999)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        title="Log level", default="INFO",
        description="Level of the app's log file (which never holds personal data)."
    )
    allow_user_policy: StrictBool = Field(
        title="Allow a user's own policy", default=True,
        description="Machine-wide policy only: false forbids replacing it with --policy or REFERRAL_DESKTOP_POLICY.",
    )

    _source: Path | None = PrivateAttr(default=None)
    _origins: dict[str, Any] = PrivateAttr(default_factory=dict)  # setting -> RawSettings it came from

    # -- value checks ------------------------------------------------------------------------------

    @field_validator("api_base_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return check_api_url(value)

    @field_validator("proxy_url")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme.lower().startswith("socks"):
            # requests needs an optional extra (PySocks) for SOCKS, which the app does not carry: such a
            # policy would pass the check and then fail every send.
            raise ValueError("SOCKS proxies are not supported: give an HTTP proxy, such as http://proxy.example.org:3128")
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
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

    def origin_label(self, name: str) -> str | None:
        """Where the setting ``name`` was set (a file's path, a registry key); None: its default."""
        origin = self._origins.get(name)
        return origin.label if origin is not None else None

    def origins(self) -> dict[str, tuple[str, str]]:
        """Each setting that was set, with the kind of source (``file``, ``registry``, ``managed
        preferences``) and its label; every other setting has its default."""
        return {name: (origin.kind, origin.label) for name, origin in self._origins.items()}

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

