"""A PDF exported at once, in the app's three steps and on their threads, for tests that read the page.

The app's flows (``export_pdf.write_where_chosen``) read the store and build the HTML on the runner's
thread, lay the pages out on the GUI thread and write the file on the runner's thread, hopping between
them through the event loop; a test that only wants the printed page takes the same steps in order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from referral_desktop.ui.export_pdf import save_printed
from referral_desktop.ui.printed_page import PrintedPage, render_pdf


def print_now(context: Any, store: Any, prepare: Callable[[Any, str], PrintedPage], referral_id: str,
              path: Path) -> Path:
    """``prepare(store, id)`` on the runner, laid out here (the test's GUI thread), written on the runner."""
    page = context.runner.run_sync(lambda: prepare(store, referral_id))
    pdf = render_pdf(page)
    return context.runner.run_sync(lambda: save_printed(store, referral_id, path, pdf.data))
