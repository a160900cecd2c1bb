"""Before Qt starts on Linux: is there a screen to draw on, and are the libraries Qt's X11 plugin needs?

Why: without a display Qt prints "could not connect to display" and aborts the process (a C-level
abort that Python cannot catch), which tells a newcomer nothing about what to install; a missing
``libxcb-cursor0`` gives a similar wall of text. This check names the problem and the Debian packages,
so the person can fix it, and it runs before ``--demo`` starts anything that would need cleaning up.
The library list was read with ``ldd`` from PySide6's xcb platform plugin (``libqxcb.so`` and
``libQt6XcbQpa.so.6``); each soname maps to the Debian 12 package that ships it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
SCREENLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}
VIRTUAL_SCREEN_PACKAGES = "xvfb xauth"


def missing_xcb_packages(load: Callable[[str], object] | None = None) -> list[str]:
    """Debian packages whose library Qt's X11 plugin needs and the dynamic loader cannot find."""
    if load is None:
        import ctypes  # here: only an X11 start from source needs it, and it costs ~5 ms of every start

        load = ctypes.CDLL
    loader = load
    missing = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            loader(soname)
        except OSError:
            missing.append(package)
    return missing


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                    load: Callable[[str], object] | None = None) -> str | None:
    """A message saying what is missing and how to fix it, or None when Qt can start. Only Linux and
    the BSDs need a display server; elsewhere (and on screenless Qt platforms) this always says None."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    if not platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if chosen in SCREENLESS_PLATFORMS:
        return None
    has_x = bool(environ.get("DISPLAY"))
    has_wayland = bool(environ.get("WAYLAND_DISPLAY"))
    if not has_x and not has_wayland:
        return ("Referral Desktop needs a desktop to show its window, and none was found (neither DISPLAY "
                "nor WAYLAND_DISPLAY is set).\n"
                "Start it from your desktop session. On a machine without a desktop, run it on a virtual "
                f"screen: install {VIRTUAL_SCREEN_PACKAGES} (sudo apt-get install {VIRTUAL_SCREEN_PACKAGES}) "
                "and run: xvfb-run -a referral-desktop --demo\n"
                "To check an installation without any screen: QT_QPA_PLATFORM=offscreen referral-desktop "
                "self-test")
    frozen = getattr(sys, "frozen", False)  # installed packages depend on these libraries already
    if has_x and not frozen and chosen in ("", "xcb") and not (has_wayland and chosen == ""):
        missing = missing_xcb_packages(load)
        if missing:
            names = " ".join(missing)
            return (f"Qt needs libraries to open a window on this X11 display that are not installed: "
                    f"{names}.\nInstall them (sudo apt-get install {names}) and start Referral Desktop again.")
    return None
