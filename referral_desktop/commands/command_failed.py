"""The one way a headless command stops with a message: :class:`CommandFailed`.

Why its own module: the passphrase prompt (``passphrase_input``) raises it too, and the store's unlock
(``store_unlock``) imports that prompt. ``cli.main`` turns any that a command does not catch itself into
its one line on stderr and its exit code, never a traceback.
"""

from __future__ import annotations


class CommandFailed(Exception):
    """A command cannot go on: ``message`` for stderr (no personal data) and the process ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
