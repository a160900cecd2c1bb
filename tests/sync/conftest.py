"""Fixtures for the sync tests. Helpers live in ``sync_testing`` (made importable here: the test run
uses importlib import mode, so test folders are not packages)."""

from __future__ import annotations

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
