"""The editor's text-size follower, now the whole app's: ``referral_desktop/ui/text_size.py``.

Why a module still here: the editor imports its follower from it; the editor follows on its own (it also
re-measures its section list) and the application's follower leaves it to do so.
"""

from __future__ import annotations

from referral_desktop.ui.text_size import TextSizeFollower, keeping_place, restyle

__all__ = ["TextSizeFollower", "keeping_place", "restyle"]
