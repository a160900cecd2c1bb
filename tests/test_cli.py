"""The entry point: the desktop app's path stays light, sub-commands still parse, bad policy is refused."""

from __future__ import annotations

import subprocess
import sys

from referral_desktop import cli


def test_opening_the_app_does_not_import_the_sub_command_modules():
    code = (
        "import sys\n"
        "import referral_desktop.cli as cli\n"
        "args = cli._gui_arguments(['--profile', '/nonexistent'])\n"
        "assert args is not None and args.command is None\n"
        "heavy = [m for m in ('referral_desktop.commands.store_commands', 'referral_desktop.domain.validation',\n"
        "                     'referral_desktop.store', 'referral_desktop.sync', 'pydantic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_a_sub_command_or_help_is_not_taken_for_the_app():
    assert cli._gui_arguments(["list"]) is None
    assert cli._gui_arguments(["--help"]) is None
    assert cli._gui_arguments(["--no-such-option"]) is None
    assert cli._gui_arguments(["--demo", "--log-level", "debug"]).app_log_level == "DEBUG"


def test_no_arguments_mean_the_global_options_defaults_as_the_parser_gives_them():
    """A start from a desktop icon (no arguments) skips the parser: it must still mean exactly what the
    parser makes of no arguments."""
    assert vars(cli._gui_arguments([])) == {**vars(cli._parsed_gui_arguments([])), "command": None}


def test_every_sub_command_is_registered():
    parser = cli.build_parser()
    names = set(parser._subparsers._group_actions[0].choices)  # noqa: SLF001 - argparse has no public API
    assert {"validate", "schema", "store", "import", "list", "policy", "queue", "send", "status",
            "sandbox", "doctor", "self-test"} <= names


def test_the_app_refuses_a_bad_policy_naming_the_setting(tmp_path, capsys, qapp):
    """The window comes first; the policy read behind it is refused on screen and on stderr, and quitting
    from that screen ends the app with status 1."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    bad = tmp_path / "policy.toml"
    bad.write_text('retention_days = 0\napi_base_url = "http://example.org"\n', encoding="utf-8")
    shown: list[str] = []

    def quit_from_the_refusal() -> None:
        screens = [w for w in QApplication.allWidgets() if w.objectName() == "policyProblem" and w.isVisible()]
        if not screens:
            QTimer.singleShot(20, quit_from_the_refusal)
            return
        shown.append(screens[0].details.text())
        screens[0].quit_button.click()

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QTimer.singleShot(0, quit_from_the_refusal)
    code = cli.main(["--profile", str(tmp_path / "profile"), "--policy", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert "retention_days" in err and "api_base_url" in err and str(bad) in err
    assert shown and "retention_days" in shown[0] and "api_base_url" in shown[0]


def test_version_is_printed_once():
    result = subprocess.run([sys.executable, "-m", "referral_desktop", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    from referral_desktop import __version__

    assert result.stdout == f"referral-desktop {__version__}\n"


def test_the_frozen_build_does_not_offer_the_sandbox_it_does_not_carry(monkeypatch):
    def commands() -> set[str]:
        action = next(a for a in cli.build_parser()._actions if a.dest == "command")
        return set(action.choices)

    assert "sandbox" in commands()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert "sandbox" not in commands()
    assert {"doctor", "write-policy", "policy", "self-test"} <= commands()


def test_the_sub_command_is_found_past_global_options_and_despite_its_own_options_of_the_same_name():
    assert cli._command_name(["--profile", "p", "--log-level", "debug", "list"]) == "list"
    assert cli._command_name(["--policy=x.toml", "doctor"]) == "doctor"
    # what the MSI runs: write-policy's own --log-level, empty when IT did not give LOG_LEVEL
    assert cli._command_name(["write-policy", "--output", "x", "--log-level", ""]) == "write-policy"
    assert cli._command_name(["--demo"]) is None
