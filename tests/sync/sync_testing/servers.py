"""Small real servers on 127.0.0.1 for the transport tests: HTTPS (or plain HTTP) with trustme
certificates, recording every request that reached the application layer, so a test can assert that
*nothing was sent*; and a CONNECT proxy that counts the tunnels it opened."""

from __future__ import annotations

import select
import socket
import socketserver
import ssl
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False  # send without Content-Length
    close_without_answer: bool = False


Responder = Callable[[Recorded], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        self.server.connections += 1
        if self.server.tls_context is not None:
            try:
                self.request = self.server.tls_context.wrap_socket(self.request, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                self.server.handshake_failures.append(repr(exc))
                raise
            self.server.handshakes += 1
            if self.server.drop_without_client_certificate and not self.request.getpeercert():
                self.server.dropped += 1  # as some servers do: no alert, no answer, the connection just ends
                self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.request.close()
                raise ConnectionAbortedError("no client certificate")
        self.connection = self.request
        super().setup()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        rec = Recorded(self.command, self.path, {k: v for k, v in self.headers.items()}, body)
        self.server.recorded.append(rec)
        reply = self.server.responder(rec)
        if reply.close_without_answer:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunked:
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, responder: Responder, tls_context: ssl.SSLContext | None) -> None:
        self.responder = responder
        self.tls_context = tls_context
        self.recorded: list[Recorded] = []
        self.connections = 0
        self.handshakes = 0
        self.handshake_failures: list[str] = []
        self.drop_without_client_certificate = False
        self.dropped = 0
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # failed handshakes are expected in these tests


class TestServer:
    """Start with a responder; ``url`` is ``https://127.0.0.1:PORT`` (or http when no TLS)."""

    __test__ = False

    def __init__(self, responder: Responder, tls_context: ssl.SSLContext | None = None) -> None:
        self._server = _Server(responder, tls_context)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        scheme = "https" if self._server.tls_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def recorded(self) -> list[Recorded]:
        return self._server.recorded

    @property
    def handshakes(self) -> int:
        return self._server.handshakes

    @property
    def connections(self) -> int:
        return self._server.connections

    @property
    def dropped(self) -> int:
        return self._server.dropped

    def drop_without_client_certificate(self) -> None:
        """Reset, without an alert, every connection that completed the handshake without a client
        certificate (the context must ask for one: ``ask_client_cert_from``)."""
        self._server.drop_without_client_certificate = True

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def server_tls_context(leaf_cert, *, require_client_cert_from=None, ask_client_cert_from=None,  # noqa: ANN001
                       tls13_only=False) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf_cert.configure_cert(ctx)
    if require_client_cert_from is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        require_client_cert_from.configure_trust(ctx)
    elif ask_client_cert_from is not None:  # asks, but lets the handler decide what to do without one
        ctx.verify_mode = ssl.CERT_OPTIONAL
        ask_client_cert_from.configure_trust(ctx)
    if tls13_only:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx


class _ProxyHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode()
        method, target, _ = line.split(" ", 2)
        if method != "CONNECT":
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        self.server.tunnels.append(target)  # type: ignore[attr-defined]
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        sockets = [self.request, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 5)
                if not readable:
                    return
                for s in readable:
                    chunk = s.recv(65536)
                    if not chunk:
                        return
                    (upstream if s is self.request else self.request).sendall(chunk)
        finally:
            upstream.close()


class ConnectProxy:
    """An HTTP proxy that supports CONNECT only and remembers each tunnel's target."""

    def __init__(self) -> None:
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _ProxyHandler)
        self._server.daemon_threads = True
        self._server.tunnels = []  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def tunnels(self) -> list[str]:
        return self._server.tunnels  # type: ignore[attr-defined]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
