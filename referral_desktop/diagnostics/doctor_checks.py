"""``referral-desktop doctor``: is this machine ready to send referrals? One check per line, for IT.

Why these checks: they are what stops a referral leaving a school or surgery laptop in practice — a
policy typo, a profile folder another user can read or the app cannot write, a store that will not
open, a proxy or TLS-inspection box in the way, a pinned key that changed, a clock far enough off
to break certificate checks, a full disk. Each check says ok / warn / fail and one plain sentence
naming the setting, file, host or number involved; never an answer, a token or a passphrase.

Checks depend on each other only through the policy: without a valid policy the network checks are
reported as not checked (warn), so the worst result is still the policy's own failure.

The checks take their surroundings from :class:`DoctorEnvironment` (paths, clock, disk usage
function, thresholds) so that tests can make each one fail against the real sandbox.
"""

from __future__ import annotations

import enum
import os
import shutil
import stat
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MB = 1024 * 1024


class Status(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst result."""

    OK = 0
    WARN = 1
    FAIL = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome: a sentence for people, and its numbers for IT's tools (``measurements``:
    ``latency_ms``, ``clock_skew_seconds`` (positive: this computer is ahead), ``free_bytes``)."""

    name: str
    status: Status
    detail: str
    measurements: Mapping[str, float | int] = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.status.label:<5}{self.name:<13}{self.detail}"


@dataclass
class DoctorEnvironment:
    """What the checks look at. ``passphrase`` None: the store is not opened."""

    policy_path: Path | None
    profile_dir: Path
    log_dir: Path
    passphrase: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    disk_usage: Callable[[Path], Any] = shutil.disk_usage
    fail_below_free_bytes: int = 200 * MB
    warn_below_free_bytes: int = 1024 * MB
    warn_clock_skew: timedelta = timedelta(minutes=1)
    fail_clock_skew: timedelta = timedelta(minutes=5)
    warn_certificate_days: int = 30
    timeout_seconds: float = 10.0
    # Where the machine policy is read from (None: this machine's file and management tools' settings).
    machine_policy_path: Path | None = None
    managed_policy_sources: Sequence[Any] | None = None


@dataclass
class _Shared:
    """What one check learns that a later one needs."""

    policy: Any = None
    policy_problem: str | None = None
    health: Any = None
    network_problem: str | None = None
    tls_failure: CheckResult | None = None
    client: Any = None


def exit_code(results: list[CheckResult]) -> int:
    """0: all ok; 1: warnings only; 2: at least one failure."""
    return int(max((r.status for r in results), default=Status.OK))


def run_checks(env: DoctorEnvironment) -> list[CheckResult]:
    shared = _Shared()
    results = [
        check_policy(env, shared),
        check_data_folder(env),
        check_store(env),
        check_log_folder(env),
    ]
    try:
        results += [
            check_api(env, shared),
            check_tls(env, shared),
            check_credentials(env, shared),
            check_clock(env, shared),
        ]
    finally:
        if shared.client is not None:
            shared.client.close()
    results.append(check_disk(env))
    return results


# ------------------------------------------------------------------------------------------- policy


def check_policy(env: DoctorEnvironment, shared: _Shared) -> CheckResult:
    from referral_desktop.policy import (
        PolicyError,
        check_referenced_files,
        load_policy,
        machine_policy_path,
        machine_policy_problems,
        referenced_file_warnings,
    )

    try:
        policy = load_policy(env.policy_path, machine_path=env.machine_policy_path,
                             managed_sources=env.managed_policy_sources)
    except PolicyError as exc:
        shared.policy_problem = "the policy is not valid"
        first = exc.problems[0] if exc.problems else "not valid"
        more = f" (and {len(exc.problems) - 1} more; run 'referral-desktop policy check')" if len(exc.problems) > 1 else ""
        return CheckResult("policy", Status.FAIL, first + more)
    problems = check_referenced_files(policy)
    problems += machine_policy_problems(policy, env.machine_policy_path or machine_policy_path())
    if not problems:
        try:
            policy.read_bearer_token()
        except PolicyError as exc:
            problems = list(exc.problems)
    if problems:
        shared.policy_problem = "a file the policy names cannot be used"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return CheckResult("policy", Status.FAIL, problems[0] + more)
    shared.policy = policy
    if policy.source is None and not policy.origins():
        return CheckResult(
            "policy", Status.WARN,
            f"no policy file at {env.machine_policy_path or machine_policy_path()}; using the built-in defaults "
            f"(a sandbox at {policy.api_base_url})",
        )
    extras = []
    if policy.test_deployment:
        extras.append("test deployment")
    if not policy.allow_user_policy:
        extras.append("cannot be replaced by users")
    suffix = f" ({', '.join(extras)})" if extras else ""
    warnings = referenced_file_warnings(policy)
    if warnings:
        return CheckResult("policy", Status.WARN, "; ".join(warnings) + f" — {_policy_sources(policy)}{suffix}")
    return CheckResult("policy", Status.OK, f"{_policy_sources(policy)}{suffix}")


def _policy_sources(policy: Any) -> str:
    """Which source set each setting: "<file> is valid; from the file <path>: a, b; from the registry
    <key>: c; every other setting has its default"."""
    by_source: dict[tuple[str, str], list[str]] = {}
    for name, source in policy.origins().items():
        by_source.setdefault(source, []).append(name)
    labels = " + ".join(label for _kind, label in by_source)
    parts = [f"from the {kind} {label}: {', '.join(names)}" for (kind, label), names in by_source.items()]
    return f"{labels} is valid; " + "; ".join(parts) + "; every other setting has its default"


# ------------------------------------------------------------------------------------ local folders


def _nearest_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _probe_write(folder: Path) -> str | None:
    """None if a private file can be created and removed in ``folder``; else why not."""
    probe = folder / f".doctor-probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, b"probe")
        os.close(fd)
        probe.unlink()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _folder_check(name: str, folder: Path, what: str, expect_private: bool) -> CheckResult:
    if folder.exists() and not folder.is_dir():
        return CheckResult(name, Status.FAIL, f"{folder} is a file, not a folder; the {what} cannot be kept there")
    if not folder.exists():
        parent = _nearest_existing(folder.parent)
        if not parent.is_dir():
            return CheckResult(name, Status.FAIL, f"{folder} cannot be created: {parent} is not a folder")
        problem = _probe_write(parent)
        if problem:
            return CheckResult(name, Status.FAIL, f"{folder} cannot be created in {parent} ({problem})")
        return CheckResult(name, Status.OK, f"{folder} not created yet (made on first use); {parent} is writable")
    problem = _probe_write(folder)
    if problem:
        return CheckResult(name, Status.FAIL, f"{folder} is not writable ({problem})")
    if os.name == "posix" and expect_private:
        mode = _mode(folder)
        if mode & 0o077:
            return CheckResult(
                name, Status.WARN,
                f"{folder} is writable but other users can open it (mode {mode:04o}; expected 0700)",
            )
        loose = [p.name for p in sorted(folder.iterdir()) if p.is_file() and _mode(p) & 0o077]
        if loose:
            return CheckResult(
                name, Status.WARN, f"{folder}: {len(loose)} file(s) readable by other users (expected 0600)"
            )
        return CheckResult(name, Status.OK, f"{folder} is writable, owner only (0700)")
    return CheckResult(name, Status.OK, f"{folder} is writable")


def check_data_folder(env: DoctorEnvironment) -> CheckResult:
    return _folder_check("data folder", env.profile_dir, "encrypted store", expect_private=True)


def check_log_folder(env: DoctorEnvironment) -> CheckResult:
    return _folder_check("log folder", env.log_dir, "log", expect_private=True)


def check_store(env: DoctorEnvironment) -> CheckResult:
    from referral_desktop.store import (
        StoreDamaged,
        StoreError,
        StoreFromNewerVersion,
        StoreNotFound,
        UnlockThrottled,
        WrongPassphrase,
        open_store,
        store_exists,
        unsent_summary,
    )

    try:
        exists = store_exists(env.profile_dir)
    except OSError as exc:
        return CheckResult("store", Status.FAIL, f"the profile folder cannot be read ({exc.strerror or 'error'})")
    if not exists:
        if env.passphrase is not None:
            return CheckResult("store", Status.FAIL, f"there is no store in {env.profile_dir} to open")
        return CheckResult("store", Status.OK, "no store yet (created when the user first opens the app)")
    counts = ""
    try:
        summary = unsent_summary(env.profile_dir)
        counts = f"; {summary.drafts} draft(s), {summary.waiting_to_send} waiting to send"
    except Exception:  # the counts file is a convenience; its absence is not a store problem
        counts = ""
    if env.passphrase is None:
        return CheckResult(
            "store", Status.OK,
            f"present, not opened (pass the passphrase with --passphrase-stdin to open it){counts}",
        )
    started = time.monotonic()
    try:
        store = open_store(env.profile_dir, env.passphrase, clock=env.clock)
    except WrongPassphrase:
        return CheckResult("store", Status.FAIL, "the passphrase was not accepted (or the file's first page is damaged)")
    except UnlockThrottled as exc:
        return CheckResult("store", Status.FAIL, f"unlocking is paused after wrong passphrases; try again in {exc}")
    except StoreFromNewerVersion:
        return CheckResult("store", Status.FAIL, "the store was made by a newer version of the app")
    except StoreNotFound:
        return CheckResult("store", Status.FAIL, f"there is no store in {env.profile_dir} to open")
    except StoreDamaged:
        return CheckResult("store", Status.FAIL, "the store file is damaged")
    except StoreError as exc:
        return CheckResult("store", Status.FAIL, f"the store cannot be opened ({type(exc).__name__})")
    try:
        report = store.check()
    finally:
        store.close()
    took = (time.monotonic() - started) * 1000
    if not report.ok:
        problems = len(report.integrity_problems) + len(report.cipher_integrity_problems)
        return CheckResult(
            "store", Status.FAIL,
            f"opened, but the integrity check found {problems} problem(s) (schema {report.schema_version} of "
            f"{report.latest_schema_version})",
        )
    return CheckResult(
        "store", Status.OK,
        f"opened and checked in {took:.0f} ms (SQLCipher, schema {report.schema_version}){counts}",
    )


# ------------------------------------------------------------------------------------------ network


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


def check_api(env: DoctorEnvironment, shared: _Shared) -> CheckResult:
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
        shared.tls_failure = CheckResult("tls", Status.FAIL, f"{exc.problem.value}: {exc.message}")
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


def check_tls(env: DoctorEnvironment, shared: _Shared) -> CheckResult:
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


def check_credentials(env: DoctorEnvironment, shared: _Shared) -> CheckResult:
    from referral_desktop.sync.errors import NotAuthorised, TransportError

    if shared.client is None or shared.health is None:
        return CheckResult("credentials", Status.WARN, f"not checked: {shared.policy_problem or shared.network_problem}")
    has_token = shared.policy.bearer_token is not None or shared.policy.bearer_token_file is not None
    try:
        shared.client.changes_since(env.clock())
    except NotAuthorised as exc:
        what = "bearer token" if has_token else "missing bearer token (no bearer_token_file in the policy)"
        return CheckResult("credentials", Status.FAIL, f"the API refused this computer's {what} ({exc.status})")
    except TransportError as exc:
        return CheckResult("credentials", Status.WARN, f"could not be checked: {exc.message}")
    return CheckResult("credentials", Status.OK, "the API accepted this computer's credentials")


def check_clock(env: DoctorEnvironment, shared: _Shared) -> CheckResult:
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


# --------------------------------------------------------------------------------------------- disk


def check_disk(env: DoctorEnvironment) -> CheckResult:
    where = _nearest_existing(env.profile_dir)
    try:
        usage = env.disk_usage(where)
    except OSError as exc:
        return CheckResult("disk", Status.FAIL, f"free space on {where} cannot be read ({exc.strerror or 'error'})")
    free = int(usage.free)
    text = f"{free / MB:,.0f} MB free on {where}"
    numbers = {"free_bytes": free}
    if free < env.fail_below_free_bytes:
        return CheckResult("disk", Status.FAIL, text + f" (needs at least {env.fail_below_free_bytes // MB} MB)", numbers)
    if free < env.warn_below_free_bytes:
        return CheckResult("disk", Status.WARN, text + f" (below {env.warn_below_free_bytes // MB} MB)", numbers)
    return CheckResult("disk", Status.OK, text, numbers)
