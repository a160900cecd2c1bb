"""Was it this computer's client certificate that the server dropped the connection over? (To say so.)

Why: with TLS 1.3 a server checks the client's certificate only after the client's side of the handshake
is done. The client has by then usually written its request, and the connection reset (or a bare end of
stream) that follows the server's alert often overtakes the alert itself: requests reports "connection
aborted", and the app said it "could not reach" iART, which sends IT to the firewall while the certificate
is what was refused. After such a drop, and only then, this opens one more connection with the app's own
TLS settings (same trust, same client certificate), completes the handshake, writes nothing and listens
briefly (through the same HTTP proxy, by ``CONNECT``, when the request went through one). A server that
refuses the certificate says so now (nothing is in flight to overtake its alert)
or closes; a server that accepted it waits for a request, and the drop stays a network problem.

Whether the server asked for a certificate at all is read from the handshake messages through CPython's
message hook (``SSLContext._msg_callback``); where that hook is missing, only an alert naming the
certificate counts, so nothing is claimed that was not seen.
"""

from __future__ import annotations

import base64
import socket
import ssl
from typing import Any
from urllib.parse import unquote, urlsplit

from referral_desktop.sync.errors import TlsProblem

#: Words in an alert (or OpenSSL's reason) that name the client's certificate.
CERTIFICATE_ALERT_WORDS = ("certificate required", "bad certificate", "unknown ca", "certificate unknown",
                           "certificate revoked", "certificate expired", "unsupported certificate")

#: How long to wait, after the handshake, for the server to refuse (a server that accepted waits for us).
LISTEN_SECONDS = 2.0


def names_client_certificate(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in CERTIFICATE_ALERT_WORDS)


def _watch_for_certificate_request(context: ssl.SSLContext, asked: list[bool]) -> bool:
    """Hook the handshake messages; False when this Python has no message hook."""
    request_type = getattr(getattr(ssl, "_TLSMessageType", None), "CERTIFICATE_REQUEST", None)
    if request_type is None:
        return False

    def seen(_conn: Any, direction: str, _version: Any, _content: Any, message: Any, _data: bytes) -> None:
        if direction == "read" and message == request_type:
            asked.append(True)

    try:
        context._msg_callback = seen  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        return False
    return True


#: The most of a proxy's answer to CONNECT that is read (its status line and headers).
_PROXY_ANSWER_LIMIT = 16384


def _connect(host: str, port: int, timeout: float, proxy: str | None) -> socket.socket:
    """A TCP connection to ``host:port``, directly or through an HTTP proxy's ``CONNECT`` tunnel."""
    if not proxy:
        return socket.create_connection((host, port), timeout=timeout)
    parts = urlsplit(proxy)
    if parts.scheme != "http" or not parts.hostname:
        raise OSError("only http:// proxies are probed through")
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
    try:
        lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            lines.append("Proxy-Authorization: Basic " + base64.b64encode(pair).decode("ascii"))
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk or len(answer) > _PROXY_ANSWER_LIMIT:
                raise OSError("the proxy closed or answered too much")
            answer += chunk
        status = answer.split(b"\r\n", 1)[0].split()
        if len(status) < 2 or status[1] != b"200":
            raise OSError("the proxy refused the tunnel")
    except BaseException:
        sock.close()
        raise
    return sock


def client_certificate_problem(
    context: ssl.SSLContext, host: str, port: int, timeout: float = 5.0, proxy: str | None = None
) -> TlsProblem | None:
    """``CLIENT_CERTIFICATE`` when the server's alert names the certificate; ``CLIENT_CERTIFICATE_SUSPECTED``
    when it asked for one and then closed without a word; None when neither was seen (the server waited
    for a request, could not be reached, or failed some other way). ``context`` is used for this probe only;
    ``proxy`` is the ``http://`` proxy the request went through, if any."""
    if not host:
        return None
    asked: list[bool] = []
    _watch_for_certificate_request(context, asked)
    try:
        with _connect(host, port, timeout, proxy) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            tls.settimeout(min(timeout, LISTEN_SECONDS))
            try:
                if tls.recv(1):
                    return None  # the server spoke first, in plain data: not a refusal
            except TimeoutError:
                return None  # it waited for a request: the certificate was accepted (or not needed)
    except ssl.SSLCertVerificationError:
        return None  # our side refused the server: the real connection would have said so
    except ssl.SSLError as exc:
        if names_client_certificate(str(exc)):
            return TlsProblem.CLIENT_CERTIFICATE
        if not isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
            return None
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        pass
    except (OSError, ValueError):
        return None  # not reached at all: that is what "could not reach" says
    return TlsProblem.CLIENT_CERTIFICATE_SUSPECTED if asked else None
