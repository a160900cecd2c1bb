"""Where a printed document's pages break: a heading is kept with what follows it, a short row is kept whole.

Qt's text layout breaks a page between any two lines, and CSS's ``page-break-inside: avoid`` and
``page-break-after: avoid`` are not among what its HTML reader knows, so ``printed_page`` calls
:func:`keep_together` once the document is laid out for its paper, before it draws the pages (or
steps through :func:`keep_together_in_passes` on the GUI thread, one layout of the document a step).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QAbstractTextDocumentLayout, QTextBlock, QTextCursor, QTextDocument, QTextFormat, QTextTable

#: A paragraph of up to this many lines is never cut across pages; a longer one may be, as in any book.
SHORT_PARAGRAPH_LINES = 3


def keep_together(document: QTextDocument, page_height: float) -> None:
    """All of :func:`keep_together_in_passes` at once."""
    for _ in keep_together_in_passes(document, page_height):
        pass


def keep_together_in_passes(document: QTextDocument, page_height: float) -> Iterator[None]:
    """Start a new page before a heading that would end a page, or a short row or paragraph that would be
    cut in two.

    Why: a printed referral showed "Parent or carer 1" alone at the foot of a page with the carer's answers
    overleaf, and a question cut after "Strengths and what is going", its answer cut with it. So each row
    (every answer is a one-row table, see ``referral_document``) that fits on a page is kept on one, and so
    is a paragraph of up to three lines (the privacy notice printed for a family); a run of headings
    ("Parents, carers and household", then "Parent or carer 1") stays with the first row after it. A row
    taller than a page, or one already at the top of a page, is left to run on: a new page would not help.
    Each pass moves the first such place and lays the document out again, so a move that pushes a later
    row or heading across a page's foot is found too. It yields after each pass: a pass lays out the whole
    document again (about 35 ms for a 47-page referral), and the GUI thread, which lays the pages out,
    runs its events between passes (``printed_page``)."""
    for _ in range(document.blockCount()):  # each pass moves one place down a page, or ends
        yield from _laid_out(document)  # the whole document laid out before it is measured
        place = _first_place_to_break(document, page_height)
        if place is None or _breaks_before(place):
            return  # (the second: Qt did not honour a break; never loop on it)
        if isinstance(place, QTextTable):
            table_format = place.format()
            table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            place.setFormat(table_format)
        else:
            block_format = place.blockFormat()
            block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(place).setBlockFormat(block_format)
        # Laid out again whole: left to Qt's incremental layout, in a first version of this loop two
        # later headings were left unlaid (no lines, so not drawn in the PDF at all). Setting the page size
        # (the same) starts Qt's whole layout from the top, as a new paper size does, but lazily: the next
        # pass's ``_laid_out`` has it done a block at a time. (``markContentsDirty`` over the whole document
        # did the same in one go: 50 ms for a 47-page referral, on the GUI thread, for every pass.)
        document.setPageSize(document.pageSize())
        yield


def _laid_out(document: QTextDocument) -> Iterator[None]:
    """Lay the document out a block at a time, yielding after each: Qt lays a document out lazily, in order,
    and asking where a block is lays it out up to that block (up to 12 ms for the longest answer; the whole
    47-page referral at once took 85 ms)."""
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        layout.blockBoundingRect(block)
        yield
        block = block.next()
    layout.documentSize()  # and whatever follows the last block (the root frame's end)


def _first_place_to_break(document: QTextDocument, page_height: float) -> QTextBlock | QTextTable | None:
    """The first run of headings left at a page's foot, or row cut in two, that a new page would mend."""
    layout = document.documentLayout()

    def page(y: float) -> int:
        return int(y // page_height)

    headings: QTextBlock | None = None  # the first of a run of headings not yet followed by a row
    headings_page, headings_start_a_page = 0, False
    previous_bottom = -1.0  # of the last heading or row laid out
    items = document.rootFrame().begin()
    while not items.atEnd():
        frame, block = items.currentFrame(), items.currentBlock()
        items += 1
        if frame is None and block.blockFormat().headingLevel() > 0:
            top, bottom = _lines_extent(block)
            if headings is None:
                headings, headings_page, headings_start_a_page = block, page(top), page(previous_bottom) < page(top)
            previous_bottom = bottom - 1
            continue
        if isinstance(frame, QTextTable):
            top, bottom = _row_extent(layout, frame)
        elif frame is None and block.text().strip():
            top, bottom = _lines_extent(block)
        else:
            continue  # an empty block (Qt puts one after every table)
        place = frame if isinstance(frame, QTextTable) else block
        if isinstance(place, QTextTable):  # a receipt's list (many rows) breaks between its rows
            keep_whole = place.rows() == 1 and bottom - top <= page_height
        else:  # a paragraph or list item: one or two lines alone at a page's foot or head read as lost
            keep_whole = place.layout().lineCount() <= SHORT_PARAGRAPH_LINES
        cut = keep_whole and page(top) != page(bottom - 1)
        if headings is not None:
            if not headings_start_a_page and (page(top) > headings_page or cut):
                return headings
        elif cut and page(previous_bottom) == page(top):
            return place
        headings, previous_bottom = None, bottom - 1
    return None


def _breaks_before(place: QTextBlock | QTextTable) -> bool:
    place_format = place.format() if isinstance(place, QTextTable) else place.blockFormat()
    return bool(place_format.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)


def _lines_extent(block: QTextBlock) -> tuple[float, float]:
    """The top of a block's first line and the bottom of its last (its margins left out: a heading's
    space below may run past a page's foot while its words are on that page)."""
    lines = block.layout()
    if lines.lineCount() == 0:  # not laid out (keep_together lays the whole document out first)
        rect = block.document().documentLayout().blockBoundingRect(block)
        return rect.top(), rect.bottom()
    first, last = lines.lineAt(0), lines.lineAt(lines.lineCount() - 1)
    origin = lines.position().y()
    return origin + first.y(), origin + last.y() + last.height()


def _row_extent(layout: QAbstractTextDocumentLayout, table: QTextTable) -> tuple[float, float]:
    """The top of a table's first line and the bottom of its last, in the document's coordinates."""
    first = layout.blockBoundingRect(table.cellAt(0, 0).firstCursorPosition().block())
    last_row = table.rows() - 1
    bottom = max(layout.blockBoundingRect(table.cellAt(last_row, column).lastCursorPosition().block()).bottom()
                 for column in range(table.columns()))
    return first.top(), bottom
