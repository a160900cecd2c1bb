"""Allows ``python -m referral_desktop`` (the same entry point as ``referral-desktop``)."""

import sys

from referral_desktop.cli import main

sys.exit(main())
