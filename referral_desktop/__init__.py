"""Referral Desktop: the Cheshire West and Chester Multi-Agency Referral Form, offline-first.

The package is layered so that only ``ui`` knows about Qt: ``ui -> sync -> store -> domain``.
Nothing happens at import time; ``cli.main`` wires the pieces together.
"""

__version__ = "0.1.0"
