"""Entry points: the GUI (no sub-command) and the headless sub-commands for IT, tests and integrators.

Exit codes: 0 success, 1 the thing checked is not valid / the action was refused, 2 the input could not
be read or the command was used wrongly. Errors are printed as one plain sentence on stderr, never a
traceback, and never carry personal data.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections import namedtuple
from collections.abc import Sequence

from referral_desktop import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs ~3 ms of every ``--help``
if TYPE_CHECKING:
    from typing import NoReturn

#: One sub-command: its name, the module whose ``register(subparsers)`` adds it, its one-line help.
#: (A namedtuple: a dataclass would import ``inspect`` and ``ast``, 40 ms of every ``--help``.)
Command = namedtuple("Command", ["name", "module", "help"])


_FORMS = "referral_desktop.commands.forms_commands"
_STORE = "referral_desktop.commands.store_commands"
_SYNC = "referral_desktop.commands.sync_commands"
_DOCTOR = "referral_desktop.commands.doctor_commands"

# The parser is built from this light table, and a sub-command's module is imported only when that
# sub-command runs (or its own --help is asked for): importing them all pulled in pydantic models, the
# validator, the store and the sync client, so ``--help`` took 480 ms and ``validate`` 710 ms where
# ``python -c pass`` takes 20. ``--help`` lists the table without importing anything. A test checks
# that each module registers exactly the names and help lines given here.
COMMANDS = (
    Command("validate", _FORMS, "check an answers document against its form"),
    Command("schema", _FORMS, "print the JSON Schema of an answers document"),
    Command("forms", _FORMS, "form definition updates from the iART API"),
    Command("store", _STORE, "create or check the encrypted store"),
    Command("import", _STORE, "import an answers document as a new draft (prints the new referral's id)"),
    Command("list", _STORE, "list referrals: id, state, created, updated, documents sent"),
    Command("policy", "referral_desktop.commands.policy_commands", "check the deployment policy, or print its schema"),
    Command("queue", _SYNC, "validate, freeze and queue a draft referral for sending"),
    Command("send", _SYNC, "send every queued referral and reply that is due, once, and report each"),
    Command("status", _SYNC, "refresh and print each sent referral's state, reference and outcome"),
    Command("reply", "referral_desktop.commands.reply_commands",
            "queue a reply to iART about a sent referral (text from a file)"),
    Command("sandbox", "referral_desktop.commands.sandbox_commands",
            "run the reference iART API server (HTTPS, loopback) or move its referrals on"),
    Command("doctor", _DOCTOR, "check this machine: policy, data folder, store, API, TLS, clock, disk (for IT)"),
    Command("write-policy", _DOCTOR, "write a machine-wide policy file from settings (used by the installers)"),
    Command("remove-user-data", _DOCTOR,
            "delete a user's encrypted store and logs (or every user's, for uninstalling)"),
    # Registers ``self-test``; loads Qt only when run.
    Command("self-test", "referral_desktop.ui.self_test", "check an installed app: resources, encrypted store, "
            "main window (offscreen), and optionally one referral sent to a sandbox"),
)
#: Every sub-command module, in order (the PyInstaller spec bundles them by name).
COMMAND_MODULES = tuple(dict.fromkeys(command.module for command in COMMANDS))
# Not offered by the frozen app (PyInstaller), which does not carry the sandbox server.
NOT_FROZEN = frozenset({"referral_desktop.commands.sandbox_commands"})


def _add_global_options(parser: argparse.ArgumentParser, *, version_action: str = "version") -> None:
    if version_action == "version":
        parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    else:
        parser.add_argument("--version", action=version_action)
    parser.add_argument("--profile", metavar="DIR", help="profile folder (default: per-user data folder)")
    parser.add_argument("--policy", metavar="FILE", help="deployment policy file (default: machine-wide)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app with a throwaway profile against a sandbox started on loopback",
    )
    parser.add_argument(
        "--log-level",
        dest="app_log_level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        type=str.upper,
        help="level of the log file (default: the policy's log_level, else INFO)",
    )


def build_parser(command: str | None = None, *, everything: bool = True) -> argparse.ArgumentParser:
    """The parser. With ``everything`` (the default) every sub-command module registers its commands;
    otherwise only the module of ``command`` does, and the other commands are listed from the table
    (enough for ``--help`` and for argparse to name the choices)."""
    parser = argparse.ArgumentParser(
        prog="referral-desktop",
        description="Cheshire West and Chester Multi-Agency Referral Form, offline-first. "
        "With no sub-command, opens the desktop app.",
    )
    _add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    frozen = getattr(sys, "frozen", False)
    wanted = {c.module for c in COMMANDS if everything or c.name == command}
    registered: set[str] = set()
    for entry in COMMANDS:
        if entry.module in NOT_FROZEN and frozen:
            continue
        if entry.module not in wanted:
            subparsers.add_parser(entry.name, help=entry.help)
        elif entry.module not in registered:
            importlib.import_module(entry.module).register(subparsers)
            registered.add(entry.module)
    return parser


# Global options that take a value (the word after them is not the sub-command).
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--profile", "--policy", "--log-level"})


def _command_name(argv: list[str]) -> str | None:
    """The sub-command ``argv`` names (the first word after the global options), without importing it.

    Read word by word rather than with the global options' parser: that parser would also take the
    sub-command's own options of the same name (``write-policy --log-level ""``, as the MSI passes it)
    and refuse their values."""
    words = iter(argv)
    for word in words:
        if word in _GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


#: What the global options' parser gives for no arguments at all (a test keeps the two the same).
_GUI_DEFAULTS = {"version": False, "profile": None, "policy": None, "demo": False, "app_log_level": None,
                 "command": None}


def _gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The parsed global options when ``argv`` asks for the desktop app (no sub-command, no help).

    No arguments, as a desktop icon starts the app, are answered without building a parser: argparse
    looks up its messages' translations on disk as it builds one (~4 ms before the first paint)."""
    if not argv:
        return argparse.Namespace(**_GUI_DEFAULTS)
    return _parsed_gui_arguments(argv)


def _parsed_gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    parser = argparse.ArgumentParser(prog="referral-desktop", add_help=False)
    # --version only noted here: printing it here and again from the full parser printed it twice.
    _add_global_options(parser, version_action="store_true")
    try:
        args, rest = parser.parse_known_args(argv)
    except SystemExit:  # a malformed global option: let the full parser explain it
        return None
    if rest or args.version:
        return None
    args.command = None
    return args


def _run_gui(args: argparse.Namespace) -> int:
    # Imported here so that headless commands never load Qt.
    from referral_desktop.ui.app import run_gui

    return run_gui(args)


def configure_log_file(args: argparse.Namespace, policy_level: str | None) -> None:
    """Logs go to the private, rotating file: ``--log-level`` first, then the policy's level, then INFO."""
    from referral_desktop.logging_setup import start_log_file

    start_log_file(getattr(args, "app_log_level", None) or policy_level or "INFO")


def _policy_log_level(args: argparse.Namespace) -> str | None:
    """The policy's log level, or None when the policy cannot be read.

    A broken policy must not stop ``policy check`` from explaining it, so this only falls back to the
    default level; the commands that need the policy load it themselves and report the problem.
    """
    from referral_desktop.policy import PolicyError, load_policy

    try:
        return load_policy(args.policy).log_level
    except PolicyError:
        return None


#: Commands that only read files and print: once they have answered, the process ends at once (output
#: and the log flushed first) instead of tearing down every module it loaded, pydantic's schemas and
#: all. That teardown took ~25 ms of a 250 ms ``validate`` (issue 13's target), for nothing: these
#: commands leave no store, thread or temporary file behind. Every other command ends normally.
QUICK_EXIT_COMMANDS = frozenset({"validate", "schema"})


def run() -> NoReturn:
    """The ``referral-desktop`` program (the console script, ``python -m referral_desktop`` and the
    frozen app): :func:`main`, then the exit (see :data:`QUICK_EXIT_COMMANDS`)."""
    argv = sys.argv[1:]
    try:
        code = main(argv)
    except BrokenPipeError:
        # The reader stopped reading (``schema | head``): nothing more to say, and no traceback; the
        # output's last buffered bytes go nowhere instead of failing again at exit (Python's advice).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    if _command_name(argv) in QUICK_EXIT_COMMANDS:
        _exit_at_once(code)
    sys.exit(code)


def _exit_at_once(code: int) -> NoReturn:
    import logging

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing to keep
            pass
    logging.shutdown()  # the log file's last lines, as the normal exit would write them
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    from referral_desktop.pydantic_plugins_refused import refuse_pydantic_plugins

    refuse_pydantic_plugins()
    argv = list(sys.argv[1:] if argv is None else argv)
    gui_args = _gui_arguments(argv)
    if gui_args is not None:
        # The app starts its log file and reads the policy itself, behind its first screen.
        return _run_gui(gui_args)
    parser = build_parser(_command_name(argv), everything=False)
    args = parser.parse_args(argv)
    configure_log_file(args, _policy_log_level(args))
    handler = getattr(args, "handler", None)
    if handler is None:  # a command group named without its sub-command, e.g. ``store``
        parser.parse_args([args.command, "--help"])
        return 2
    try:
        return int(handler(args))
    except Exception as exc:
        # A command that stopped with its own message (no passphrase came, say) it did not print itself,
        # or a damaged store or a full disk found part-way through a command (a page read only then):
        # one line and its exit code, never a traceback, whichever command met it.
        from referral_desktop.commands.command_failed import CommandFailed

        if isinstance(exc, CommandFailed):
            print(exc.message, file=sys.stderr)
            return exc.code
        from referral_desktop.store import StoreError

        if not isinstance(exc, StoreError):
            raise
        from referral_desktop.commands.store_unlock import store_problem

        print(store_problem(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
