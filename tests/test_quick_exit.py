"""Read-only commands end at once after answering (issue 13: the interpreter's teardown of every loaded
module was ~25 ms of a 250 ms ``validate``), with nothing lost: every line printed and every log line
written, the exit code kept. Other commands end normally."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from referral_desktop import cli
from referral_desktop.bundled_data import forms_dir

#: The real program's entry (as the console script and ``python -m`` run it), with one line logged as
#: soon as the log is set up, so that the log file is open (and buffered) when the command ends.
PROGRAM = (
    "import atexit, logging, sys\n"
    "import referral_desktop.cli as cli\n"
    "set_up = cli.configure_log_file\n"
    "def configure(*args):\n"
    "    set_up(*args)\n"
    "    logging.getLogger('referral_desktop.test').warning('after the set-up %s', 'queued')\n"
    "cli.configure_log_file = configure\n"
    "atexit.register(lambda: print('teardown ran', file=sys.stderr))\n"
    "sys.argv = ['referral-desktop', *sys.argv[1:]]\n"
    "cli.run() if sys.argv[1:2] != ['--normal-exit'] else sys.exit(cli.main(sys.argv[2:]))\n"
)


def _run(tmp_path: Path, *argv: str, normal: bool = False) -> subprocess.CompletedProcess[str]:
    tmp_path.mkdir(exist_ok=True)
    env = {**os.environ, "REFERRAL_DESKTOP_LOG_DIR": str(tmp_path / "logs"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    policy = tmp_path / "policy.toml"
    policy.write_text('api_base_url = "https://iart.example.org/v1"\n', encoding="utf-8")
    first = ["--normal-exit"] if normal else []
    return subprocess.run([sys.executable, "-c", PROGRAM, *first, "--policy", str(policy), *argv],
                          capture_output=True, text=True, env=env, timeout=120)


def _log(tmp_path: Path) -> str:
    return (tmp_path / "logs" / "referral-desktop.log").read_text(encoding="utf-8")


def test_invalid_documents_are_reported_as_the_normal_exit_reports_them_then_the_process_ends_at_once(tmp_path):
    for invalid in sorted((forms_dir() / "examples").glob("invalid-*.json"))[::5]:  # 5 of the 22, ~1 s each
        quick = _run(tmp_path / "quick", "validate", str(invalid))
        normal = _run(tmp_path / "normal", "validate", str(invalid), normal=True)
        assert "teardown ran" not in quick.stderr and "teardown ran" in normal.stderr  # ended at once
        assert quick.returncode == normal.returncode == 1, quick.stderr
        assert quick.stdout == normal.stdout and quick.stdout.strip(), invalid.name  # every line, in full
        assert quick.stderr == normal.stderr.replace("teardown ran\n", "")
        assert "after the set-up queued" in _log(tmp_path / "quick")


def test_a_valid_document_exits_0_at_once(tmp_path):
    result = _run(tmp_path, "validate", str(forms_dir() / "examples" / "valid-route-a.json"))
    assert result.returncode == 0 and result.stdout.startswith("Valid"), result.stderr
    assert "teardown ran" not in result.stderr


def test_other_commands_end_normally(tmp_path):
    result = _run(tmp_path, "policy", "check")
    assert "teardown ran" in result.stderr, result.stderr
    assert cli.QUICK_EXIT_COMMANDS == {"validate", "schema"}  # read-only: no store, thread or temporary file


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path):
    env = {**os.environ, "REFERRAL_DESKTOP_LOG_DIR": str(tmp_path / "logs"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    process = subprocess.Popen([sys.executable, "-m", "referral_desktop", "schema"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head -0` does: every write meets a broken pipe
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
