"""Reads the store passphrase for headless commands: from a prompt, or from standard input.

A passphrase is never accepted as a command-line argument (it would be visible in the process list
and shell history).
"""

from __future__ import annotations

import argparse
import getpass
import sys


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input instead of prompting",
    )


def read_passphrase(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    """The passphrase, from stdin's first line (``--passphrase-stdin``) or an interactive prompt."""
    if getattr(args, "passphrase_stdin", False):
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return getpass.getpass(prompt)
