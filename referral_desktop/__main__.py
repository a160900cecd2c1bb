"""Allows ``python -m referral_desktop`` (the same entry point as ``referral-desktop``)."""

from referral_desktop.cli import run

run()
