"""Shared test set-up.

Qt needs a platform before it is imported; with no display the offscreen one is used. Slow tests (many
kills, large data) run only with ``--run-slow``.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Commands run by tests log into a throwaway folder, never the developer's own log folder.
os.environ.setdefault("REFERRAL_DESKTOP_LOG_DIR", tempfile.mkdtemp(prefix="referral-desktop-test-logs-"))

import pytest  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
