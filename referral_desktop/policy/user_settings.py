"""The user's own choices, and what the app applies once the policy bounds them.

The user never overrides policy: :class:`UserSettings` holds the user's own choices and
:func:`effective_settings` bounds them by the policy (the user may lock sooner, never later).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from referral_desktop.policy.model import Policy


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

