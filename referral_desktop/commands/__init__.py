"""Headless sub-commands of ``referral-desktop``, one module per area.

Each module exposes ``register(subparsers)`` which adds its sub-commands; a sub-command's handler is
set with ``parser.set_defaults(handler=fn)`` and returns the process exit code. Handlers print no
personal data: identifiers, states, counts and field paths only.
"""
