"""The one error type of the policy: every problem as a ``where: setting: message`` line, never a value."""

from __future__ import annotations

from pathlib import Path


class PolicyError(ValueError):
    """The policy is not valid. ``str()`` is one ``file: setting: message`` line per problem;
    ``problems`` holds the lines and ``path`` the file (None for built-in defaults)."""

    def __init__(self, problems: list[str] | str, path: Path | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.path = path
        super().__init__("\n".join(self.problems))


class PolicyUnreadable(PolicyError):
    """The policy file exists (or was named) but could not be read at all."""

