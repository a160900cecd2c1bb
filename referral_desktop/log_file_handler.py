"""The log file's handler, built at the first record (see ``logging_setup``): a rotating file created
0600, with the personal-data filter (``log_redaction``) on it.

Kept apart from ``logging_setup`` so that neither ``logging.handlers`` nor the filter's patterns are
imported by a command that never logs.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

from referral_desktop.log_redaction import PersonalDataFilter


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created 0600 (rotation renames, keeping the mode)."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOINHERIT", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # an older file with a wider mode is tightened
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def private_rotating_file(path: Path, max_bytes: int, backup_count: int, line_format: str) -> logging.Handler:
    """The rotating file at ``path`` (opened now; OSError if it cannot be), formatted and filtered."""
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=False
    )
    handler.setFormatter(logging.Formatter(line_format))
    handler.addFilter(PersonalDataFilter())
    return handler
