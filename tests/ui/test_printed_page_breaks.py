"""Where the printed referral's pages break: never after a heading, never through a short answer.

Found reading the exported PDF as a printed page: "Parent or carer 1" stood alone at the foot of page 2, the
carer's answers overleaf, and a question was cut after "Strengths and what is going", its answer with it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QFont, QPdfWriter, QTextBlock, QTextDocument, QTextTable

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
from referral_desktop.ui.export_pdf import referral_copy
from referral_desktop.ui.page_breaks import keep_together
from referral_desktop.ui.printed_page import STYLE
from tests.ui.conftest import create_store_now
from tests.ui.poppler import require_poppler
from tests.ui.printed_now import print_now

pytestmark = pytest.mark.gui

PAGE_HEIGHT = 1200  # device pixels at 300 dpi: about ten 11 pt lines, so every case crosses pages often


def _row(question: str, answer_lines: int) -> str:
    answer = "<br>".join(f"answer line {n}" for n in range(answer_lines))
    return f"<table width='100%'><tr><td width='40%'><b>{question}</b></td><td>{answer}</td></tr></table>"


ROWS = "".join(_row(f"Question {n}", n % 4 + 1) for n in range(6))
#: Headings and one-row tables as ``referral_document`` writes them.
ANSWERS = ("<h2>Parents, carers and household</h2><h3>Parent or carer 1</h3>" + ROWS + "<h2>Concerns</h2>"
           + _row("A question longer than a page", 40) + ROWS + "<h2>Last</h2>" + ROWS)
#: A notice's end, as the privacy notice is printed for a family: list items of one, two and three lines.
NOTICE = ("<h2>Questions and complaints</h2><ul>"
          + "".join(f"<li>{'a list item of a printed notice ' * 2 * n}</li>" for n in range(1, 4))
          + "</ul><p>" + "a paragraph longer than three lines " * 30 + "</p>")


def _document(pdf: Path, filler_lines: int, body: str) -> QTextDocument:
    """``body`` pushed down by ``filler_lines``, laid out as ``printed_page`` lays it out (for a 300 dpi PDF
    writer: a first version of ``keep_together`` left two headings unlaid only there)."""
    writer = QPdfWriter(str(pdf))
    writer.setResolution(300)
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(11)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(STYLE)
    document.setHtml("<p>" + "<br>".join(f"filler {n}" for n in range(filler_lines)) + "</p>" + body)
    document.setPageSize(QSizeF(2000, PAGE_HEIGHT))
    document._writer = writer  # kept alive with the document
    return document


def _lines(block: QTextBlock) -> tuple[float, float]:
    layout = block.layout()
    first, last = layout.lineAt(0), layout.lineAt(layout.lineCount() - 1)
    return layout.position().y() + first.y(), layout.position().y() + last.y() + last.height()


def _laid_out_items(document: QTextDocument) -> list[tuple[str, str, float, float]]:
    """(kind, text, top, bottom) of each heading and row, in the document's coordinates."""
    layout, items, out = document.documentLayout(), document.rootFrame().begin(), []
    while not items.atEnd():
        frame, block = items.currentFrame(), items.currentBlock()
        items += 1
        if isinstance(frame, QTextTable):
            cells = [frame.cellAt(0, column) for column in range(frame.columns())]
            top = layout.blockBoundingRect(cells[0].firstCursorPosition().block()).top()
            bottom = max(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom() for cell in cells)
            out.append(("row", cells[0].firstCursorPosition().block().text(), top, bottom))
        elif frame is None and block.blockFormat().headingLevel():
            assert block.layout().lineCount() == 1, f"heading {block.text()!r} not laid out (not printed)"
            out.append(("heading", block.text(), *_lines(block)))
        elif frame is None and block.text().strip():
            kind = "short paragraph" if block.layout().lineCount() <= 3 else "paragraph"
            out.append((kind, block.text()[:30], *_lines(block)))
    return out


@pytest.mark.parametrize("body", [ANSWERS, NOTICE], ids=["answers", "notice"])
@pytest.mark.parametrize("filler_lines", range(0, 24))  # a page holds about 20 lines: every place on it
def test_no_heading_ends_a_page_and_no_short_row_or_paragraph_is_cut(qapp, tmp_path, filler_lines, body):
    document = _document(tmp_path / "layout.pdf", filler_lines, body)
    keep_together(document, PAGE_HEIGHT)
    document.documentLayout().documentSize()

    def page(y: float) -> int:
        return int(y // PAGE_HEIGHT)

    items = _laid_out_items(document)
    if body is ANSWERS:
        assert [text for kind, text, *_ in items if kind == "heading"] == [
            "Parents, carers and household", "Parent or carer 1", "Concerns", "Last"]
    else:
        assert [(kind, bottom - top > 54) for kind, _text, top, bottom in items[-4:]] == [
            ("short paragraph", False), ("short paragraph", True), ("short paragraph", True), ("paragraph", True)]
    for index, (kind, text, top, bottom) in enumerate(items):
        if kind == "short paragraph" or (kind == "row" and bottom - top <= PAGE_HEIGHT):
            assert page(top) == page(bottom - 1), f"{text!r} cut across pages {page(top)}-{page(bottom - 1)}"
        if kind == "heading" and items[index - 1][0] != "heading":  # the first of a run of headings
            first_row = next(item for item in items[index:] if item[0] != "heading")
            assert page(first_row[2]) == page(top), f"{text!r} on page {page(top)}, its rows on the next"


def test_the_printed_referral_keeps_each_heading_with_its_answers(qtbot, context, tmp_path):
    """The demo referral as exported: no page of the PDF (read back with pdftotext) ends with a heading,
    and every section with answers is printed with its heading."""
    require_poppler()
    store = create_store_now(context)
    version = current_demo_version()
    referral = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", version, full_answers()))
    target = tmp_path / "copy.pdf"
    print_now(context, store, referral_copy, str(referral.id), target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    form = load_form("cwac-marf", version)
    titles = {section.title for section in form.sections} | {"Child 1", "Parent or carer 1", "Professional 1"}
    printed_lines = {line.strip() for line in text.splitlines()}
    for title in ("Parents, carers and household", "Parent or carer 1", "Concerns", "Privacy notice",
                  "Declarations"):
        assert title in printed_lines, f"{title!r} is not printed"
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        content = [line.strip() for line in page.splitlines()
                   if line.strip() and not line.strip().startswith(("Page ", "Multi-Agency Referral Form –"))]
        assert content[-1] not in titles, f"page {number} ends with the heading {content[-1]!r}"


def test_an_answer_to_a_question_later_hidden_is_not_printed(qtbot, context, tmp_path):
    """Printed as it is sent and as the editor asks: who must not be identified, typed before that question
    was changed to "No", is kept in the draft but not printed on the unencrypted copy."""
    require_poppler()
    store = create_store_now(context)
    answers = full_answers()
    answers["informant_protected"] = "no"
    answers["informant_details"] = "SENTINEL-informant-Jo-Neighbour"
    version = current_demo_version()
    referral = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", version, answers))
    target = tmp_path / "copy.pdf"
    print_now(context, store, referral_copy, str(referral.id), target)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "SENTINEL-informant" not in text
    assert "must not be" in text  # the question itself, answered "No", is printed
