"""The desktop application's entry point (the screens arrive with the desktop-application issue)."""

from __future__ import annotations

import argparse
import sys


def run_gui(args: argparse.Namespace) -> int:
    print("The desktop window is not built yet; see the README for the headless commands.", file=sys.stderr)
    return 2
