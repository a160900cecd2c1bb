"""The log file is opened by the first record, not at start (issue 13: ``validate`` logs nothing, and
opening the file with its handler and filter cost ~7 ms of every run); nothing is lost by waiting."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys

from referral_desktop.bundled_data import forms_dir
from referral_desktop.logging_setup import LOG_FILE_NAME, configure_logging

SENTINEL_NHS = "943 476 5919"


def test_the_first_record_opens_the_private_file_through_the_filter(tmp_path, app_log_file_removed):
    path = configure_logging(tmp_path / "logs", "INFO")
    assert path.parent.is_dir() and not path.exists()  # the folder at start, the file not yet
    logging.getLogger("referral_desktop.test").info("NHS number %s then %s", SENTINEL_NHS, "queued")
    text = path.read_text(encoding="utf-8")
    assert "[redacted] then queued" in text and SENTINEL_NHS not in text
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    logging.getLogger("referral_desktop.test").info("second line")
    assert path.read_text(encoding="utf-8").count("\n") == 2  # one file, kept open, appended to


def test_a_file_that_cannot_be_opened_is_reported_once_and_nothing_raises(tmp_path, app_log_file_removed, capsys):
    path = configure_logging(tmp_path / "logs", "INFO")
    path.mkdir()  # the file's name is taken by a folder: opening it fails at the first record
    logger = logging.getLogger("referral_desktop.test")
    logger.info("first")
    logger.info("second")
    err = capsys.readouterr().err
    assert err.count("the log file cannot be written") == 1


def test_validate_writes_no_log_and_loads_no_log_machinery_but_a_logged_line_still_lands(tmp_path):
    example = forms_dir() / "examples" / "valid-route-a.json"
    policy = tmp_path / "policy.toml"
    policy.write_text('api_base_url = "https://iart.example.org/v1"\n', encoding="utf-8")
    code = (
        "import logging, sys\n"
        "from referral_desktop.cli import main\n"
        f"code = main(['--policy', {str(policy)!r}, 'validate', {str(example)!r}])\n"
        "print('loaded', 'logging.handlers' in sys.modules, 'referral_desktop.log_redaction' in sys.modules)\n"
        "logging.getLogger('referral_desktop.test').warning('after validate %s', 'queued')\n"
        "sys.exit(code)\n"
    )
    logs = tmp_path / "logs"
    env = {**os.environ, "REFERRAL_DESKTOP_LOG_DIR": str(logs), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "loaded False False" in result.stdout
    assert "after validate queued" in (logs / LOG_FILE_NAME).read_text(encoding="utf-8")


def test_at_once_opens_the_file_on_the_calling_thread(tmp_path, app_log_file_removed):
    # The desktop app sets the log up on its task runner's thread; the first line may come from the GUI
    # thread (at unlock), which must not be the one importing the handler and opening the file.
    path = configure_logging(tmp_path / "logs", "INFO", at_once=True)
    assert path.exists()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
