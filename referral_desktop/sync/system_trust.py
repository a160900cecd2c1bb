"""The certificates the app trusts: the operating system's store, never one a user's environment names.

Why a module of its own: which store is "the system's" differs per platform, and on Linux the obvious
call (OpenSSL's default paths, which ``truststore`` uses there) reads ``SSL_CERT_FILE``/``SSL_CERT_DIR``
from the environment, replacing the store. Like ``REQUESTS_CA_BUNDLE`` (ignored in ``transport``), those
must not change what the app trusts: the policy's ``ca_bundle`` is the one way to add trust.
"""

from __future__ import annotations

import logging
import os
import ssl
import sys

import truststore

log = logging.getLogger(__name__)

#: Where Linux distributions keep the system's CA bundle (truststore's list), after OpenSSL's built-in path.
_SYSTEM_CA_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora, RHEL
    "/etc/pki/tls/cert.pem",
    "/etc/ssl/cert.pem",  # Alpine, Arch
    "/etc/ssl/ca-bundle.pem",  # SUSE
)


def system_trust_context() -> ssl.SSLContext:
    """A client context that trusts what the operating system trusts, and nothing a user's environment adds.

    Windows and macOS: ``truststore`` asks the OS to verify (its own store, where IT's TLS-inspection CA
    goes). Linux: truststore only calls OpenSSL's ``set_default_verify_paths``, which reads
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` from the environment *instead of* the system store, so anyone who
    can set an environment variable could make the app send referrals and the token to an impostor. There
    the system bundle is loaded from OpenSSL's compiled-in paths (never the environment) or the
    distributions' usual places.
    """
    if sys.platform in ("win32", "darwin"):
        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    loaded = False
    for cafile in (paths.openssl_cafile, *_SYSTEM_CA_FILES):
        if cafile and os.path.isfile(cafile):
            ctx.load_verify_locations(cafile=cafile)
            loaded = True
            break
    if paths.openssl_capath and os.path.isdir(paths.openssl_capath):
        ctx.load_verify_locations(capath=paths.openssl_capath)
        loaded = True
    if not loaded:
        log.warning("no system certificate store found; only the policy's ca_bundle is trusted")
    return ctx
