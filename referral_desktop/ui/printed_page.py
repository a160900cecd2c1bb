"""Lay a document out on A4 paper: 11 pt body, 2 cm margins, a running line and page numbers on every page.

Why not ``QTextDocument.print_``: it numbers pages only when it paginates a copy itself, and it has no
running header, so a page that comes loose from a printed referral could not be matched to it. Here the
document is laid out for the writer's own resolution, paginated into the body area, and each page is
drawn between a running line at the top (the referral's reference) and "Page N of M" at the bottom.

On the GUI thread only (the README's "Qt and threads", rule 4). Qt itself would allow this elsewhere: "The
QTextDocument, QTextCursor, and all related classes are reentrant", a QPainter may paint a QPrinter (the
same PDF engine) in another thread, and every QFontDatabase function is thread-safe (Qt 6, "Thread-Support
in Qt Modules" and the QFontDatabase reference). PySide is what is not: each Qt object reached from Python
gets a wrapper, and the first use of a class creates its Python type (``Shiboken::Module::get``), in
tables that are not guarded for two threads; a segfault there was traced last session, and PySide's own
support for threads without the GIL is still to come (PYSIDE-2221). The runner built the copy beside the
GUI thread and wrapped about twenty Qt classes while the window ran (QTextDocument, QPdfWriter, QPainter,
QTextBlock, QTextTable, QTextCursor, QFont, QPalette…), and warned "QBasicTimer::start: current thread's
event dispatcher has already been destroyed" as it did (the runner's thread has no Qt event loop).

So the runner reads the store and builds the HTML (plain Python, :class:`PrintedPage`); this module lays
it out and paints it into memory on the GUI thread, and the runner writes the bytes to the chosen file
(``private_files``). A 47-page referral took about 420 ms to lay out and paint in one go, most of it
:mod:`page_breaks` laying the whole document out again for each page break it moves; so
:func:`render_in_steps` does the work in steps of up to ``STEP_BUDGET_S`` and lets the window run its
events between them: the longest hold is now about 40 ms (``tests/benchmarks/bench_pdf.py``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QObject, QRectF, QSizeF, Qt, QTimer
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

from referral_desktop.ui.page_breaks import keep_together_in_passes

log = logging.getLogger(__name__)

BODY_POINT_SIZE = 11
MARGIN_MM = 20
RESOLUTION_DPI = 300
#: How long one step of :func:`render_in_steps` may run before the window gets its events (a step may
#: run over by one pass of the page breaks or one page: about 35 ms at most for the longest referral).
STEP_BUDGET_S = 0.015
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


@dataclass(frozen=True)
class PrintedPage:
    """What to print, built off the GUI thread as plain Python: the document as HTML, the PDF's title and
    the line at the top of every page (the title when empty)."""

    html: str
    title: str = "Referral"
    running_line: str = ""


@dataclass(frozen=True)
class RenderedPdf:
    """A whole PDF in memory, not yet written anywhere."""

    data: bytes
    pages: int


def _rendering(page: PrintedPage) -> Generator[None, None, RenderedPdf]:
    """Lay ``page`` out and paint it into memory, yielding between passes of the page breaks and pages."""
    pdf = QBuffer()
    pdf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(pdf)
    writer.setTitle(page.title)
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
    document.setHtml(page.html)
    body_height = area.height() - 2 * band
    document.setPageSize(QSizeF(area.width(), body_height))
    yield
    yield from keep_together_in_passes(document, body_height)
    pages = max(1, document.pageCount())

    paper = _paper_palette()
    painter = QPainter(writer)
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            painter.setFont(small)
            painter.drawText(QRectF(0, 0, area.width(), band),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, page.running_line or page.title)
            painter.drawText(QRectF(0, area.height() - band, area.width(), band),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             f"Page {number + 1} of {pages}")
            painter.save()
            clip = QRectF(0, number * body_height, area.width(), body_height)
            painter.translate(0, band - number * body_height)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            context.palette = paper
            document.documentLayout().draw(painter, context)
            painter.restore()
            yield
    finally:
        painter.end()
    del writer  # finishes the PDF
    return RenderedPdf(bytes(pdf.data().data()), pages)


def render_pdf(page: PrintedPage) -> RenderedPdf:
    """All of ``page`` laid out and painted at once, on the calling thread (the GUI thread)."""
    steps = _rendering(page)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


#: Renderings under way, kept alive until they end (one whose owner is destroyed ends with it).
_under_way: set[_SteppedRendering] = set()


class _SteppedRendering:
    """Drives :func:`_rendering` from a zero-interval timer on the GUI thread, ``STEP_BUDGET_S`` a turn."""

    def __init__(self, page: PrintedPage, owner: QObject | None, done: Callable[[RenderedPdf], object],
                 failed: Callable[[], object]) -> None:
        self.steps = _rendering(page)
        self.done, self.failed = done, failed
        self.timer = QTimer(owner)  # destroyed with its owner (a screen left, the app locked): no callback
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._step)
        self.timer.destroyed.connect(lambda: _under_way.discard(self))

    def _step(self) -> None:
        started = time.perf_counter()
        try:
            while time.perf_counter() - started < STEP_BUDGET_S:
                next(self.steps)
        except StopIteration as finished:
            self._end()
            self.done(finished.value)
        except Exception as exc:  # noqa: BLE001 - told to the person as "could not be saved"; never the text
            log.warning("PDF not laid out: %s", type(exc).__name__)
            self._end()
            self.failed()

    def _end(self) -> None:
        self.timer.stop()
        _under_way.discard(self)


def render_in_steps(page: PrintedPage, owner: QObject | None, done: Callable[[RenderedPdf], object],
                    failed: Callable[[], object]) -> None:
    """Lay ``page`` out and paint it on the GUI thread, in steps between which the window runs its events;
    then ``done(pdf)``, or ``failed()`` if Qt could not. Nothing is called if ``owner`` is destroyed first."""
    rendering = _SteppedRendering(page, owner, done, failed)
    _under_way.add(rendering)
    rendering.timer.start()
