"""Fixtures for the sandbox tests: a real sandbox process over TLS on 127.0.0.1.

``sandbox`` is one server for the whole module run (tests use fresh UUIDs, and fault tests clear their
rules); ``fresh_sandbox`` starts a private one (for restarts and start-time options). Both come from
``referral_desktop.sandbox.launcher``, which other areas' tests can use the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from referral_desktop.sandbox.launcher import RunningSandbox, start_sandbox  # noqa: E402


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory):
    running = start_sandbox(tmp_path_factory.mktemp("iart") / "data")
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _no_leftover_faults(request: pytest.FixtureRequest):
    yield
    if "sandbox" in request.fixturenames:
        running: RunningSandbox = request.getfixturevalue("sandbox")
        if running.process.poll() is None:
            running.clear_faults()


@pytest.fixture
def fresh_sandbox(tmp_path: Path):
    started: list[RunningSandbox] = []

    def start(*extra_args: str, data_dir: Path | None = None) -> RunningSandbox:
        running = start_sandbox(data_dir or tmp_path / f"iart{len(started)}", extra_args=extra_args)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
