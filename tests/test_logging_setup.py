"""The log file: private, rotated, and personal data kept out (sentinels planted, files searched)."""

from __future__ import annotations

import enum
import logging
import os
import stat
import uuid
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest

from referral_desktop.log_redaction import PersonalDataFilter, is_safe_text, scrub
from referral_desktop.logging_setup import (
    LOG_DIR_ENV,
    LOG_FILE_NAME,
    configure_logging,
    default_log_dir,
)

SENTINELS = {
    "name": "Zebedee-Sentinel Quxworth",
    "email": "sentinel.parent@example.org",
    "phone": "01244 977123",
    "mobile": "+44 7700 900 123",
    "nhs": "943 476 5919",
    "nhs_compact": "9434765919",
    "upn": "B801200005001",
    "postcode": "CH1 2NU",
    "text": "He said SENTINELWORD at school",
}


class State(enum.StrEnum):
    QUEUED = "queued"


@pytest.fixture
def log_file(tmp_path, app_log_file_removed):
    return configure_logging(tmp_path / "logs", "DEBUG")


def all_log_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob(LOG_FILE_NAME + "*")))


def plant_everywhere(logger: logging.Logger) -> None:
    s = SENTINELS
    logger.info("referrer is %s", s["name"])  # a str argument
    logger.info("answers %s", {"family_name": s["name"]})  # a container argument
    logger.info("%(who)s wrote %(what)s", {"who": s["name"], "what": s["text"]})  # mapping arguments
    logger.warning(f"contact {s['email']} or {s['phone']} / {s['mobile']}")  # f-strings: no args at all
    logger.warning(f"child {s['nhs']} {s['nhs_compact']} upn {s['upn']} at {s['postcode']}")
    logger.info("file %s", Path("/home/someone") / f"{s['name']}.pdf")  # a path
    logger.info({"given_names": s["name"]})  # a non-string message
    try:
        raise ValueError(f"bad answer {s['name']} {s['email']}")
    except ValueError as exc:
        logger.exception("validation crashed")
        logger.error("failed with %s", exc)
        try:
            raise RuntimeError(f"wrapped {s['text']}") from exc
        except RuntimeError:
            logger.error("wrapped failure", exc_info=True)
    # A warning, routed to logging as configure_logging routes them. pytest records warnings itself
    # (its showwarning hides logging's), so the routing is put back for this one warning.
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(False)
        logging.captureWarnings(True)
        try:
            warnings.warn(f"suspicious {s['name']}", UserWarning, stacklevel=1)
        finally:
            logging.captureWarnings(False)


def test_sentinels_never_reach_the_log_file(log_file):
    for name in ("referral_desktop.store.referrals", "referral_desktop.sync.worker", "urllib3.connectionpool"):
        plant_everywhere(logging.getLogger(name))
    text = all_log_text(log_file.parent)
    assert text  # something was written
    for key, value in SENTINELS.items():
        assert value not in text, key
    for fragment in ("Zebedee", "Quxworth", "SENTINELWORD", "sentinel.parent", "977123", "5919", "2NU"):
        assert fragment not in text
    # the events themselves are still there for IT
    assert "UserWarning" in text  # the warning arrived, without its text
    assert "validation crashed" in text and "ValueError: [message withheld]" in text
    assert "caused by ValueError" in text and 'raise ValueError(f"bad answer' in text  # frames kept
    assert "failed with ValueError([redacted])" in text


def test_identifiers_states_and_counts_are_kept(log_file):
    referral_id = uuid.uuid4()
    logger = logging.getLogger("referral_desktop.sync.worker")
    logger.info("referral %s moved %s -> %s after %d attempts", referral_id, State.QUEUED, "sending", 3)
    logger.info("invalid fields: %s, %s", "children[0].nhs_number", "referrer_email")
    logger.info("POST %s -> %s in %.1f s", f"/v1/referrals/{referral_id}", 503, 0.25)
    logger.info("due %s at %s", datetime(2026, 5, 26, 16, 0, tzinfo=UTC), "iart.example.gov.uk:443")
    logger.info("error type %s", ConnectionError)
    text = all_log_text(log_file.parent)
    assert f"referral {referral_id} moved queued -> sending after 3 attempts" in text
    assert "invalid fields: children[0].nhs_number, referrer_email" in text
    assert f"POST /v1/referrals/{referral_id} -> 503 in 0.2 s" in text or "in 0.3 s" in text
    assert "2026-05-26 16:00:00+00:00 at iart.example.gov.uk:443" in text
    assert "error type ConnectionError" in text


def test_an_exceptions_name_is_kept_and_a_capitalised_word_is_not(log_file):
    """The app logs ``type(error).__name__``: every such name was redacted ("autosave failed ([redacted])"),
    so IT could not tell a read-only folder from a full disk. A name some exception class of the program
    has (the store's own, SQLite's) is kept; a surname-like word is not."""
    from referral_desktop.store.errors import DiskFull

    logger = logging.getLogger("referral_desktop.ui.editor.autosave")
    for name in ("OperationalError", DiskFull.__name__, "TimeoutError", "McSentinelworth", "Zebedee"):
        logger.warning("autosave failed (%s); will retry", name)
    text = all_log_text(log_file.parent)
    for kept in ("OperationalError", "DiskFull", "TimeoutError"):
        assert f"autosave failed ({kept})" in text
    assert "McSentinelworth" not in text and "Zebedee" not in text
    assert text.count("autosave failed ([redacted])") == 2


def test_log_folder_and_files_are_private_and_rotate(tmp_path, app_log_file_removed):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    path = configure_logging(tmp_path / "logs", "INFO", max_bytes=2000, backup_count=2)
    logger = logging.getLogger("referral_desktop.test")
    for index in range(200):
        logger.info("line %d of the rotation test", index)
    files = sorted(path.parent.glob(LOG_FILE_NAME + "*"))
    assert len(files) == 3  # current + 2 backups
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    logger.debug("below the level")
    assert "below the level" not in all_log_text(path.parent)


def test_an_existing_wide_open_log_file_is_tightened(tmp_path, app_log_file_removed):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / LOG_FILE_NAME).write_text("")
    os.chmod(folder / LOG_FILE_NAME, 0o644)
    path = configure_logging(folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_configuring_twice_keeps_one_handler(tmp_path, log_file):
    configure_logging(tmp_path / "other", "INFO")
    marked = [h for h in logging.getLogger().handlers if getattr(h, "_referral_desktop_file_handler", False)]
    assert len(marked) == 1


def test_default_log_dir_is_the_platform_one_unless_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv(LOG_DIR_ENV, raising=False)
    assert "ReferralDesktop" in str(default_log_dir())
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path))
    assert default_log_dir() == tmp_path


@pytest.mark.parametrize(
    "text, safe",
    [
        ("children[2].date_of_birth", True),
        ("info_requested", True),
        ("1d94634d-934a-4e17-928d-b9ec06983a9d", True),  # a referral id (fixed: test ids must not vary)
        ("/v1/referrals", True),
        ("GET", True),
        ("Jane Smith", False),
        ("SMITH", False),
        ("jane@example.org", False),
        ("CH1 2NU", False),
        ("x" * 300, False),
    ],
)
def test_safe_text(text, safe):
    assert is_safe_text(text) is safe


def test_scrub_removes_identifier_shapes_only():
    assert scrub("call 0300 123 7047 now") == "call [redacted] now"
    assert scrub("nhs 943-476-5919.") == "nhs [redacted]."
    assert scrub("3 attempts, status 503, 2026-05-26") == "3 attempts, status 503, 2026-05-26"
    rid = str(uuid.uuid4())
    assert scrub(f"referral {rid}") == f"referral {rid}"


def test_the_filter_alone_rewrites_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "name %s", ("Jane Smith",), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "name [redacted]"
