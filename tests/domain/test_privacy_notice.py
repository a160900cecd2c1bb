"""The privacy notice: the bundled summary, and the council's notice named by policy."""

from __future__ import annotations

import pytest

from referral_desktop.domain.privacy_notice import PrivacyNoticeError, bundled_notice, load_privacy_notice
from referral_desktop.policy import PrivacyNoticeSettings


def test_bundled_summary_is_marked_as_a_summary_and_has_a_version():
    notice = load_privacy_notice()
    assert notice is bundled_notice()
    assert notice.source == "bundled" and notice.is_summary
    assert notice.version
    assert "This is a summary, not the council's privacy notice" in notice.text


def test_bundled_summary_does_not_repeat_its_title_as_its_own_heading():
    """The page and the printed notice are headed by the title; the text began with it again, as a heading
    larger than the page's own ("How children's services use personal information" under "How children's
    services use personal information — a summary"), and a screen reader read it twice."""
    notice = load_privacy_notice()
    headings = [line.lstrip("#").strip() for line in notice.text.splitlines() if line.startswith("#")]
    assert headings and not [h for h in headings if notice.title.startswith(h)]
    assert not [line for line in notice.text.splitlines() if line.startswith("# ")]  # the title is the one h1


@pytest.mark.parametrize(
    "phrase",
    [
        "Article 6(1)(e)",
        "Article 6(1)(c)",
        "Article 9(2)(g)",
        "Schedule 1, paragraph 18",
        "subject access",
        "Data Protection Officer",
        "Information Commissioner",
        "Cheshire West and Chester Council is responsible",
        "Why it is used",
        "People's rights",
    ],
)
def test_bundled_summary_covers_what_the_councils_notices_cover(phrase):
    assert phrase in load_privacy_notice().text


def test_policy_file_notice_with_its_version(tmp_path):
    path = tmp_path / "notice.html"
    path.write_text("<h1>Privacy notice</h1>", encoding="utf-8")
    notice = load_privacy_notice(file=path, version="2026-04", url="https://example.gov.uk/notice")
    assert (notice.source, notice.version, notice.content_type) == ("policy-file", "2026-04", "text/html")
    assert notice.text == "<h1>Privacy notice</h1>" and not notice.is_summary
    assert notice.url == "https://example.gov.uk/notice"


def test_policy_pdf_notice(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(b"%PDF-1.7\n...")
    notice = load_privacy_notice(file=path, version="7")
    assert notice.content.startswith(b"%PDF") and notice.text is None
    assert notice.content_type == "application/pdf"


def test_policy_url_notice_keeps_the_summary_for_offline_use():
    notice = load_privacy_notice(url="https://example.gov.uk/notice", version="2026-04")
    assert notice.source == "policy-url" and notice.url == "https://example.gov.uk/notice"
    assert notice.text is None
    assert notice.fallback is bundled_notice()


def test_from_policy_settings(tmp_path):
    path = tmp_path / "notice.md"
    path.write_text("# Notice\n", encoding="utf-8")
    settings = PrivacyNoticeSettings(file=path, version="3")
    assert load_privacy_notice(**settings.model_dump()).version == "3"
    assert load_privacy_notice(**PrivacyNoticeSettings().model_dump()).source == "bundled"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"url": "https://example.gov.uk/n"}, "privacy_notice.version: is required"),
        ({"file": "/nonexistent/notice.md", "version": "1"}, "privacy_notice.file: the file"),
        ({"file": "/tmp/notice.docx", "version": "1"}, "privacy_notice.file: must be a .md, .txt, .html or .pdf"),
    ],
)
def test_unusable_policy_notice_names_the_setting(kwargs, message):
    with pytest.raises(PrivacyNoticeError, match=message.replace("(", r"\(").replace(".", r"\.")):
        load_privacy_notice(**kwargs)


def test_fake_pdf_is_refused(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_text("not a pdf")
    with pytest.raises(PrivacyNoticeError, match="is not a PDF"):
        load_privacy_notice(file=path, version="1")
