"""Which TLS version does a server speak, when it refused ours? (To name it in the message.)

Why: "A secure connection could not be set up" sent IT looking at certificates when the server only spoke
TLS 1.0 or 1.1, which this app refuses (it requires 1.2 or newer). After such a refusal, and only then,
this opens a second connection that accepts the old versions for the handshake alone, reads the version
the server chose and closes it: no certificate is trusted, no request and no byte of a referral is sent.
"""

from __future__ import annotations

import socket
import ssl
import warnings

_NAMES = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3", "SSLv3": "SSL 3.0"}


def offered_protocol(host: str, port: int, timeout: float = 5.0) -> str | None:
    """"TLS 1.1" (say) for the version the server settles on, or None when it cannot be learnt."""
    if not host:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            return None
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            version = tls.version()
    except (OSError, ValueError):
        return None
    return _NAMES.get(version or "", version)
