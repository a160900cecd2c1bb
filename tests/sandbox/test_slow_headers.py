"""The sandbox bounds the time a client may take to send a request's headers (slowloris).

Before: 300 connections sending a byte every 10 s were all still open after 100 s. Now a connection whose
headers are not complete within ``--header-timeout`` seconds is closed; ordinary requests are unaffected,
and the bound applies again to each request on a kept-alive connection.
"""

from __future__ import annotations

import socket
import ssl
import time
from urllib.parse import urlsplit


def _tls_connection(sandbox) -> ssl.SSLSocket:
    parts = urlsplit(sandbox.url)
    context = ssl.create_default_context(cafile=str(sandbox.ca_file))
    raw = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return context.wrap_socket(raw, server_hostname=parts.hostname)


def _dribble_until_closed(conn: ssl.SSLSocket, text: bytes, every: float, limit: float) -> float | None:
    """Send ``text`` a byte at a time; seconds until the server closed the connection (None: it did not)."""
    started = time.monotonic()
    conn.settimeout(every)
    for byte in text:
        if time.monotonic() - started > limit:
            return None
        try:
            conn.sendall(bytes([byte]))
            if conn.recv(1) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except (OSError, ssl.SSLError):
            return time.monotonic() - started
    return None


def test_slow_headers_are_cut_off_and_normal_requests_still_work(fresh_sandbox):
    sandbox = fresh_sandbox("--header-timeout", "1.5")
    slow = [_tls_connection(sandbox) for _ in range(3)]
    request = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    closed_after = [_dribble_until_closed(conn, request, every=0.25, limit=8) for conn in slow]
    assert all(after is not None and after < 6 for after in closed_after), closed_after
    response = sandbox.session().get(f"{sandbox.url}/v1/health", timeout=10)
    assert response.status_code == 200


def test_each_request_on_a_kept_alive_connection_is_bounded_too(fresh_sandbox):
    sandbox = fresh_sandbox("--header-timeout", "1.5")
    conn = _tls_connection(sandbox)
    conn.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    conn.settimeout(10)
    first = conn.recv(65536)
    assert first.startswith(b"HTTP/1.1 200")
    after = _dribble_until_closed(conn, b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"b" * 200, 0.25, 8)
    assert after is not None and after < 6
