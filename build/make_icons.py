"""Render the app icon's PNG and ICO from resources/icons/referral-desktop.svg (run by hand when the
SVG changes; the outputs are committed so that building never needs Qt's SVG module or Pillow).

    .venv/bin/python build/make_icons.py

The ICO holds PNG-compressed images (allowed since Windows Vista), which is what WiX and PyInstaller's
Windows executable take.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (256, 128, 64, 48, 32, 16)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QImage painting needs it
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_from_pngs(pngs: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(pngs)
    for size, png in sorted(pngs.items(), reverse=True):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    svg = ICONS / "referral-desktop.svg"
    pngs = {size: render_png(svg, size) for size in SIZES}
    (ICONS / "referral-desktop.png").write_bytes(pngs[256])
    (ICONS / "referral-desktop-48.png").write_bytes(pngs[48])
    (ICONS / "referral-desktop.ico").write_bytes(ico_from_pngs(pngs))
    print(f"wrote {', '.join(p.name for p in sorted(ICONS.glob('referral-desktop*')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
