"""A TCP server on loopback for tests that need something other than the sandbox at the other end (a
proxy, a plain web server on the wrong port): it accepts until closed and hands each connection to
``handle`` on a thread of its own."""

from __future__ import annotations

import socket
import threading


class LoopbackServer:
    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def handle(self, client: socket.socket) -> None:
        """Serve one connection (closed afterwards)."""
        raise NotImplementedError

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle_and_close, args=(client,), daemon=True).start()

    def _handle_and_close(self, client: socket.socket) -> None:
        with client:
            self.handle(client)

    def close(self) -> None:
        self._stop.set()
        self.server.close()
