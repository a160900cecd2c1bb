"""The transport against real TLS servers on 127.0.0.1: what is trusted, what is refused (with which
message), and that a refusal sends nothing."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import time

import pytest
import requests
import trustme
from sync_testing.servers import ConnectProxy, Reply, server_tls_context

from referral_desktop.sync.allowed_urls import check_url_allowed
from referral_desktop.sync.certificate_pins import parse_pins, spki_pin
from referral_desktop.sync.errors import (
    NetworkError,
    RequestTimedOut,
    ResponseTooLarge,
    TlsError,
    TlsProblem,
    TransportRefused,
)
from referral_desktop.sync.transport import build_session, read_limited
from referral_desktop.sync.transport_settings import TransportSettings


def ok(_rec):
    return Reply(200, b'{"ok": true}', {"Content-Type": "application/json"})


@pytest.fixture
def tls_server(ca, start_server):
    return start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1", "localhost")))


def post(session, url, body=b"SECRET-BODY"):
    return session.post(url + "/v1/x", data=body)


# ------------------------------------------------------------------------------------------- trust


def test_trusted_through_policy_ca_bundle(tls_server, ca_bundle):
    session = build_session(TransportSettings(tls_server.url, ca_bundle=ca_bundle))
    response = post(session, tls_server.url)
    assert response.status_code == 200
    assert tls_server.recorded[0].body == b"SECRET-BODY"


def test_untrusted_ca_is_refused_and_nothing_is_sent(tls_server):
    session = build_session(TransportSettings(tls_server.url))
    with pytest.raises(TlsError) as info:
        post(session, tls_server.url)
    assert info.value.problem is TlsProblem.UNTRUSTED_CA
    assert "does not trust" in info.value.message and "ca_bundle" in info.value.message
    assert tls_server.recorded == []


def test_requests_ca_bundle_env_does_not_add_trust(tls_server, ca_bundle, monkeypatch):
    """REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE are a user's environment: they neither add trust..."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(ca_bundle))
    session = build_session(TransportSettings(tls_server.url))
    with pytest.raises(TlsError):
        post(session, tls_server.url)
    assert tls_server.recorded == []


def test_requests_ca_bundle_env_does_not_replace_policy_trust(tls_server, ca_bundle, tmp_path, monkeypatch):
    """...nor take away the trust the policy gives (in plain requests it would replace it)."""
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other))
    session = build_session(TransportSettings(tls_server.url, ca_bundle=ca_bundle))
    assert post(session, tls_server.url).status_code == 200


def test_ssl_cert_file_env_does_not_add_trust(tls_server, ca_bundle, monkeypatch):
    """SSL_CERT_FILE pointing at an impostor's CA must not make the app trust the impostor (OpenSSL, and
    truststore on Linux, would otherwise read it instead of the system's store)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_bundle))
    session = build_session(TransportSettings(tls_server.url))
    with pytest.raises(TlsError) as info:
        post(session, tls_server.url)
    assert info.value.problem is TlsProblem.UNTRUSTED_CA
    assert tls_server.recorded == []


def test_ssl_cert_dir_env_does_not_add_trust(tls_server, ca, tmp_path, monkeypatch):
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to name a hashed certificate folder")
    folder = tmp_path / "certs"
    folder.mkdir()
    ca.cert_pem.write_to_path(str(folder / "rogue.pem"))
    subject_hash = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(folder / "rogue.pem")],
                                  capture_output=True, text=True, check=True).stdout.strip()
    (folder / f"{subject_hash}.0").write_bytes((folder / "rogue.pem").read_bytes())
    monkeypatch.setenv("SSL_CERT_DIR", str(folder))
    session = build_session(TransportSettings(tls_server.url))
    with pytest.raises(TlsError):
        post(session, tls_server.url)
    assert tls_server.recorded == []


def test_ssl_cert_env_does_not_take_away_the_systems_trust(tmp_path, monkeypatch):
    """Pointing SSL_CERT_FILE/DIR at an empty place leaves the system's store in force."""
    from referral_desktop.sync.secure_adapter import build_ssl_context

    empty = tmp_path / "empty.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    context = build_ssl_context(TransportSettings("https://iart.example.org"))
    assert context.cert_store_stats()["x509_ca"] > 10 or context.get_ca_certs() or _system_store_is_a_folder()


def _system_store_is_a_folder() -> bool:
    import ssl

    return not ssl.get_default_verify_paths().openssl_cafile


def test_wrong_host_name_is_refused(ca, ca_bundle, start_server):
    server = start_server(ok, server_tls_context(ca.issue_cert("api.iart.example")))
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    with pytest.raises(TlsError) as info:
        post(session, server.url)
    assert info.value.problem is TlsProblem.WRONG_HOST
    assert "not valid for the name 127.0.0.1" in info.value.message
    assert server.recorded == []


def test_expired_certificate_is_refused(ca, ca_bundle, start_server):
    now = dt.datetime.now(dt.UTC)
    leaf = ca.issue_cert("127.0.0.1", not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1))
    server = start_server(ok, server_tls_context(leaf))
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    with pytest.raises(TlsError) as info:
        post(session, server.url)
    assert info.value.problem is TlsProblem.EXPIRED
    assert "expired" in info.value.message
    assert server.recorded == []


# ----------------------------------------------------------------------------------------- pinning


def _leaf_der(leaf: trustme.LeafCert) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = leaf.cert_chain_pems[0].bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def test_matching_pin_is_accepted(ca, ca_bundle, start_server):
    leaf = ca.issue_cert("127.0.0.1")
    server = start_server(ok, server_tls_context(leaf))
    pins = parse_pins([spki_pin(_leaf_der(leaf))])
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle, certificate_pins=pins))
    assert post(session, server.url).status_code == 200
    assert post(session, server.url).status_code == 200  # reused connection keeps working


def test_pin_mismatch_refuses_after_handshake_and_sends_nothing(ca, ca_bundle, start_server):
    leaf = ca.issue_cert("127.0.0.1")
    server = start_server(ok, server_tls_context(leaf))
    other_pin = spki_pin(_leaf_der(ca.issue_cert("127.0.0.1")))  # same CA, different key
    session = build_session(
        TransportSettings(server.url, ca_bundle=ca_bundle, certificate_pins=parse_pins([other_pin]))
    )
    with pytest.raises(TlsError) as info:
        post(session, server.url)
    assert info.value.problem is TlsProblem.PIN_MISMATCH
    assert "certificate_pins" in info.value.message and "Nothing was sent" in info.value.message
    deadline = time.monotonic() + 2
    while server.handshakes < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.handshakes == 1  # the check ran on a live, verified connection...
    time.sleep(0.1)
    assert server.recorded == []  # ...and no request reached the server


def test_pin_formats():
    digest = bytes(range(32))
    import base64

    b64 = base64.b64encode(digest).decode()
    assert parse_pins([f"sha256/{b64}", b64, digest.hex(), ":".join(f"{b:02X}" for b in digest)]) == {digest}
    with pytest.raises(ValueError):
        parse_pins(["sha256/short"])


# ------------------------------------------------------------------------------------- client certs


def test_client_certificate_mutual_tls(ca, ca_bundle, start_server, tmp_path):
    client_ca = trustme.CA()
    server = start_server(
        ok, server_tls_context(ca.issue_cert("127.0.0.1"), require_client_cert_from=client_ca)
    )
    client_pem = tmp_path / "client.pem"
    client_ca.issue_cert("laptop-042@school.example").private_key_and_cert_chain_pem.write_to_path(str(client_pem))

    with_cert = build_session(TransportSettings(server.url, ca_bundle=ca_bundle, client_cert=client_pem))
    assert post(with_cert, server.url).status_code == 200

    without = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    with pytest.raises(TlsError) as info:  # TLS 1.3's alert lost to a reset included (the probe finds it)
        post(without, server.url)
    assert info.value.problem is TlsProblem.CLIENT_CERTIFICATE_WANTED
    assert len(server.recorded) == 1  # only the request with the certificate


def test_a_tls13_server_asking_for_a_certificate_when_none_is_configured_is_named_so(ca, ca_bundle, tmp_path):
    """OpenSSL's own server, because it sends TLS 1.3's 'certificate required' alert as web servers do
    (Python's closes the connection without it)."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command for a server that sends the TLS 1.3 alert")
    leaf = ca.issue_cert("127.0.0.1")
    leaf.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    leaf.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "clients.pem"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", str(tmp_path / "cert.pem"),
         "-key", str(tmp_path / "key.pem"), "-tls1_3", "-Verify", "1", "-verify_return_error",
         "-CAfile", str(tmp_path / "clients.pem"), "-www"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"https://127.0.0.1:{port}"
        session = build_session(TransportSettings(url, ca_bundle=ca_bundle))
        with pytest.raises(TlsError) as info:
            post(session, url)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert info.value.problem is TlsProblem.CLIENT_CERTIFICATE_WANTED
    assert "asks for a client certificate" in info.value.message
    assert "none is configured" in info.value.message and "did not accept" not in info.value.message


def test_an_old_tls_server_is_refused_naming_its_protocol(ca, ca_bundle, start_server):
    import warnings

    context = server_tls_context(ca.issue_cert("127.0.0.1"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    server = start_server(ok, context)
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    with pytest.raises(TlsError) as info:
        post(session, server.url)
    assert info.value.problem is TlsProblem.OLD_PROTOCOL
    assert "TLS 1.1" in info.value.message and "TLS 1.2 or newer" in info.value.message
    assert server.recorded == []


def test_unreadable_client_certificate_is_a_clear_refusal(tmp_path):
    with pytest.raises(TransportRefused, match="client_cert"):
        build_session(TransportSettings("https://127.0.0.1:1", client_cert=tmp_path / "missing.pem"))


# --------------------------------------------------------------------------------------- plain HTTP


@pytest.mark.parametrize(
    "url",
    [
        "http://192.0.2.10/v1/health",
        "http://iart.example.org/v1/health",
        "http://localhost.evil.example/v1/health",
        "http://127.0.0.1.nip.io/v1/health",
        "ftp://127.0.0.1/x",
    ],
)
def test_plain_http_to_another_machine_is_refused_without_connecting(url, monkeypatch):
    attempts = []
    real_connect = socket.socket.connect

    def spy(sock, address):
        attempts.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    with pytest.raises(TransportRefused) as info:
        session = build_session(TransportSettings("https://127.0.0.1:1"))
        session.post(url, data=b"SECRET-BODY")
    assert "nothing was sent" in info.value.message.lower() or "only HTTPS" in info.value.message
    with pytest.raises(TransportRefused):
        build_session(TransportSettings(url))
    assert attempts == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8/x", "http://localhost:8/x", "http://[::1]:8/x", "https://a.example/x"])
def test_allowed_urls(url):
    check_url_allowed(url)


def test_plain_http_to_loopback_works_and_bypasses_proxies(start_server, monkeypatch):
    server = start_server(ok)
    monkeypatch.setenv("HTTP_PROXY", "http://192.0.2.1:3128")
    monkeypatch.setenv("http_proxy", "http://192.0.2.1:3128")
    session = build_session(TransportSettings(server.url))
    assert post(session, server.url).status_code == 200


# -------------------------------------------------------------------------------------------- proxy


def test_https_proxy_from_environment_is_honoured(tls_server, ca_bundle, monkeypatch):
    proxy = ConnectProxy()
    try:
        for name in ("HTTPS_PROXY", "https_proxy"):
            monkeypatch.setenv(name, proxy.url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        session = build_session(TransportSettings(tls_server.url, ca_bundle=ca_bundle))
        assert post(session, tls_server.url).status_code == 200
        assert proxy.tunnels == [f"127.0.0.1:{tls_server.port}"]

        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        fresh = build_session(TransportSettings(tls_server.url, ca_bundle=ca_bundle))
        assert post(fresh, tls_server.url).status_code == 200
        assert len(proxy.tunnels) == 1  # no_proxy honoured
    finally:
        proxy.close()


def test_pinning_still_applies_through_a_proxy(ca, ca_bundle, start_server, monkeypatch):
    server = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1")))
    proxy = ConnectProxy()
    try:
        wrong = spki_pin(_leaf_der(ca.issue_cert("127.0.0.1")))
        settings = TransportSettings(
            server.url, ca_bundle=ca_bundle, certificate_pins=parse_pins([wrong]), proxies={"https": proxy.url}
        )
        with pytest.raises(TlsError) as info:
            post(build_session(settings), server.url)
        assert info.value.problem is TlsProblem.PIN_MISMATCH
        assert len(proxy.tunnels) == 1 and server.recorded == []
    finally:
        proxy.close()


# ----------------------------------------------------------------------------- timeouts and limits


def test_timeout_applies_by_default(ca, ca_bundle, start_server):
    def slow(_rec):
        time.sleep(1.5)
        return Reply(200, b"{}")

    server = start_server(slow, server_tls_context(ca.issue_cert("127.0.0.1")))
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle, read_timeout=0.3))
    started = time.monotonic()
    with pytest.raises(RequestTimedOut):
        session.get(server.url + "/v1/health")
    assert time.monotonic() - started < 1.4


def test_connection_refused_is_a_network_error(ca_bundle):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    session = build_session(TransportSettings(f"https://127.0.0.1:{port}", ca_bundle=ca_bundle))
    with pytest.raises(NetworkError) as info:
        session.get(f"https://127.0.0.1:{port}/v1/health")
    assert info.value.retryable


@pytest.mark.parametrize("chunked", [False, True])
def test_oversize_response_is_cut_off(ca, ca_bundle, start_server, chunked):
    big = b"x" * 3_000_000
    server = start_server(lambda _r: Reply(200, big, chunked=chunked), server_tls_context(ca.issue_cert("127.0.0.1")))
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    response = session.get(server.url + "/v1/health", stream=True)
    with pytest.raises(ResponseTooLarge):
        read_limited(response, 100_000)
    # the session stays usable afterwards
    small = session.get(server.url + "/v1/health", stream=True)
    small.raw  # noqa: B018
    assert small.status_code == 200


def test_redirects_are_not_followed(ca, ca_bundle, start_server):
    server = start_server(
        lambda r: Reply(302, b"", {"Location": "http://192.0.2.1/login"}),
        server_tls_context(ca.issue_cert("127.0.0.1")),
    )
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    response = session.post(server.url + "/v1/x", data=b"x")
    assert response.status_code == 302
    assert len(server.recorded) == 1


def test_bearer_token_is_sent_and_env_netrc_cannot_replace_it(tls_server, ca_bundle, tmp_path, monkeypatch):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password other\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    session = build_session(TransportSettings(tls_server.url, ca_bundle=ca_bundle, bearer_token="tok-123"))
    post(session, tls_server.url)
    assert tls_server.recorded[0].headers["Authorization"] == "Bearer tok-123"


def test_session_is_a_requests_session():
    assert isinstance(build_session(TransportSettings("https://127.0.0.1:1")), requests.Session)
