"""Entry points: the GUI (no sub-command) and the headless sub-commands for IT, tests and integrators.

Exit codes: 0 success, 1 the thing checked is not valid / the action was refused, 2 the input could not
be read or the command was used wrongly. Errors are printed as one plain sentence on stderr, never a
traceback, and never carry personal data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from referral_desktop import __version__
from referral_desktop.commands import (
    doctor_commands,
    forms_commands,
    policy_commands,
    sandbox_commands,
    store_commands,
    sync_commands,
)
from referral_desktop.ui import self_test

_COMMAND_MODULES = (forms_commands, store_commands, policy_commands, sync_commands, sandbox_commands, doctor_commands, self_test)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="referral-desktop",
        description="Cheshire West and Chester Multi-Agency Referral Form, offline-first. "
        "With no sub-command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.register(subparsers)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    # Imported here so that headless commands never load Qt.
    from referral_desktop.ui.app import run_gui

    return run_gui(args)


def _configure_logging(args: argparse.Namespace) -> None:
    """Logs go to the private, rotating file; the level comes from policy when the policy is readable.

    A broken policy must not stop ``policy check`` from explaining it, so here it only falls back to the
    default level; the commands that need the policy load it themselves and report the problem.
    """
    from referral_desktop.logging_setup import configure_logging
    from referral_desktop.policy import PolicyError, load_policy

    level = "INFO"
    try:
        level = load_policy(Path(args.policy) if args.policy else None).log_level
    except PolicyError:
        pass
    level = getattr(args, "app_log_level", None) or level
    try:
        configure_logging(level=level)
    except OSError:
        print("Warning: the log folder cannot be written; continuing without a log file.", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command is not None:
            parser.parse_args([args.command, "--help"])
        return _run_gui(args)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
