"""The exported PDF read as a printed page: with poppler's own tools (pdftotext, pdfinfo, pdftoppm) and
the font sizes written in the PDF's content, not what Qt was asked for."""

from __future__ import annotations

import html
import os
import re
import subprocess
import unicodedata
import zlib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
from referral_desktop.ui.export_pdf import referral_copy, suggested_name
from referral_desktop.ui.referral_document import is_right_to_left, suggested_file_name
from tests.ui.conftest import create_store_now
from tests.ui.poppler import require_poppler
from tests.ui.printed_now import print_now
from tests.ui.written_times import written_the_other_ways

pytestmark = pytest.mark.gui

RTL_NAME = "محمد علي"
PHONED_AT = "2025-05-30T11:15"  # a date-and-time answer, as the form stores it (UK local time)


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _font_sizes_in_points(pdf: Path) -> Counter:
    """Every ``size Tf`` of the page content streams times the page's scale (``a 0 0 d e f cm``), in
    points, weighted by the number of glyph runs drawn with it."""
    sizes: Counter = Counter()
    raw = pdf.read_bytes()
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        scale_match = re.search(rb"([-\d.]+) 0 0 ([-\d.]+) [-\d.]+ [-\d.]+ cm", content)
        if b" Tf" not in content or not scale_match:
            continue
        scale = abs(float(scale_match.group(1)))
        for size, runs in re.findall(rb"/F\d+ ([\d.]+) Tf((?:(?!Tf).)*)", content, re.S):
            sizes[round(float(size) * scale, 1)] += max(1, runs.count(b"Tj"))
    return sizes


@pytest.fixture
def exported(qtbot, context, store_api, tmp_path):
    store = create_store_now(context)
    answers = full_answers()
    answers["children"][0]["given_names"] = RTL_NAME
    answers["phone_referral_datetime"] = PHONED_AT
    referral = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", current_demo_version(), answers))
    target = tmp_path / "copy.pdf"
    print_now(context, store, referral_copy, str(referral.id), target)
    name = context.runner.run_sync(lambda: suggested_name(store, str(referral.id)))
    return target, name, answers


def test_every_page_carries_the_reference_and_its_number(exported):
    require_poppler()
    pdf, _name, _answers = exported
    pages = _page_texts(pdf)
    count = _page_count(pdf)
    assert 2 <= count <= 12, f"{count} pages for one referral"
    assert len(pages) == count
    for number, page in enumerate(pages, start=1):
        assert "iART reference: not yet sent" in page, f"page {number} has no reference"
        assert f"Page {number} of {count}" in page, f"page {number} has no page number"


def test_sections_questions_and_answers_are_all_there_in_words(exported):
    require_poppler()
    pdf, _name, answers = exported
    text = " ".join(" ".join(page.split()) for page in _page_texts(pdf))
    form = load_form("cwac-marf", current_demo_version())
    answered = [s for s in form.sections if any(item.id in answers for item in s.items)]  # those printed
    assert len(answered) >= 3
    for section in answered[:3]:
        assert section.title in text
    assert answers["referrer_name"] in text
    assert "This copy is not encrypted" in text


def test_body_text_is_eleven_point_as_written_in_the_pdf(exported):
    pdf, _name, _answers = exported
    sizes = _font_sizes_in_points(pdf)
    assert sizes, "no text found in the PDF's content"
    body_size, _runs = sizes.most_common(1)[0]
    assert 10.8 <= body_size <= 11.3, sizes
    assert min(sizes) >= 8.5, f"text smaller than 9 pt: {sizes}"


def test_questions_are_bold_and_the_fonts_are_embedded(exported):
    require_poppler()
    pdf, _name, _answers = exported
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert any("Bold" in row[0] for row in rows), fonts
    assert all("yes" in row[-5:-2] for row in rows), fonts  # embedded: prints the same everywhere


def test_right_to_left_names_read_in_order_and_sit_at_the_right(exported):
    require_poppler()
    pdf, _name, _answers = exported
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', bbox)
    rtl = [(float(x0), float(x1), w) for x0, x1, w in words if is_right_to_left(w)]
    assert rtl, "the right-to-left name is missing"
    # A4 is 595 pt wide with 2 cm (56.7 pt) margins: a right-to-left answer ends at the right margin.
    assert max(x1 for _x0, x1, _w in rtl) > 595 - 57 - 15
    text = unicodedata.normalize("NFKC", " ".join(_page_texts(pdf)))
    assert RTL_NAME in text.replace("\u202b", "").replace("\u202c", "")


def test_pages_render_as_images(exported, tmp_path):
    require_poppler()
    pdf, _name, _answers = exported
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == _page_count(pdf)


def test_file_name_is_the_reference_and_the_date_never_the_child(exported):
    pdf, name, answers = exported
    assert re.fullmatch(r"referral-not-yet-sent-\d{4}-\d{2}-\d{2}\.pdf", name)
    assert suggested_file_name("IART-2026-000123", date(2026, 11, 27)) == "referral-IART-2026-000123-2026-11-27.pdf"
    assert RTL_NAME not in name and answers["referrer_name"] not in name
    if os.name == "posix":
        assert pdf.stat().st_mode & 0o077 == 0


def test_dates_and_times_read_on_paper_as_on_the_screen(exported):
    """The copy wrote "30/05/2025 11:15" and "27/03/2016" where the screens (the check page, a sent referral's
    page) say "30 May 2025 at 11:15am" and "27 March 2016": one way of writing them, on paper as on screen."""
    require_poppler()
    pdf, _name, answers = exported
    text = " ".join(" ".join(page.split()) for page in _page_texts(pdf))
    assert "30 May 2025 at 11:15am" in text
    assert "27 March 2016" in text  # the child's date of birth (demo answers)
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", text), re.findall(r"\d{2}/\d{2}/\d{4}[ \d:]*", text)


def test_times_on_paper_are_written_the_one_govuk_way(exported):
    """The copy's own moments read "24 November 2026 at 10am", as every screen writes them (it printed "Started:
    24 Nov 2026, 10:00am" beside answers reading "30 May 2025 at 11:15am"); no 24-hour clock, no ":00"."""
    require_poppler()
    pdf, _name, _answers = exported
    text = " ".join(" ".join(page.split()) for page in _page_texts(pdf))
    assert "Started: 24 November 2026 at 10am" in text  # the store's clock: FIXED_NOW, 10:00 UTC (GMT)
    assert written_the_other_ways(text) == []


def test_every_answer_on_paper_is_worded_as_the_screens_word_it():
    """Each answer's words in the copy are the check page's and the sent referral page's (answer_text): option
    labels, dates, several choices, attached files."""
    from types import SimpleNamespace

    from referral_desktop.ui.editor.answer_text import answer_text
    from referral_desktop.ui.referral_document import referral_html

    form = load_form("cwac-marf", current_demo_version())
    answers = full_answers()
    answers["phone_referral_datetime"] = PHONED_AT
    referral = SimpleNamespace(answers=answers, iart_reference=None, state="draft", created_at=None,
                               form_id="cwac-marf", form_version=current_demo_version(), outcome=None)
    page = referral_html(referral, form)
    pairs = []  # (field, its answers) for every question, those in repeated groups (each child) too
    for item in (item for section in form.sections for item in section.items):
        if getattr(item, "kind", "") == "repeat":
            pairs += [(field, entry) for entry in answers.get(item.id) or [] for field in item.fields]
        else:
            pairs.append((item, answers))
    checked = 0
    for field, given in pairs:
        if given.get(field.id) in (None, "", []):
            continue
        words = answer_text(field, given[field.id], form)
        assert html.escape(words).replace("\n", "<br>") in page, (field.id, words)
        checked += 1
    assert checked >= 20
