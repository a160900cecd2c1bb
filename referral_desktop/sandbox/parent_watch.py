"""Stop the sandbox when the program that started it is gone, and remove that program's folder.

Why: ``referral-desktop --demo`` starts the sandbox as a child process in a throwaway folder (profile,
sandbox data, demo policy). When the app ends normally it stops the child and deletes the folder
itself; when it is killed (SIGKILL) or crashes hard it can do neither, and a server would be left
listening with a folder of demo referrals on disk. So the child watches its parent: once the parent
process has gone (checked every second, which costs a demo server nothing), it shuts down and deletes
the folder it was given. POSIX only: installed Windows builds do not include the sandbox.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 1.0


def parent_is_alive(parent_pid: int) -> bool:
    """True while ``parent_pid`` is still our parent (an orphan is re-parented, so its ppid changes)."""
    if os.getppid() != parent_pid:
        return False
    try:
        os.kill(parent_pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class ParentWatch:
    parent_pid: int
    remove_on_orphan: Path | None = None
    orphaned: bool = False

    async def watch(self, stop: Callable[[], None]) -> None:
        """Poll until the parent is gone, then call ``stop()`` (uvicorn's graceful shutdown)."""
        while parent_is_alive(self.parent_pid):
            await asyncio.sleep(CHECK_EVERY_SECONDS)
        self.orphaned = True
        log.warning("the program that started the sandbox has gone; stopping")
        stop()

    def clean_up(self) -> None:
        """After the server stopped: delete the parent's folder, if the parent died without doing so."""
        if self.orphaned and self.remove_on_orphan is not None:
            shutil.rmtree(self.remove_on_orphan, ignore_errors=True)
