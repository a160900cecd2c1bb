"""The sandbox's own certificate authority and server certificate, made with ``cryptography``.

A real HTTPS peer is the point of the sandbox: the client must verify certificates exactly as it will
against iART. So the sandbox makes a private CA on first run, keeps it in ``<data>/tls/`` (keys readable
by the owner only), and issues a server certificate for the loopback names plus whatever host it is told
to bind. Trusting ``<data>/tls/ca.pem`` (policy ``ca_bundle``) is all a client needs. A client
certificate signed by the same CA is made too, for trying mutual TLS.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

log = logging.getLogger(__name__)

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_CA_LIFETIME = timedelta(days=3650)
_LEAF_LIFETIME = timedelta(days=397)
_RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    """Where the PEM files are."""

    ca_cert: Path
    ca_key: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def tls_files(data_dir: Path) -> TlsFiles:
    tls = data_dir / "tls"
    return TlsFiles(
        ca_cert=tls / "ca.pem",
        ca_key=tls / "ca-key.pem",
        server_cert=tls / "server.pem",
        server_key=tls / "server-key.pem",
        client_cert=tls / "client.pem",
        client_key=tls / "client-key.pem",
    )


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _san_entries(names: Iterable[str]) -> list[x509.GeneralName]:
    entries: list[x509.GeneralName] = []
    for name in dict.fromkeys(names):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return entries


def _make_ca(files: TlsFiles, now: datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "iART sandbox test CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(files.ca_key, _key_pem(key))
    files.ca_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    log.info("created the sandbox CA")
    return cert, key


def _load_ca(files: TlsFiles) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return cert, key


def _issue_leaf(
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    common_name: str,
    names: Iterable[str],
    usage: x509.ObjectIdentifier,
    now: datetime,
) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _LEAF_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    sans = _san_entries(names)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.PEM), _key_pem(key)


def _server_cert_fits(path: Path, names: list[str], now: datetime) -> bool:
    if not path.is_file():
        return False
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    if cert.not_valid_after_utc - _RENEW_BEFORE < now:
        return False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return all(entry in san for entry in _san_entries(names))


def ensure_tls_material(
    data_dir: Path,
    extra_names: Iterable[str] = (),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> TlsFiles:
    """Create the CA on first run, and a server certificate covering loopback plus ``extra_names``.

    The CA is kept across runs (clients trust it once); the server certificate is re-issued when it would
    not cover the names asked for or is near its end.
    """
    files = tls_files(data_dir)
    files.ca_cert.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(files.ca_cert.parent, 0o700)
    now = clock()
    if files.ca_cert.is_file() and files.ca_key.is_file():
        ca_cert, ca_key = _load_ca(files)
    else:
        ca_cert, ca_key = _make_ca(files, now)
    names = [*LOOPBACK_NAMES, *(n for n in extra_names if n and n not in ("0.0.0.0", "::"))]
    if not _server_cert_fits(files.server_cert, names, now):
        cert_pem, key_pem = _issue_leaf(
            ca_cert, ca_key, "iART sandbox", names, ExtendedKeyUsageOID.SERVER_AUTH, now
        )
        _write_private(files.server_key, key_pem)
        files.server_cert.write_bytes(cert_pem)
        log.info("issued the sandbox server certificate for %d names", len(names))
    if not files.client_cert.is_file():
        cert_pem, key_pem = _issue_leaf(
            ca_cert, ca_key, "referral-desktop test client", (), ExtendedKeyUsageOID.CLIENT_AUTH, now
        )
        _write_private(files.client_key, key_pem)
        files.client_cert.write_bytes(cert_pem)
    return files
