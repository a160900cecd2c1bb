"""The council's privacy notice, with its version, to show a family and to print or save as PDF.

Why: professionals must share the notice at every first visit and record which version they shared;
the text is deployment data (the policy may point at the council's current notice), shown here as the
domain gives it. Printing uses Qt's own PDF writer: laid out on the GUI thread in short steps, the file
written on the runner's thread (``printed_page`` says why).
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from referral_desktop.private_files import write_private_atomically
from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.pdf_save_dialog import ask_pdf_path
from referral_desktop.ui.printed_page import PrintedPage, RenderedPdf, render_in_steps
from referral_desktop.ui.theme import heading
from referral_desktop.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)


def load_notice(context: AppContext) -> tuple[str, str, str]:
    """(title, version, html) of the notice in force; a PDF or web-only notice is described, with the
    bundled summary shown beside it."""
    try:
        from referral_desktop.domain.privacy_notice import load_privacy_notice

        settings = getattr(context.policy, "privacy_notice", None)
        notice = load_privacy_notice(**settings.model_dump()) if settings is not None else load_privacy_notice()
    except Exception as exc:  # PrivacyNoticeError names the policy setting: IT's to fix
        log.warning("privacy notice unavailable: %s", type(exc).__name__)
        return ("Privacy notice", "unavailable",
                "<p>The privacy notice could not be loaded. Ask your IT service desk.</p>")
    return str(notice.title), str(notice.version), notice_html(notice)


#: How a notice's text says, in its opening, that it is a summary ("This is a summary, not the
#: council's privacy notice."): the bundled summary does.
_SAYS_IT_IS_A_SUMMARY = re.compile(r"\bthis is a (?:[\w-]+ )?summary\b", re.IGNORECASE)


def notice_html(notice: Any) -> str:
    """The notice as shown and printed: where a PDF or web-only notice is, then the text shown (the
    bundled summary beside such a notice). A summary is labelled as one (the domain requires it) once:
    by its own opening words when they say so, else by the app's line. Both at once told a family, and
    a screen reader, the same thing twice in a row; the notice's words are versioned and recorded with
    consent, so the app's line is the one that gives way."""
    prefix = ""
    shown = notice
    if notice.text is None:
        where = html.escape(notice.url or notice.location or "")
        prefix = (f"<p><b>The council's notice is {'a PDF file' if notice.content else 'on the web'}:</b> "
                  f"{where}</p>")
        shown = notice.fallback or notice
    if getattr(shown, "is_summary", False) and not _opening_says_summary(shown.text or ""):
        of = html.escape(shown.summary_of or "the council's privacy notices")
        prefix += f"<p><i>This is a plain-English summary of {of}, not the full notice.</i></p>"
    body = _as_html(shown)
    match = re.search(r"<body[^>]*>", body)
    if match:  # a whole HTML document (from Markdown): the note goes inside its body
        return body[: match.end()] + prefix + body[match.end():]
    return prefix + body


def _opening_says_summary(text: str) -> bool:
    """The text's first paragraph says it is a summary (a heading first does not count as saying it)."""
    first = next((p for p in text.strip().split("\n\n") if p.strip()), "")
    return bool(_SAYS_IT_IS_A_SUMMARY.search(first))


def _as_html(notice: Any) -> str:
    text = notice.text or ""
    kind = str(notice.content_type or "")
    if "html" in kind:
        return text
    if "markdown" in kind:
        document = QTextDocument()
        document.setMarkdown(text)
        return document.toHtml()
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())


class PrivacyNoticeScreen(QWidget):
    back_requested = Signal()
    saved = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyScreen")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.title_label = QLabel()
        heading(self.title_label)
        self.setFocusProxy(self.title_label)  # given focus, the page reads its heading, not an unnamed panel
        self.save_button = QPushButton("Print or save as PDF…", objectName="privacySave")
        self.save_button.clicked.connect(self._save)
        self.back_button = QPushButton("Back to referrals", objectName="privacyBack")
        self.back_button.clicked.connect(self.back_requested)
        self.header = PageHeader(self.title_label, self.save_button, self.back_button)
        layout.addWidget(self.header)
        self.version_label = QLabel(objectName="privacyVersion")
        layout.addWidget(self.version_label)
        self.text = QTextBrowser(objectName="privacyText")
        self.text.setOpenExternalLinks(False)
        self.text.setAccessibleName("Privacy notice text")
        layout.addWidget(self.text, 1)
        self.status = QLabel(objectName="privacyStatus")
        layout.addWidget(self.status)
        self.title, self.version, self.body = load_notice(context)
        self.title_label.setText(self.title)
        self.version_label.setText(f"Version {self.version}. Record this version in the referral when you share it.")
        self.text.setHtml(self.body)

    def document_html(self) -> str:
        return f"<h1>{html.escape(self.title)}</h1><p>Version {html.escape(self.version)}</p>{self.body}"

    def _save(self, _checked: bool = False, path: str | None = None) -> None:
        if path is None:
            path = ask_pdf_path(self, "Save the privacy notice as PDF",
                                str(Path.home() / f"privacy-notice-{self.version}.pdf"))
        if not path:
            return
        target = Path(path)

        def write(pdf: RenderedPdf) -> None:
            self.context.runner.run(write_private_atomically, target, pdf.data).owned_by(self).success(
                lambda _r: self._pdf_saved(target)
            ).failure(lambda e: self._pdf_not_saved())

        render_in_steps(PrintedPage(self.document_html(), self.title), self, write, self._pdf_not_saved)

    # Written beside the buttons and announced (focus stays where it was, so a screen reader read neither);
    # the announcement leaves out the file's name, which may be anything typed in the save dialog.
    def _pdf_saved(self, target: Path) -> None:
        self.status.setText(f"Saved {target.name}.")
        announce(self, "The privacy notice is saved as a PDF.")
        self.saved.emit(str(target))

    def _pdf_not_saved(self) -> None:
        self.status.setText("The PDF could not be saved. Choose another folder.")
        announce(self, self.status.text(), assertive=True)
