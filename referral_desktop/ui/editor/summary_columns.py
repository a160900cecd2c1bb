"""How a summary list's question and answer columns share its width, and when they stack (GOV.UK
summary list: the check page, and what was sent).

Why: the question column was a fixed 300 px. At 200 % text a long question ("Is a child in immediate
danger, or are you worried about a child's immediate safety?") wrapped to seven lines beside an answer
column with room to spare. GOV.UK's summary list gives the question about a third of the row and the
answer the rest; here the question gets a third, or more as the text grows (room for ``KEY_CHARACTERS``
of its characters), never more than half: at any text size both columns grow with it and the answers
keep at least half. Every section uses the one width, so the columns line up down the page.

When there is too little room for columns (a narrow window, large text), GOV.UK's narrow layout puts the
question above its answer, and the Change link below, each the full width. The columns give way to it
when an answer's longest word (an email address) would not fit beside the questions' longest, when the
answers would get less than half, or when a question would wrap to more than ``MAX_QUESTION_LINES``
lines: a tall narrow column of a few words a line is hard to read, and a page that scrolls sideways
fails WCAG 1.4.10 (Reflow).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QFontMetrics

#: The question column's room in average characters of its (bold) text, between a third and a half.
KEY_CHARACTERS = 26
#: The most lines a question may take beside its answer; beyond that the list stacks.
MAX_QUESTION_LINES = 4


def key_width(available: int, metrics: QFontMetrics) -> int:
    """The question column's width, of ``available`` pixels shared by question and answer."""
    available = max(available, 0)
    return max(available // 3, min(available // 2, metrics.averageCharWidth() * KEY_CHARACTERS))


def fitted_key_width(preferred: int, available: int, *, answers_need: int, questions_need: int) -> int:
    """``preferred``, narrowed so the answers' widest word fits beside it (``answers_need``), but never
    narrower than the questions' own widest word (``questions_need``)."""
    return max(questions_need, min(preferred, available - answers_need))


def columns_width(available: int, metrics: QFontMetrics, *, questions_need: int, answers_need: int,
                  question_lines: Callable[[int], Sequence[int]]) -> int | None:
    """The question column's width for side-by-side columns in ``available`` pixels, or None when the
    list should stack: an answer's widest word would not fit, the answers would get less than half, or a
    question would take more than ``MAX_QUESTION_LINES`` lines (``question_lines(width)`` gives each
    question's line count at a width)."""
    width = fitted_key_width(key_width(available, metrics), available,
                             answers_need=answers_need, questions_need=questions_need)
    answers = available - width
    if answers < answers_need or answers < width:
        return None
    if max(question_lines(width), default=1) > MAX_QUESTION_LINES:
        return None
    return width
