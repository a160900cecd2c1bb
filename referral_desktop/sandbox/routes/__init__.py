"""The sandbox's routes, one FastAPI router per area (see :mod:`referral_desktop.sandbox.app`)."""
