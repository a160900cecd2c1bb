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
from referral_desktop.ui.theme import TEXT_SIZE_WATCH_DELAY_MS, heading

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

    def record(name: str) -> None:
        seen[name] = [QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF(),
                      app.font().pointSizeF(), body.font().pointSizeF(), title.font().pointSizeF()]

    start = TEXT_SIZE_WATCH_DELAY_MS + 300
    QTimer.singleShot(start - 100, lambda: record("start"))
    QTimer.singleShot(start, lambda: desktop_text_size(20))
    QTimer.singleShot(start + 700, lambda: record("20"))
    QTimer.singleShot(start + 800, lambda: desktop_text_size(8))
    QTimer.singleShot(start + 1500, lambda: record("8"))
    QTimer.singleShot(start + 1600, app.quit)
    app.exec()
    print(json.dumps(seen), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
