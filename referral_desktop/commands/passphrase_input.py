"""Reads the store passphrase for headless commands: from a prompt, or from standard input.

A passphrase is never accepted as a command-line argument (it would be visible in the process list
and shell history).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from referral_desktop.commands.command_failed import CommandFailed

NO_PASSPHRASE = ("No passphrase was given (standard input ended or was empty). Type it at the prompt in a "
                 "terminal, or give it on the first line of standard input with --passphrase-stdin.")


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input instead of prompting",
    )


def read_passphrase(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    """The passphrase, from stdin's first line (``--passphrase-stdin``) or an interactive prompt.

    Raises :class:`CommandFailed` (exit 2) when none comes: standard input closed at the prompt (a script
    or a scheduled task with no terminal: getpass raised EOFError, a traceback) or an empty line, which
    can neither open a store nor make one."""
    try:
        if getattr(args, "passphrase_stdin", False):
            passphrase = sys.stdin.readline().rstrip("\r\n")
        else:
            passphrase = getpass.getpass(prompt)
    except EOFError:
        passphrase = ""
    if not passphrase:
        raise CommandFailed(NO_PASSPHRASE, 2)
    return passphrase
