"""Fixtures for the sync tests. Helpers live in ``sync_testing`` (made importable here: the test run
uses importlib import mode, so test folders are not packages)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
import trustme

sys.path.insert(0, str(Path(__file__).parent))

from sync_testing.servers import TestServer  # noqa: E402


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_bundle(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def start_server():
    """``start_server(responder, tls_context=None) -> TestServer``; all closed at the end."""
    servers: list[TestServer] = []

    def start(responder, tls_context=None):
        server = TestServer(responder, tls_context)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """The real sandbox over TLS, one per test module that asks for it (a module may define its own)."""
    from referral_desktop.sandbox.launcher import start_sandbox

    sb = start_sandbox(tmp_path_factory.mktemp("iart") / "data")
    yield sb
    sb.stop()


@pytest.fixture
def sandbox_faults_cleared(sandbox):
    """Each test starts with no injected faults left by the one before (use with ``usefixtures``)."""
    yield
    if sandbox.process.poll() is None:
        sandbox.clear_faults()


@pytest.fixture
def rig(tmp_path, sandbox):
    """(store, policy, worker, clock): a real encrypted store and the real sender pointed at the module's
    sandbox, on a clock the test moves by hand. Modules with other needs define their own ``rig``."""
    from sync_testing.e2e import worker_rig

    with worker_rig(tmp_path, sandbox, timeout=2.0) as built:
        yield built


@pytest.fixture
def logs():
    """Every message the app's loggers write during the test (DEBUG and up), to look for planted sentinels."""
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Keep(logging.DEBUG)
    logger = logging.getLogger("referral_desktop")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(old)
