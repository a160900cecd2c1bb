"""The first thing ``--demo`` shows: a window saying the practice iART server is starting.

Why: the sandbox takes a few seconds to create its certificates and start; before, nothing appeared
for 4-6 s and people clicked the icon again. The window appears at once, the child's readiness is
polled on a short timer only while this window is up, and closing the window (or a SIGTERM) stops the
child and ends the demo.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_desktop.ui.demo_sandbox import DemoLaunch, DemoSandbox
from referral_desktop.ui.termination import TerminationWatch

POLL_MS = 100
MESSAGE = "Starting the practice iART server…"
DETAIL = ("This is the demo: referrals you send go to a practice server on this computer, which "
          "acknowledges them after a few seconds, asks you one question about each (answer it from the "
          "referral's page), and decides them soon after your reply. Nothing leaves this computer, and "
          "everything is deleted when you close the app.")


class StartingWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("demoStarting")
        self.setWindowTitle("Starting the demo — Referral Desktop")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 30, 30, 30)
        self.message = QLabel(MESSAGE)
        self.message.setObjectName("demoStartingMessage")
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.message.setFont(font)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QLabel(DETAIL)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        layout.addWidget(self.detail)
        self.setMinimumWidth(420)
        self.closed_by_user = False

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.closed_by_user = True
        super().closeEvent(event)


def start_with_window(demo_dir: Path, watch: TerminationWatch,
                      timeout: float = 30) -> tuple[DemoSandbox | None, str | None, bool]:
    """Start the sandbox while a window says so. Returns (sandbox, policy file, go on): go on is False
    when the user closed the window or the app was asked to end meanwhile."""
    window = StartingWindow()
    window.show()
    launch = DemoLaunch(demo_dir, timeout)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)
    state = {"value": DemoLaunch.STARTING}

    def check() -> None:
        state["value"] = launch.poll()
        if state["value"] != DemoLaunch.STARTING or window.closed_by_user or watch.requested:
            loop.quit()

    timer.timeout.connect(check)
    watch.on_request(loop.quit)
    timer.start()
    check()
    if state["value"] == DemoLaunch.STARTING:
        loop.exec()
    timer.stop()
    watch.callbacks.remove(loop.quit)
    go_on = not (window.closed_by_user or watch.requested)
    window.hide()
    window.deleteLater()
    if not go_on:
        launch.abandon()
        return None, None, False
    if state["value"] == DemoLaunch.READY:
        return launch.sandbox, launch.policy_file, True
    return None, None, True
