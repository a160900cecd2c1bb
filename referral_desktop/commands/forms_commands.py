"""Sub-commands (placeholder until its area lands)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds this area's sub-commands (none yet)."""
