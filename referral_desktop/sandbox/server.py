"""Runs the sandbox: prepares its data folder, then serves HTTPS with uvicorn until stopped.

On first run the data folder gets its CA and server certificate, tokens and keys (see ``tls_material``
and ``secrets_store``). The listening socket is bound here before uvicorn starts, so ``--port 0`` works:
the real port is known, and once uvicorn is accepting connections a *ready file* (JSON, written
atomically) tells a waiting test or script everything it needs: URL, port, CA file, token files, the
public payload key. The same facts are printed on stdout, without the tokens' values.

Logging goes to stderr and to ``<data>/logs/sandbox.log``: ids, references, states, field paths and
counts only, never a value from a referral.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
import socket
import ssl
import sys
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from referral_desktop.domain.api_contract import Outcome
from referral_desktop.domain.form_catalog import set_extra_form_sources
from referral_desktop.sandbox.app import (
    PublishedFormFile,
    SandboxContext,
    SandboxLimits,
    auto_progress,
    create_app,
)
from referral_desktop.sandbox.faults import FaultConfig, FaultInjector
from referral_desktop.sandbox.header_timeout import DEFAULT_HEADER_TIMEOUT, HeaderTimeoutProtocol
from referral_desktop.sandbox.parent_watch import ParentWatch
from referral_desktop.sandbox.secrets_store import ensure_secrets
from referral_desktop.sandbox.storage import SandboxStorage
from referral_desktop.sandbox.tls_material import ensure_tls_material

log = logging.getLogger(__name__)

DEFAULT_PORT = 8443


@dataclass
class SandboxOptions:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    ready_file: Path | None = None
    client_token: str | None = None
    operator_token: str | None = None
    payload_private_jwk: Path | None = None
    faults_file: Path | None = None
    acknowledge_after: float | None = None
    decide_after: float | None = None
    request_info_after: float | None = None
    read_after: float | None = None
    auto_outcome: Outcome = Outcome.EARLY_HELP_AND_PREVENTION
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    test_deployment: bool = False
    require_client_cert: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    log_level: str = "INFO"
    form_file: Path | None = None
    exit_with_parent: int | None = None
    remove_on_orphan: Path | None = None
    header_timeout: float = DEFAULT_HEADER_TIMEOUT


def _configure_logging(data_dir: Path, level: str) -> None:
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    # The sandbox is a different program sharing the CLI: its log belongs in its own data folder, not in
    # the desktop app's per-user log file that ``main()`` set up.
    for existing in list(root.handlers):
        root.removeHandler(existing)
        existing.close()
    for handler in (logging.StreamHandler(sys.stderr), logging.FileHandler(logs / "sandbox.log")):
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level.upper())


def _bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        family = socket.AF_INET
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP; with the
    # default 0 every answer stalled ~40 ms on Nagle + delayed ACK (44 ms -> 1.5 ms per request).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _write_json_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


class _Server(uvicorn.Server):
    """uvicorn's server, telling the world once it really accepts connections."""

    def __init__(self, config: uvicorn.Config, on_started) -> None:
        super().__init__(config)
        self._on_started = on_started

    def handle_exit_request(self) -> None:
        """Shut down as on SIGTERM (finish answers in flight, then stop)."""
        self.should_exit = True

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._on_started()


def run_sandbox(options: SandboxOptions) -> int:
    """Serve until interrupted (SIGINT/SIGTERM); returns the exit code."""
    data_dir = options.data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(data_dir, 0o700)
    _configure_logging(data_dir, options.log_level)
    tls = ensure_tls_material(data_dir, extra_names=[options.host])
    secrets = ensure_secrets(
        data_dir,
        client_token=options.client_token,
        operator_token=options.operator_token,
        payload_private_jwk=options.payload_private_jwk,
    )
    faults = FaultConfig()
    if options.faults_file is not None:
        faults = FaultConfig.model_validate_json(options.faults_file.read_text(encoding="utf-8"))
    ctx = SandboxContext(
        storage=SandboxStorage(data_dir),
        secrets=secrets,
        faults=FaultInjector(faults),
        limits=options.limits,
        test_deployment=options.test_deployment,
        form_file=options.form_file,
    )
    if options.form_file is not None:
        set_extra_form_sources([PublishedFormFile(options.form_file)])
    sock = _bind(options.host, options.port)
    port = sock.getsockname()[1]
    url_host = f"[{options.host}]" if ":" in options.host else options.host
    url = f"https://{url_host}:{port}"
    cert_file = options.tls_cert or tls.server_cert
    key_file = options.tls_key or tls.server_key
    config = uvicorn.Config(
        create_app(ctx),
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
        ssl_ca_certs=str(tls.ca_cert) if options.require_client_cert else None,
        ssl_cert_reqs=ssl.CERT_REQUIRED if options.require_client_cert else ssl.CERT_NONE,
        log_config=None,
        access_log=True,
        lifespan="off",
        timeout_graceful_shutdown=2,
        http=HeaderTimeoutProtocol.with_timeout(options.header_timeout),  # slow-header clients are cut off
    )
    facts = {
        "url": url,
        "host": options.host,
        "port": port,
        "pid": os.getpid(),
        "data_dir": str(data_dir),
        "ca_file": str(tls.ca_cert),
        "client_token_file": str(secrets.client_token_file),
        "operator_token_file": str(secrets.operator_token_file),
        "client_cert_file": str(tls.client_cert),
        "client_key_file": str(tls.client_key),
        "payload_public_jwk_file": str(secrets.payload_public_jwk_file),
        "form_signing_public_jwk_file": str(secrets.form_signing_public_jwk_file),
        "operator_page": f"{url}/_sandbox/operator",
    }
    background: list[asyncio.Task] = []
    parent = ParentWatch(options.exit_with_parent, options.remove_on_orphan) if options.exit_with_parent else None

    def started() -> None:
        if parent is not None:
            background.append(asyncio.get_running_loop().create_task(parent.watch(server.handle_exit_request)))
        automatic = (options.acknowledge_after, options.decide_after, options.request_info_after,
                     options.read_after)
        if any(after is not None for after in automatic):
            background.append(
                asyncio.get_running_loop().create_task(
                    auto_progress(
                        ctx,
                        acknowledge_after=options.acknowledge_after,
                        decide_after=options.decide_after,
                        outcome=options.auto_outcome,
                        request_info_after=options.request_info_after,
                        read_after=options.read_after,
                    )
                )
            )
        if options.ready_file is not None:
            _write_json_atomically(options.ready_file, facts)
        print(f"iART sandbox listening on {url}", flush=True)
        print(f"  trust this CA:        {facts['ca_file']}", flush=True)
        print(f"  client bearer token:  {facts['client_token_file']}", flush=True)
        print(f"  operator token:       {facts['operator_token_file']}", flush=True)
        print(f"  payload public key:   {facts['payload_public_jwk_file']}", flush=True)
        print(f"  form signing key:     {facts['form_signing_public_jwk_file']}", flush=True)
        print(f"  operator page:        {facts['operator_page']}", flush=True)
        log.info("sandbox listening on port %d", port)

    server = _Server(config, started)
    try:
        server.run(sockets=[sock])
    finally:
        for task in background:
            task.cancel()
        if options.ready_file is not None:
            options.ready_file.unlink(missing_ok=True)
        if parent is not None:
            parent.clean_up()
    return 0
