"""Lay a document out on A4 paper: 11 pt body, 2 cm margins, a running line and page numbers on every page.

Why not ``QTextDocument.print_``: it numbers pages only when it paginates a copy itself, and it has no
running header, so a page that comes loose from a printed referral could not be matched to it. Here the
document is laid out for the writer's own resolution, paginated into the body area, and each page is
drawn between a running line at the top (the referral's reference) and "Page N of M" at the bottom.
Runs on any thread (QPdfWriter and QTextDocument need no widgets).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)

from referral_desktop.private_files import write_private_atomically
from referral_desktop.ui.page_breaks import keep_together

BODY_POINT_SIZE = 11
MARGIN_MM = 20
RESOLUTION_DPI = 300
STYLE = (
    "td { padding: 3px; vertical-align: top; } "
    "h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 14px; } h3 { font-size: 12pt; }"
)


def _font(point_size: float) -> QFont:
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    return font


def _paper_palette() -> QPalette:
    """Black text and dark blue links on white paper. The text layout draws with the palette it is given,
    and a default palette is the application's: under a dark or high-contrast screen palette (which the
    app follows as it is) the page would be light text on white paper, blank to the eye."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Text, "#0b0c0c"), (roles.WindowText, "#0b0c0c"), (roles.Base, "#ffffff"),
                         (roles.Window, "#ffffff"), (roles.Link, "#1d70b8"), (roles.LinkVisited, "#4c2c92")):
        palette.setColor(role, QColor(colour))  # every colour group
    return palette


def write_pdf(document_html: str, path: Path, title: str = "Referral", running_line: str = "") -> int:
    """Render ``document_html`` to an A4 PDF readable by the user only; returns the number of pages."""
    pdf = QBuffer()
    pdf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(pdf)
    writer.setTitle(title)
    writer.setCreator("Referral Desktop")
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    area = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    small = _font(9)
    band = round(RESOLUTION_DPI * 0.28)  # about 7 mm for the running line and for the page number

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # font sizes in points, for the PDF's resolution
    document.setDefaultFont(_font(BODY_POINT_SIZE))
    document.setDefaultStyleSheet(STYLE)
    document.setHtml(document_html)
    body_height = area.height() - 2 * band
    document.setPageSize(QSizeF(area.width(), body_height))
    keep_together(document, body_height)
    pages = max(1, document.pageCount())

    paper = _paper_palette()
    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.setFont(small)
            painter.drawText(QRectF(0, 0, area.width(), band),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, running_line or title)
            painter.drawText(QRectF(0, area.height() - band, area.width(), band),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             f"Page {page + 1} of {pages}")
            painter.save()
            clip = QRectF(0, page * body_height, area.width(), body_height)
            painter.translate(0, band - page * body_height)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            context.palette = paper
            document.documentLayout().draw(painter, context)
            painter.restore()
    finally:
        painter.end()
    del writer  # finishes the PDF
    # Written whole or not at all: QPdfWriter writing to the file itself said nothing when a write failed,
    # and on a full disk the copy was reported written while the folder held its first 20 KB, unencrypted.
    write_private_atomically(path, bytes(pdf.data().data()))
    return pages
