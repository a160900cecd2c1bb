"""A PDF that cannot be written whole is reported as not written, and leaves nothing behind.

Found by writing a copy onto a full disk: ``write_pdf`` (as it was) said 5 pages, the app said "Saved", and the folder
held the first 20 KB of the referral, unencrypted and unreadable as a PDF. The file system's own refusal is
made real here by a file-size limit (``RLIMIT_FSIZE``) on a child process: its writes past the limit fail
with EFBIG, as they fail with ENOSPC on a full disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX's")]

REPO = Path(__file__).resolve().parents[2]
#: A referral's copy is well over this (about 60 KB with its fonts); the limit leaves the write half done.
LIMIT_BYTES = 16_384

CHILD = textwrap.dedent("""
    import json, os, resource, signal, sys
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication
    from referral_desktop.ui.export_pdf import save_printed
    from referral_desktop.ui.printed_page import PrintedPage, render_pdf
    from referral_desktop.ui.referral_document import referral_html
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
    from types import SimpleNamespace
    from datetime import UTC, datetime

    app = QGuiApplication([])
    version = current_demo_version()
    referral = SimpleNamespace(answers=full_answers(), iart_reference=None, state="draft", outcome=None,
                               created_at=datetime(2026, 11, 24, 10, tzinfo=UTC), form_id="cwac-marf", form_version=version)
    html = referral_html(referral, load_form("cwac-marf", version))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
    try:
        pdf = render_pdf(PrintedPage(html, title="Multi-Agency Referral Form"))  # as on the GUI thread
        audit = SimpleNamespace(record=lambda *_args, **_kwargs: None)  # the store's part of save_printed
        save_printed(SimpleNamespace(audit=audit), "id", Path(sys.argv[1]), pdf.data)  # as on the runner
        pages = pdf.pages
    except OSError as error:
        print(json.dumps({"raised": error.errno}))
    else:
        print(json.dumps({"pages": pages}))
""")


def _write_with_limit(target: Path, limit: int) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(target), str(limit)], capture_output=True, text=True,
                            cwd=REPO, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_copy_the_disk_refuses_is_reported_and_leaves_no_partial_file(tmp_path):
    target = tmp_path / "referral-not-yet-sent-2026-11-24.pdf"
    outcome = _write_with_limit(target, LIMIT_BYTES)
    assert "raised" in outcome, f"a half-written copy was reported as written: {outcome}"
    assert list(tmp_path.iterdir()) == [], "a partial, unencrypted copy was left in the folder"


def test_an_earlier_copy_survives_a_failed_write_unchanged(tmp_path):
    """Saving over an earlier copy (the save dialog asked first) and failing leaves the earlier copy as it was,
    not emptied: the new file is written beside it and put in its place only once whole."""
    target = tmp_path / "referral.pdf"
    target.write_bytes(b"%PDF-1.4 an earlier copy\n")
    outcome = _write_with_limit(target, LIMIT_BYTES)
    assert "raised" in outcome
    assert target.read_bytes() == b"%PDF-1.4 an earlier copy\n"
    assert [path.name for path in tmp_path.iterdir()] == ["referral.pdf"]


def test_a_copy_written_whole_is_private_and_complete(tmp_path):
    target = tmp_path / "referral.pdf"
    outcome = _write_with_limit(target, 50_000_000)
    assert outcome.get("pages", 0) >= 3
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert target.stat().st_mode & 0o077 == 0
    assert [path.name for path in tmp_path.iterdir()] == ["referral.pdf"]


def test_the_window_says_the_copy_was_not_written_and_never_that_it_was(qtbot, context, store_api, tmp_path,
                                                                        announced):
    """The refusal reaches the person: "could not be written", no "saved" (the chosen folder is gone by the
    time the copy is written, as a removed USB stick or a network folder dropped would be)."""
    from PySide6.QtWidgets import QWidget

    from referral_desktop.ui.export_pdf import ExportFlow
    from tests.ui.conftest import create_store_now

    store = create_store_now(context)
    referral = context.runner.run_sync(
        lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"}))
    failed: list[str] = []
    done: list[Path] = []
    window = QWidget()
    qtbot.addWidget(window)
    flow = ExportFlow(context, window, done=done.append, failed=failed.append,
                      choose_path=lambda _suggested: str(tmp_path / "gone" / "copy.pdf"))
    flow.start(str(referral.id))
    next(b for b in flow.warning.buttons() if b.objectName() == "exportProceed").click()
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert failed == ["The PDF could not be written. Choose another folder and try again."]
    assert done == [] and not [text for text in announced if "saved" in text]


def test_a_name_typed_with_another_ending_gets_pdf_after_it_not_in_its_place(tmp_path):
    """"copy.v2" became "copy.pdf", another file's name, which the save dialog had not asked about."""
    from referral_desktop.ui.export_pdf import chosen_pdf_path

    written = [chosen_pdf_path(str(tmp_path / "copy.v2")), chosen_pdf_path(str(tmp_path / "copy.PDF"))]
    assert written == [tmp_path / "copy.v2.pdf", tmp_path / "copy.PDF"]
