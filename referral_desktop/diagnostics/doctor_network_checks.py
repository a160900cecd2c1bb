"""The doctor's checks that talk to the iART API: reachable (and by which route), TLS (trust, pins, the
client certificate's expiry), credentials accepted, and this computer's clock against the API's.

They run in that order and share one client (:class:`~.doctor_environment.SharedFindings`): a failure
earlier in the chain leaves the later ones "not checked" with the reason, rather than four failures for
one cause.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment, SharedFindings
from referral_desktop.diagnostics.doctor_results import CheckResult, Status


def _proxy_description(client: Any, url: str, policy: Any) -> str:
    proxies = client.session.proxies_for(url)
    scheme = urlsplit(url).scheme
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy:
        return "direct (no proxy)"
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    where = parts.hostname or "?"
    if parts.port:
        where += f":{parts.port}"
    source = "the policy's proxy_url" if getattr(policy, "proxy_url", None) else "the system proxy"
    return f"via {source} {where}"


def check_api(env: DoctorEnvironment, shared: SharedFindings) -> CheckResult:
    from referral_desktop.sync.api_client import ApiClient
    from referral_desktop.sync.errors import TlsError, TransportError
    from referral_desktop.sync.transport_settings import TransportSettings

    if shared.policy is None:
        return CheckResult("api", Status.WARN, f"not checked: {shared.policy_problem}")
    policy = shared.policy
    try:
        settings = TransportSettings.from_policy(
            policy, connect_timeout=min(env.timeout_seconds, 10.0), read_timeout=env.timeout_seconds
        )
        client = ApiClient.from_settings(settings, clock=env.clock)
    except TransportError as exc:
        shared.network_problem = "the connection settings cannot be used"
        return CheckResult("api", Status.FAIL, exc.message)
    shared.client = client
    health_url = client.url("/health")
    route = _proxy_description(client, health_url, policy)
    started = time.monotonic()
    try:
        shared.health = client.health(timeout=(min(env.timeout_seconds, 10.0), env.timeout_seconds))
    except TlsError as exc:
        shared.tls_failure = CheckResult("tls", Status.FAIL, f"{exc.problem.value}: {exc.for_it}")
        shared.network_problem = "the secure connection failed"
        return CheckResult("api", Status.FAIL, f"{urlsplit(health_url).netloc} reached {route}, but TLS failed (see tls)")
    except TransportError as exc:
        shared.network_problem = "the API could not be reached"
        direct = route.startswith("direct")
        if direct and _closes_after_handshake(health_url, min(env.timeout_seconds, 10.0)):
            wanted = ("it may not accept this client certificate (client_cert)" if policy.client_cert else
                      "if it requires a client certificate, set client_cert and client_key in the policy")
            return CheckResult("api", Status.FAIL, f"{health_url} {route}: the server completed the secure "
                                                   f"handshake, then closed the connection without answering; {wanted}")
        return CheckResult("api", Status.FAIL, f"{health_url} {route}: {exc.message}")
    took = (time.monotonic() - started) * 1000
    return CheckResult("api", Status.OK, f"{health_url} answered {route} in {took:.0f} ms",
                       {"latency_ms": round(took, 1)})


def _closes_after_handshake(url: str, timeout: float) -> bool:
    """Whether the server at ``url`` completes a TLS handshake and then closes without answering a request.

    Why: with TLS 1.3 a server that requires a client certificate checks it only after the client's side
    of the handshake, and simply closes the connection; the sender then reports "could not reach the
    server", which sends IT to the firewall. This probe tells the two apart. It learns only how the server
    behaves, so it does not verify the server (the real connection does) and sends no credentials: a
    ``HEAD`` of the health path, nothing else.
    """
    import socket
    import ssl

    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = f"HEAD {parts.path or '/'} HTTP/1.1\r\nHost: {parts.hostname}\r\nConnection: close\r\n\r\n"
    try:
        with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=parts.hostname) as tls:
            tls.sendall(request.encode("ascii"))
            return tls.recv(1) == b""
    except (OSError, ValueError):  # ssl.SSLError is an OSError: refused, reset or no TLS at all
        return False


def _certificate_expiry(path: Path) -> datetime | None:
    from cryptography import x509

    try:
        data = path.read_bytes()
        certificate = x509.load_pem_x509_certificate(data)
    except (OSError, ValueError):
        return None
    return certificate.not_valid_after_utc


def check_tls(env: DoctorEnvironment, shared: SharedFindings) -> CheckResult:
    if shared.tls_failure is not None:
        return shared.tls_failure
    if shared.policy is None or shared.health is None:
        return CheckResult("tls", Status.WARN, f"not checked: {shared.policy_problem or shared.network_problem}")
    policy = shared.policy
    scheme = urlsplit(policy.api_base_url).scheme
    if scheme != "https":
        return CheckResult("tls", Status.WARN, "plain HTTP to a sandbox on this computer: no TLS to check")
    trust = "operating system trust store" + (" + ca_bundle" if policy.ca_bundle else "")
    parts = [f"chain verified against the {trust}"]
    if policy.certificate_pins:
        parts.append(f"server key matches one of {len(policy.certificate_pins)} pin(s)")
    status = Status.OK
    if policy.client_cert:
        expiry = _certificate_expiry(Path(policy.client_cert))
        if expiry is None:
            parts.append("client certificate presented")
        else:
            left = expiry - env.clock()
            if left <= timedelta(0):
                return CheckResult("tls", Status.FAIL, f"the client certificate (client_cert) expired on {expiry:%Y-%m-%d}")
            if left < timedelta(days=env.warn_certificate_days):
                status = Status.WARN
            parts.append(f"client certificate presented, valid until {expiry:%Y-%m-%d}")
    return CheckResult("tls", status, "; ".join(parts))


def check_credentials(env: DoctorEnvironment, shared: SharedFindings) -> CheckResult:
    from referral_desktop.sync.errors import NotAuthorised, TlsError, TransportError

    if shared.client is None or shared.health is None:
        return CheckResult("credentials", Status.WARN, f"not checked: {shared.policy_problem or shared.network_problem}")
    has_token = shared.policy.bearer_token is not None or shared.policy.bearer_token_file is not None
    try:
        shared.client.changes_since(env.clock())
    except NotAuthorised as exc:
        what = "bearer token" if has_token else "missing bearer token (no bearer_token_file in the policy)"
        return CheckResult("credentials", Status.FAIL, f"the API refused this computer's {what} ({exc.status})")
    except TlsError as exc:  # worded for IT: the professional's words would send IT back to doctor
        return CheckResult("credentials", Status.WARN, f"could not be checked: {exc.problem.value}: {exc.for_it}")
    except TransportError as exc:
        return CheckResult("credentials", Status.WARN, f"could not be checked: {exc.message}")
    return CheckResult("credentials", Status.OK, "the API accepted this computer's credentials")


def check_clock(env: DoctorEnvironment, shared: SharedFindings) -> CheckResult:
    if shared.health is None:
        return CheckResult("clock", Status.WARN, f"not checked: {shared.policy_problem or shared.network_problem}")
    server_time = getattr(shared.health, "server_time", None)
    source = "the API's time"
    if server_time is None:
        return CheckResult("clock", Status.WARN, "the API gave no time to compare with")
    skew = env.clock() - server_time
    seconds = abs(skew.total_seconds())
    direction = "ahead of" if skew.total_seconds() > 0 else "behind"
    text = f"this computer is {seconds:.0f} s {direction} {source}"
    numbers = {"clock_skew_seconds": round(skew.total_seconds(), 1)}
    if seconds > env.fail_clock_skew.total_seconds():
        return CheckResult("clock", Status.FAIL, text + " (set the date, time and time zone; certificates and "
                                                        "due times depend on it)", numbers)
    if seconds > env.warn_clock_skew.total_seconds():
        return CheckResult("clock", Status.WARN, text, numbers)
    return CheckResult("clock", Status.OK, text, numbers)
