"""TLS 1.3 servers that refuse this computer's client certificate (or want one that is not configured),
against real servers on 127.0.0.1. In TLS 1.3 the refusal comes after the client's side of the handshake,
and the reset that follows the alert often overtakes it: the app must still say the certificate was
refused (IT must act), not that iART "could not be reached" — and must not claim it for a real outage."""

from __future__ import annotations

import socket

import pytest
import trustme
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.sync import transport as transport_module
from referral_desktop.sync.errors import NEEDS_IT_CODES, NetworkError, TlsError, TlsProblem
from referral_desktop.sync.transport import build_session
from referral_desktop.sync.transport_settings import TransportSettings

#: Before the fix about half of the attempts said "could not reach"; 8 in a row would all pass 1 in 256.
ATTEMPTS = 8


def ok(_rec):
    return Reply(200, b'{"ok": true}', {"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def client_ca() -> trustme.CA:
    return trustme.CA()


def _pem(tmp_path, ca: trustme.CA, name: str):
    path = tmp_path / f"{name}.pem"
    ca.issue_cert("laptop-042@school.example").private_key_and_cert_chain_pem.write_to_path(str(path))
    return path


@pytest.mark.parametrize(("configured", "expected"), [
    ("none", TlsProblem.CLIENT_CERTIFICATE_WANTED),
    ("other_ca", TlsProblem.CLIENT_CERTIFICATE),
])
def test_a_tls13_refusal_of_the_client_certificate_is_named_every_time(
    configured, expected, ca, ca_bundle, client_ca, start_server, tmp_path
):
    server = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1"), require_client_cert_from=client_ca,
                                                 tls13_only=True))
    client_cert = _pem(tmp_path, trustme.CA(), "other") if configured == "other_ca" else None
    problems = []
    for _ in range(ATTEMPTS):
        session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle, client_cert=client_cert))
        with pytest.raises((TlsError, NetworkError)) as info:
            session.post(server.url + "/v1/x", data=b"SECRET-BODY")
        problems.append(getattr(info.value, "problem", type(info.value).__name__))
        assert "could not reach" not in info.value.message.lower()
        assert info.value.code in NEEDS_IT_CODES and info.value.needs_it and not info.value.retryable
    assert problems == [expected] * ATTEMPTS
    assert server.recorded == []


def test_a_server_that_asks_then_drops_without_an_alert_is_probably_the_certificate(
    ca, ca_bundle, client_ca, start_server
):
    server = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1"), ask_client_cert_from=client_ca,
                                                 tls13_only=True))
    server.drop_without_client_certificate()
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    with pytest.raises(TlsError) as info:
        session.post(server.url + "/v1/x", data=b"SECRET-BODY")
    assert info.value.problem is TlsProblem.CLIENT_CERTIFICATE_SUSPECTED
    message = info.value.message
    assert "asked for a client certificate" in message and "probably not a network outage" in message
    assert "did not confirm" in message  # never more than is known
    assert "Nothing was sent" not in message
    assert info.value.code in NEEDS_IT_CODES
    assert server.dropped >= 2 and server.recorded == []  # the request, then the probe


def test_a_drop_from_a_server_that_never_asked_for_a_certificate_stays_could_not_reach(
    ca, ca_bundle, start_server
):
    server = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1"), tls13_only=True))
    server.drop_without_client_certificate()  # it asks for none, so it drops every connection
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle))
    with pytest.raises(NetworkError) as info:
        session.post(server.url + "/v1/x", data=b"SECRET-BODY")
    assert "Could not reach" in info.value.message and not info.value.needs_it


def test_a_drop_after_the_certificate_was_accepted_stays_could_not_reach(
    ca, ca_bundle, client_ca, start_server, tmp_path
):
    """The server asked, took the certificate and read the request, then closed without answering: an
    outage of the server or the path, not the certificate (the probe finds it waiting for a request)."""
    server = start_server(lambda _rec: Reply(close_without_answer=True),
                          server_tls_context(ca.issue_cert("127.0.0.1"), require_client_cert_from=client_ca,
                                             tls13_only=True))
    session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle,
                                              client_cert=_pem(tmp_path, client_ca, "good")))
    with pytest.raises(NetworkError) as info:
        session.post(server.url + "/v1/x", data=b"SECRET-BODY")
    assert not isinstance(info.value, TlsError) and "Could not reach" in info.value.message
    assert len(server.recorded) == 1


def test_a_connection_refused_is_not_probed(ca_bundle, monkeypatch):
    probes = []
    monkeypatch.setattr(transport_module, "client_certificate_problem", lambda *a, **k: probes.append(a))
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    session = build_session(TransportSettings(f"https://127.0.0.1:{port}", ca_bundle=ca_bundle))
    with pytest.raises(NetworkError) as info:
        session.get(f"https://127.0.0.1:{port}/v1/health")
    assert "Could not reach" in info.value.message and probes == []


def test_through_a_proxy_the_refusal_is_named_too(ca, ca_bundle, client_ca, start_server):
    """The probe goes the way the request went: through the proxy's CONNECT tunnel."""
    from sync_testing.servers import ConnectProxy

    server = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1"), require_client_cert_from=client_ca,
                                                 tls13_only=True))
    proxy = ConnectProxy()
    try:
        for _ in range(ATTEMPTS):
            session = build_session(TransportSettings(server.url, ca_bundle=ca_bundle,
                                                      proxies={"https": proxy.url}))
            with pytest.raises(TlsError) as info:
                session.post(server.url + "/v1/x", data=b"SECRET-BODY")
            assert info.value.problem is TlsProblem.CLIENT_CERTIFICATE_WANTED
    finally:
        proxy.close()
    assert set(proxy.tunnels) == {f"127.0.0.1:{server.port}"} and server.recorded == []


def test_a_proxy_that_cannot_reach_the_server_stays_could_not_reach(ca_bundle):
    from sync_testing.servers import ConnectProxy

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    proxy = ConnectProxy()  # its upstream connection is refused: it drops the tunnel
    try:
        session = build_session(TransportSettings(f"https://127.0.0.1:{port}", ca_bundle=ca_bundle,
                                                  proxies={"https": proxy.url}))
        with pytest.raises(NetworkError) as info:
            session.get(f"https://127.0.0.1:{port}/v1/health")
    finally:
        proxy.close()
    assert not isinstance(info.value, TlsError) and "Could not reach" in info.value.message


def test_without_the_handshake_message_hook_a_silent_drop_is_not_blamed_on_the_certificate(
    ca, ca_bundle, client_ca, start_server, monkeypatch
):
    """Where Python offers no way to see the server's certificate request, only an alert counts: a server
    that asks and then drops silently stays "could not reach" (nothing is claimed that was not seen)."""
    import ssl

    monkeypatch.delattr(ssl, "_TLSMessageType", raising=False)
    server = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1"), ask_client_cert_from=client_ca,
                                                 tls13_only=True))
    server.drop_without_client_certificate()
    with pytest.raises(NetworkError) as info:
        build_session(TransportSettings(server.url, ca_bundle=ca_bundle)).post(server.url + "/v1/x", data=b"B")
    assert not isinstance(info.value, TlsError)
    refusing = start_server(ok, server_tls_context(ca.issue_cert("127.0.0.1"), require_client_cert_from=client_ca,
                                                   tls13_only=True))
    for _ in range(ATTEMPTS):  # the alert is still heard
        with pytest.raises(TlsError) as named:
            build_session(TransportSettings(refusing.url, ca_bundle=ca_bundle)).post(refusing.url + "/v1/x", data=b"B")
        assert named.value.problem is TlsProblem.CLIENT_CERTIFICATE_WANTED
