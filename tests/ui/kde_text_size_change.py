"""Run by ``test_text_size_everywhere`` in its own process: the app under Qt's own KDE platform theme, on
Xvfb with a private D-Bus session, and the desktop's text size changed as Plasma changes it.

The desktop's settings file (``kdeglobals`` under ``XDG_CONFIG_HOME``, set by the test) starts at 9 pt,
which the app raises to 12 pt (``theme.apply_theme``), or at 14 pt, which it keeps. Then the file's font is
changed and the settings portal's
``SettingChanged`` signal, which Qt's KDE theme listens to, is sent on the session bus (``dbus-send``): Qt
reads the file again and sends every window ``ThemeChange``. Prints one JSON line: what Qt reports as the
system's font, the application's font, and an open window's label and heading, after each change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_desktop.ui.app import build_application
from referral_desktop.ui.text_size import FOLLOWER_NAME, ApplicationTextSize
from referral_desktop.ui.theme import TEXT_SIZE_WATCH_DELAY_MS, heading

POLL_MS, WAIT_MS = 50, 20_000

SETTINGS = Path(os.environ["XDG_CONFIG_HOME"]) / "kdeglobals"


def desktop_text_size(points: int) -> None:
    """The desktop's text size changed: its settings file, then the signal Qt listens for."""
    lines = [f"font=Noto Sans,{points},-1,5,400,0,0,0,0,0,0,0,0,0,0,1" if line.startswith("font=") else line
             for line in SETTINGS.read_text(encoding="utf-8").splitlines()]
    SETTINGS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(["dbus-send", "--session", "--type=signal", "/org/freedesktop/portal/desktop",
                    "org.freedesktop.portal.Settings.SettingChanged", "string:org.kde.kdeglobals.General",
                    "string:ColorScheme", "variant:string:BreezeLight"], check=True)


def main() -> int:
    app = build_application(sys.argv[:1])
    window = QWidget()
    title, body = QLabel("Settings"), QLabel("Used to fill in 'About you' in new referrals.")
    heading(title)
    layout = QVBoxLayout(window)
    layout.addWidget(title)
    layout.addWidget(body)
    window.show()
    seen: dict[str, list[float]] = {}

    def record(name: str) -> list[float]:
        seen[name] = [QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF(),
                      app.font().pointSizeF(), body.font().pointSizeF(), title.font().pointSizeF()]
        return seen[name]

    # Each step waits for what it needs instead of a fixed time (under load, CI's run recorded the 20 pt step
    # before it had arrived): the watch installed, then each change seen through, up to WAIT_MS each; what
    # is recorded is what was there, right or not, for the test to judge.
    def when(ready, then, waited_ms: int = 0) -> None:
        if ready() or waited_ms >= WAIT_MS:
            then()
        else:
            QTimer.singleShot(POLL_MS, lambda: when(ready, then, waited_ms + POLL_MS))

    def shows(expected: list[float]):
        def ready() -> bool:
            now = record("now")
            del seen["now"]
            return now == expected

        return ready

    def watched() -> bool:
        return app.findChild(ApplicationTextSize, FOLLOWER_NAME) is not None

    def start() -> None:
        record("start")
        desktop_text_size(20)
        when(shows([20.0, 20.0, 20.0, 35.0]), after_20)

    def after_20() -> None:
        record("20")
        desktop_text_size(8)
        when(shows([8.0, 12.0, 12.0, 21.0]), after_8)

    def after_8() -> None:
        record("8")
        app.quit()

    QTimer.singleShot(TEXT_SIZE_WATCH_DELAY_MS, lambda: when(watched, start))
    app.exec()
    print(json.dumps(seen), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
