"""One running app per profile: a second start brings the open window forward instead of opening another.

Why: nothing stopped a second copy (a desktop icon clicked twice, or again after the first window was
hidden behind others). Two windows on one store each show the answers as they were when opened, and each
saves a draft's answers whole: typing in the second window put back what the first had since changed, a
draft silently lost. And "Forgotten your passphrase?" in one removed the store the other had open.

How: a lock file in the profile folder (``app.lock``, Qt's QLockFile: it holds the process id, and a lock
left by a process that has ended, killed or crashed, is taken over) is claimed before the first window is
built. The first copy then listens on a local socket named from its profile folder; a second start asks
it to come forward and ends. If the first cannot be reached (it is not responding), the second says why
it will not open instead of ending without a word. Headless commands are not held back: IT runs
``doctor`` or ``send`` beside the open app, and the store serialises them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile
from shiboken6 import isValid

log = logging.getLogger(__name__)

LOCK_FILE = "app.lock"
#: What a second start sends the first (come forward), and the first's answer once it has.
SHOW = b"show\n"
SHOWN = b"shown\n"
ALREADY_OPEN = (
    "Referral Desktop is already open for you on this computer, but it is not responding. Wait a moment and "
    "use the window that is open. A second window is not opened: it could overwrite what you type in the "
    "first. If the open window stays stuck, restart the computer; your drafts are saved as you type."
)


def server_name(profile_dir: Path) -> str:
    """The local socket's name: the same for every start on this profile folder, and free of its path (the
    folder's name carries the user's name, and on Linux the socket is a file in the shared temp folder)."""
    import hashlib  # here: ~3.5 ms (OpenSSL's library) that the first screen does not need

    digest = hashlib.sha256(str(Path(profile_dir).resolve()).encode("utf-8")).hexdigest()[:20]
    return f"referral-desktop-{digest}"


class ProfileInstance:
    """The claim of one profile folder by this process, and (once its window is shown) the listener that
    brings that window forward when the app is started again."""

    def __init__(self, profile_dir: Path) -> None:
        self.profile_dir = Path(profile_dir)
        self._lock = QLockFile(str(self.profile_dir / LOCK_FILE))
        self._lock.setStaleLockTime(0)  # stale only when its process has ended, never by age
        self._server: Any = None
        self._connections: set[Any] = set()

    def claim(self) -> bool:
        """True if this process now holds the profile (none held it, or the one that did has ended)."""
        if not self._lock.tryLock(0):
            return False
        lock_file = self.profile_dir / LOCK_FILE
        if os.name == "posix":  # every file in the profile folder is its owner's only (it holds no answer)
            lock_file.chmod(0o600)
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def listen(self, window: Any) -> None:
        """Bring ``window`` forward whenever the app is started again on this profile (after its first paint:
        QtNetwork is not loaded before the first screen is drawn; the app imports it on its runner's thread
        first, ``ui/app.py``)."""
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self.profile_dir)
        QLocalServer.removeServer(name)  # a socket file left by a copy that was killed (we hold the lock)
        server = QLocalServer(window)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            log.warning("a second start of the app cannot reach this one: %s", server.errorString())
            return
        server.newConnection.connect(lambda: self._asked(server, window))
        self._server = server

    def _asked(self, server: Any, window: Any) -> None:
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            # Held here until it ends, so its Python side (and the slots connected to it) lives as long as
            # the connection, whenever its request comes.
            self._connections.add(connection)
            connection.readyRead.connect(lambda c=connection: self._read(c, window))
            connection.disconnected.connect(lambda c=connection: self._ended(c))
            self._read(connection, window)

    def _ended(self, connection: Any) -> None:
        self._connections.discard(connection)
        if isValid(connection):
            connection.deleteLater()

    @staticmethod
    def _read(connection: Any, window: Any) -> None:
        if not isValid(connection) or not connection.canReadLine():
            return
        if bytes(connection.readLine().data()) == SHOW:
            log.info("the app was started again: its window is brought forward")
            bring_forward(window)
            connection.write(SHOWN)
        connection.disconnectFromServer()  # once what is written has gone


def second_start(profile_dir: Path) -> int:
    """The app started again on a profile another copy holds: that copy's window comes forward and this
    one ends (0); if it cannot be reached, this one says why it will not open (1)."""
    if ask_open_copy_to_come_forward(profile_dir):
        return 0
    from referral_desktop.ui.widgets.message_box import MessageBox

    log.warning("the app is already open on this profile and did not answer a second start")
    print(ALREADY_OPEN, file=sys.stderr, flush=True)
    box = MessageBox(MessageBox.Icon.Warning, "Referral Desktop is already open", ALREADY_OPEN)
    box.setObjectName("alreadyOpen")
    box.exec()
    return 1


def bring_forward(window: Any) -> None:
    """Shown (restored if minimised, shown if hidden in the notification area), raised and activated."""
    from PySide6.QtCore import Qt

    if window.windowState() & Qt.WindowState.WindowMinimized:
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def ask_open_copy_to_come_forward(profile_dir: Path, wait_s: float = 5.0) -> bool:
    """In a second start: ask the copy holding ``profile_dir`` to show its window. False if it cannot be
    reached or does not take the request within ``wait_s`` (it is not responding). A copy still drawing its
    first screen is not listening yet: connecting is tried again until then."""
    import time

    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + wait_s
    while True:
        socket = QLocalSocket()
        socket.connectToServer(server_name(profile_dir))
        if socket.waitForConnected(500):
            break
        socket.abort()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    socket.write(SHOW)
    left_ms = max(1, int((deadline - time.monotonic()) * 1000))
    answered = (socket.waitForBytesWritten(left_ms)
                and (socket.canReadLine() or socket.waitForReadyRead(left_ms))
                and bytes(socket.readLine().data()) == SHOWN)
    socket.abort()
    return bool(answered)
