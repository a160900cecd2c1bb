"""How the check page's question and answer columns share its width (GOV.UK summary list).

Why: the question column was a fixed 300 px. At 200 % text a long question ("Is a child in immediate
danger, or are you worried about a child's immediate safety?") wrapped to seven lines beside an answer
column with room to spare. GOV.UK's summary list gives the question about a third of the row and the
answer the rest; here the question gets a third, or more as the text grows (room for ``KEY_CHARACTERS``
of its characters), never more than half: at any text size both columns grow with it and the answers
keep at least half. Every section's columns line up (one width for all), except where an answer holds a
word too wide for the rest (an email address at 200 % text): that section's questions give it room, as a
word cannot wrap and would be cut.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

#: The question column's room in average characters of its (bold) text, between a third and a half.
KEY_CHARACTERS = 26


def key_width(available: int, metrics: QFontMetrics) -> int:
    """The question column's width, of ``available`` pixels shared by question and answer."""
    available = max(available, 0)
    return max(available // 3, min(available // 2, metrics.averageCharWidth() * KEY_CHARACTERS))


def fitted_key_width(preferred: int, available: int, *, answers_need: int, questions_need: int) -> int:
    """``preferred``, narrowed so the answers' widest word fits beside it (``answers_need``), but never
    narrower than the questions' own widest word (``questions_need``): with no room for both, the page
    scrolls sideways rather than cut either."""
    return max(questions_need, min(preferred, available - answers_need))
