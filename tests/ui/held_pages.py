"""Pages a test opens, held until the test is over and then deleted on the GUI thread (tests' set-up).

Why: qtbot holds a widget only weakly, and a referral's page is in a reference cycle (its focus follower,
``widgets/focus_in_view.py``, holds the page), so a page the test let go while it was still shown was
deleted whenever Python's cycle collector next ran. Under load with two test processes that was once
inside the page's own layout pass, in the events qtbot processes as the test ends (a Python size hint the
layout calls allocates, which runs the collector): the page's labels went from under the layout and the
test process crashed ("Slot 'FocusInView::' not found", "WrapAnywhereLabel already deleted", then a
segmentation fault). ``gc.set_threshold(1, 1, 1)`` makes it happen every few runs of
``test_referral_detail.py::test_messages_from_iart_are_shown_in_order_with_their_times`` in one process.

Use: ``hold(qtbot, page)`` for each page (it also gives the page to qtbot, which closes it as the test
ends), and import the autouse fixture ``pages_deleted_after_the_test`` into the test module. Not for a
page the test deletes itself (qtbot would close a deleted page).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from shiboken6 import Shiboken

Page = TypeVar("Page")

#: The pages held in this test, deleted after it.
_HELD: list[Any] = []


def hold(qtbot: Any, page: Page) -> Page:
    """``page`` given to qtbot and held until :func:`pages_deleted_after_the_test` deletes it."""
    qtbot.addWidget(page)
    _HELD.append(page)
    return page


@pytest.fixture(autouse=True)
def pages_deleted_after_the_test() -> Iterator[None]:
    """After the test (qtbot's teardown, which closes its widgets, runs before fixtures are torn down):
    each held page deleted now, on the GUI thread with nothing of Qt running, and only then let go."""
    yield
    for page in _HELD:
        if Shiboken.isValid(page):
            page.close()
            Shiboken.delete(page)
    _HELD.clear()
