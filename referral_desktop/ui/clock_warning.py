"""What the app says when this computer's clock is far from iART's.

Why: who to call now (which services are open this minute), the decision-due and overdue marks and
"last answer 10:42am" all come from this computer's clock. A clock hours out (a wrong time zone, a
laptop whose battery ran flat) says nothing of itself: the home screen showed iART as open when it was
closed, and nothing said why. The sender compares the clock with the time in iART's health answer
(``WorkerContext.note_server_time``); beyond five minutes (``doctor``'s own limit for a failed clock
check) the connection line says so, in plain words, and what to do.
"""

from __future__ import annotations

#: Beyond this the clock is called wrong: the same limit at which ``doctor`` fails its clock check.
WRONG_AFTER_SECONDS = 5 * 60


def _amount(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = round(seconds / 3600)
    if hours < 48:
        return f"about {hours} hours"
    return f"about {round(seconds / 86400)} days"


def clock_warning(skew_seconds: float | None) -> str:
    """"" while the clock is right (or not yet compared); else one sentence: how far out, what it
    affects, who mends it. ``skew_seconds`` is this computer's clock less iART's."""
    if skew_seconds is None or abs(skew_seconds) <= WRONG_AFTER_SECONDS:
        return ""
    direction = "ahead of" if skew_seconds > 0 else "behind"
    return (f"This computer's clock is {_amount(abs(skew_seconds))} {direction} iART's, so who to call now "
            f"and the times shown may be wrong. Ask IT to set the date, time and time zone.")
