"""Writing a file whole and readable by its owner only: the one way the app puts a file in place.

Why one place: the store's small JSON files, the verified form updates and the PDFs a professional saves
were each written by a copy of the same steps, and the PDF's first version skipped them (QPdfWriter wrote
straight to the chosen name and said nothing when the disk refused part of it). The steps: a new file
beside the target, created 0600 before any byte is written (never readable by others, not even for a
moment), written whole, flushed to disk, then renamed over the target; on any failure it is removed and
the error raised, so the target is either the old file, untouched, or the new one, whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Put ``data`` at ``path`` whole (0600), or raise ``OSError`` leaving ``path`` as it was.

    ``durable`` flushes the new file to disk before it is renamed into place; files rewritten on every
    unlock that are read as "unknown" when missing skip it. The folder itself is the caller's: this never
    changes its permissions (a PDF goes where the professional chose)."""
    path = Path(path)
    # A name of its own for each writer: two processes writing the same file must not share one.
    descriptor, partial_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    partial = Path(partial_name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            if durable:
                os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
