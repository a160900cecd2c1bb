"""The saved receipt is black on white paper whatever the screen's palette.

The PDF is drawn by Qt's text layout, whose colours default to the application's palette: under a dark
or high-contrast system palette (which the app follows as it is, ``ui/theme.py``) the receipt's body was
written in light text on the white page — a blank-looking sheet, printed or opened. Read here as a printed
page: poppler renders it (``pdftoppm``) and the body's darkest pixels are measured, in the light, a dark
and the high-contrast palette. Real SQLCipher store."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.example_palettes import dark_palette, high_contrast_palette
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.poppler import pdf_text, require_poppler
from tests.ui.test_purged_refused_reply_documents import _purged_with_a_refused_reply
from tests.ui.written_times import MOMENT, written_the_other_ways

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _darkest_in_body(png) -> int:
    """The lowest grey level (0 black .. 255 white) below the running line, in the page's upper half
    (where the receipt's heading and table are)."""
    image = QImage(str(png))
    top, bottom = image.height() // 10, image.height() // 2
    return min(QColor(image.pixel(x, y)).lightness()
               for y in range(top, bottom, 2) for x in range(0, image.width(), 2))


@pytest.mark.parametrize("palette", [None, dark_palette, high_contrast_palette], ids=["light", "dark", "high-contrast"])
def test_the_receipt_is_dark_text_on_the_page_whatever_the_palette(qtbot, context, tmp_path, palette):
    from referral_desktop.ui.receipt_export import receipt_page
    from tests.ui.printed_now import print_now

    require_poppler()
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store))
    app = QApplication.instance()
    old = app.palette()
    if palette is not None:
        app.setPalette(palette())
    try:
        pdf = print_now(context, store, receipt_page, referral_id, tmp_path / "receipt.pdf")
    finally:
        app.setPalette(old)
    assert "Documents that never reached iART" in " ".join(pdf_text(pdf).split())  # the words are there...
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    [png] = tmp_path.glob("page*.png")
    assert _darkest_in_body(png) < 80  # ...and drawn dark enough to read on white paper


def test_the_receipts_moments_are_written_as_the_screens_write_them(qtbot, context, tmp_path):
    """The receipt printed "Started 24 Nov 2026, 10:00am" while the screens wrote answers "30 May 2025 at
    11:15am": one way now, "24 November 2026 at 10am", as the pdf reads back."""
    from referral_desktop.ui.receipt_export import receipt_page
    from tests.ui.printed_now import print_now

    require_poppler()
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store))
    pdf = print_now(context, store, receipt_page, referral_id, tmp_path / "receipt.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert "Started 24 November 2026 at 10am" in text, text
    assert len(MOMENT.findall(text)) >= 3, text  # started, sent, received, ...
    assert written_the_other_ways(text) == []
