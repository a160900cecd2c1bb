"""Shared test set-up.

Qt needs a platform before it is imported; with no display the offscreen one is used. Slow tests (many
kills, large data) run only with ``--run-slow``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Commands run by tests log into a throwaway folder, never the developer's own log folder.
if "REFERRAL_DESKTOP_LOG_DIR" not in os.environ:
    os.environ["REFERRAL_DESKTOP_LOG_DIR"] = tempfile.mkdtemp(prefix="referral-desktop-test-logs-")
    atexit.register(shutil.rmtree, os.environ["REFERRAL_DESKTOP_LOG_DIR"], ignore_errors=True)

# Sealed from this machine's own policy (/etc/referral-desktop/policy.toml): the tests and every process
# they start read this path instead, where nothing is unless a test puts it there (tests that mean to use
# a machine policy pass ``machine_path`` explicitly). See tests/sealed_site/sitecustomize.py.
_SEALED_POLICY = os.path.join(tempfile.mkdtemp(prefix="referral-desktop-test-machine-"), "policy.toml")
# Both throwaway folders go when the run ends: every run used to leave two in the temp folder for good.
atexit.register(shutil.rmtree, os.path.dirname(_SEALED_POLICY), ignore_errors=True)
os.environ["REFERRAL_DESKTOP_TEST_MACHINE_POLICY"] = _SEALED_POLICY
_SEALED_SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sealed_site")
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_SEALED_SITE, os.environ.get("PYTHONPATH")) if p)

import pytest  # noqa: E402


def _gui_thread_collector():
    """The test process's QApplication's cycle collector (installed now if need be), or None before there
    is a QApplication. Qt is not imported here for tests that have none."""
    import sys

    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets is not None else None
    if app is None:
        return None
    from referral_desktop.ui.gui_thread_collector import install_gui_thread_collector

    return install_gui_thread_collector(app)


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_gui_thread():
    """As in the app (``ui/gui_thread_collector.py``): once a test process has a QApplication, Python's
    cycles are collected on its GUI thread (this one), never by a store runner's, sender's or server's
    thread freeing a widget in the middle of the GUI thread's work (that crashed Qt: the module says how
    often). After each test, whatever collection is due is made here, since tests without a Qt event loop
    would never make one."""
    _gui_thread_collector()
    yield
    collector = _gui_thread_collector()  # (the test may have made the QApplication)
    if collector is not None:
        collector.collect_due()


@pytest.fixture(autouse=True)
def sealed_machine_policy(monkeypatch: pytest.MonkeyPatch) -> str:
    """This process reads the sealed path too (the sitecustomize only runs in new processes)."""
    from pathlib import Path

    from referral_desktop.policy import sources

    monkeypatch.setattr(sources, "LINUX_POLICY_PATH", Path(_SEALED_POLICY))
    # Files the tests make are owned by whoever runs them: count that user as an administrator, so a
    # machine policy in a temporary folder is judged by its modes, as root's would be.
    monkeypatch.setattr("referral_desktop.policy.file_permissions.ADMIN_UIDS", (0, os.getuid()))
    return _SEALED_POLICY


@pytest.fixture
def app_log_file_removed():
    """For a test that sets up the app's log file (``logging_setup.configure_logging``): afterwards the
    handler is removed and closed, and the root logger and warnings capture are as pytest left them."""
    import logging

    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_referral_desktop_file_handler", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.WARNING)
    logging.captureWarnings(False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """The suite runs in two processes (pytest-xdist, ``-n 2 --dist loadfile`` in pyproject): each test
    file whole in one process, so that its module set-up is made once and its tests keep their order; and
    here all the AT-SPI walks in one process too, since one walk serves two files and two walks at once on
    a loaded 2-core machine would race their settling times."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesAndTheWalksTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "tests/ui/atspi/" if path.startswith("tests/ui/atspi/") else path

    return FilesAndTheWalksTogether(config, log)
