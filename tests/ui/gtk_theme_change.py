"""Run under Xvfb with Qt's GTK platform theme (``test_text_size_everywhere``): GTK's font setting changed
as a desktop's settings daemon changes it, and how many times the app's system text-size watch was told.

Prints one line, ``told N``. Not a test module itself: it needs its own process (the platform theme is
chosen when the QApplication is built, and the test process's is offscreen).
"""

from __future__ import annotations

import ctypes
import os
import sys

os.environ["QT_QPA_PLATFORMTHEME"] = "gtk3"

from PySide6.QtCore import QTimer  # noqa: E402 (after the theme is chosen)
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    from referral_desktop.ui.text_size import SystemTextSizeWatch

    asked = []

    def system_font():
        asked.append(1)
        return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)

    watch = SystemTextSizeWatch(app, system_font=system_font)
    gtk = ctypes.CDLL("libgtk-3.so.0")
    gobject = ctypes.CDLL("libgobject-2.0.so.0")
    gtk.gtk_settings_get_default.restype = ctypes.c_void_p
    settings = ctypes.c_void_p(gtk.gtk_settings_get_default())

    def change(name: bytes) -> None:
        gobject.g_object_set(settings, b"gtk-font-name", name, None)

    QTimer.singleShot(100, lambda: change(b"Sans 20"))
    QTimer.singleShot(300, lambda: change(b"Sans 8"))
    QTimer.singleShot(600, app.quit)
    app.exec()
    print(f"told {len(asked) - 1}", flush=True)  # the first ask is the watch's own, when it is made
    del watch
    return 0


if __name__ == "__main__":
    sys.exit(main())
