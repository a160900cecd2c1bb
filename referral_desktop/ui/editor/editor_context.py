"""What every part of the editor needs to know about the referral being edited, in one small object.

Passed down instead of reaching for globals: the task runner (all store work), the referral id (for
attachments), whether the referral may still be changed, the attachment rules from the deployment
policy, and the clock-derived "today" that date validation uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from referral_desktop.store import DEFAULT_ALLOWED_TYPES, DEFAULT_MAX_BYTES


@dataclass
class EditorContext:
    runner: Any
    referral_id: str
    today: Callable[[], date]
    read_only: bool = False
    test_deployment: bool = False
    # The store's own defaults when no policy is given (tests, screenshots); the policy's otherwise.
    allowed_types: tuple[str, ...] = tuple(DEFAULT_ALLOWED_TYPES)
    max_bytes: int = DEFAULT_MAX_BYTES
    extras: dict[str, Any] = field(default_factory=dict)
    # Answers filled in when their question is first shown (see answer_defaults): field id -> value.
    answer_defaults: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_policy(cls, policy: Any, **kwargs: Any) -> EditorContext:
        """Take the attachment rules and test flag from a ``Policy`` when one is given."""
        if policy is not None:
            types = getattr(policy, "attachment_allowed_types", None)
            if types:
                kwargs.setdefault("allowed_types", tuple(types))
            max_bytes = getattr(policy, "attachment_max_bytes", None)
            if max_bytes:
                kwargs.setdefault("max_bytes", int(max_bytes))
            kwargs.setdefault("test_deployment", bool(getattr(policy, "test_deployment", False)))
        if "answer_defaults" not in kwargs:
            from referral_desktop.ui.editor.answer_defaults import defaults_from_policy

            kwargs["answer_defaults"] = defaults_from_policy(policy)
        return cls(**kwargs)
