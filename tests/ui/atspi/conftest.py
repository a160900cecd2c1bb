"""The AT-SPI walks, each run once per test session: a private X server and session bus, the app driven through
its screens in a subprocess (app_driver.py; recovery_driver.py; home_driver.py), and at each checkpoint what a screen reader can read: the
application's accessibility tree and every event it sent since the last checkpoint.

Skips, saying why, where the bus cannot start (no Xvfb, D-Bus or AT-SPI registry, or no jeepney); under
CI (``CI=true``) it fails instead, so the suite never passes there without having run.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
APP_NAME = "Referral Desktop"  # the accessible name (Qt's own was applicationName(), "ReferralDesktop")
EVENTS = ("object:state-changed:focused", "object:text-changed", "object:announcement",
          "object:property-change:accessible-name", "object:property-change:accessible-description",
          "focus:")


#: Longest a step of the walk may take (a hung app must fail the suite, not stall it).
STEP_TIMEOUT = 90


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        return f"(no answer from the app within {timeout} s)"
    return process.stdout.readline().strip()


@dataclass
class Checkpoint:
    name: str
    tree: object
    events: list = field(default_factory=list)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the AT-SPI suite must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def walk(tmp_path_factory) -> dict[str, Checkpoint]:
    """The main walk: first run to a sent referral (app_driver.py)."""
    yield from _walked(tmp_path_factory, "tests.ui.atspi.app_driver")


@pytest.fixture(scope="session")
def recovery_walk(tmp_path_factory) -> dict[str, Checkpoint]:
    """The store file missing and its copy restored, then documents with a reply (recovery_driver.py)."""
    yield from _walked(tmp_path_factory, "tests.ui.atspi.recovery_driver")


@pytest.fixture(scope="session")
def home_walk(tmp_path_factory) -> dict[str, Checkpoint]:
    """The home list at 200 % text, its references on a second line (home_driver.py)."""
    yield from _walked(tmp_path_factory, "tests.ui.atspi.home_driver")


def _walked(tmp_path_factory, driver_module: str):
    """Its own X server and buses for each walk, so that one walk's app and events never reach another's."""
    try:
        from tests.ui.atspi.bus import AtspiClient, BusSession, missing_programs
    except ImportError as error:
        _unavailable(f"needs the jeepney D-Bus client (test extra): {error}")
    missing = missing_programs()
    if missing:
        _unavailable(f"needs {', '.join(missing)} (Debian: xvfb dbus at-spi2-core)")
    session = BusSession()
    try:
        session.start()
        client = AtspiClient(session.a11y_address())
    except Exception as error:  # noqa: BLE001 - any failure to bring the bus up is a reason to skip
        session.stop()
        _unavailable(f"the accessibility bus did not start: {error}")
    client.listen(*EVENTS)
    profile = tmp_path_factory.mktemp("atspi") / "profile"
    profile.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(session.env, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    log = profile.parent / "driver-stderr.txt"
    with open(log, "w") as stderr:
        driver = subprocess.Popen(
            [sys.executable, "-m", driver_module, str(profile)], cwd=REPOSITORY, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
    checkpoints: dict[str, Checkpoint] = {}
    try:
        bus, path = client.app_named(APP_NAME, timeout=60)
        client.pump(0.5)
        client.events.clear()
        while True:
            driver.stdin.write("next\n")
            driver.stdin.flush()
            line = _read_line(driver, STEP_TIMEOUT)
            if not line.startswith("CHECKPOINT"):
                if line == "DONE":
                    break
                output = "\n".join(x for x in log.read_text().splitlines() if "invalid interface" not in x)
                raise AssertionError(f"the app stopped after {list(checkpoints)}: {line!r}\n{output[-4000:]}")
            name = line.removeprefix("CHECKPOINT ").strip()
            client.pump_until_quiet()
            tree = client.node(bus, path)
            checkpoints[name] = Checkpoint(name, tree, list(client.events))
            client.events.clear()
        yield checkpoints
    finally:
        if driver.poll() is None:
            driver.stdin.close()
            try:
                driver.wait(10)
            except subprocess.TimeoutExpired:
                driver.kill()
        client.close()
        session.stop()
