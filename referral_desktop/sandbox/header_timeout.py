"""uvicorn's HTTP/1.1 protocol, with a bound on the time a client may take to send a request's headers.

Why: uvicorn closes idle kept-alive connections but sets no limit while a request's headers are arriving,
so a client sending a byte every few seconds holds a connection (and a file descriptor) for ever; 300
such connections were all still open after 100 s. A timer starts when a connection opens, and again when
the first byte of each further request on it arrives, and is stopped once h11 has the whole request line
and headers; if it fires first, the connection is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_TIMEOUT = 10.0


class HeaderTimeoutProtocol(H11Protocol):
    header_timeout: float = DEFAULT_HEADER_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    @classmethod
    def with_timeout(cls, seconds: float) -> type[HeaderTimeoutProtocol]:
        """A protocol class for uvicorn's ``http=`` setting with this bound."""
        return type("HeaderTimeoutProtocol", (cls,), {"header_timeout": float(seconds)})

    # The override ignore: uvicorn's own override takes asyncio.Transport, narrower than asyncio's.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and self._header_timer is None:
            self._arm()  # the first bytes of a further request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are all here
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection whose request headers took over %.0f s", self.header_timeout)
            self.transport.close()
