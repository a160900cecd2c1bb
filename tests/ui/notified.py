"""The notifier as the tests of one change at a time use it: news held for :data:`QUICK_MS` rather than the
app's few hundred milliseconds (``ui/gathered_news.py``), and :func:`settled` to wait, after a change, until
what it brought has been told (a condition, not a fixed time). The tests of news arriving together use the
app's own time (``test_several_told_while_open.py``)."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.gathered_news import NewsGatherer
from referral_desktop.ui.notifications import IartNotifier

#: Long enough for one change's news to be held and handed on, short enough not to slow the suite.
QUICK_MS = 20

_listening: weakref.WeakSet[IartNotifier] = weakref.WeakSet()


def quick_notifier(context: Any, present: Callable[[str, str], None] | None = None, **kwargs: Any) -> IartNotifier:
    """An :class:`IartNotifier` whose gathered news :func:`settled` waits for."""
    notifier = IartNotifier(context, present=present, gatherer=NewsGatherer(quiet_ms=QUICK_MS), **kwargs)
    _listening.add(notifier)
    return notifier


def primed_notifier(context: Any, make: Callable[..., IartNotifier] = IartNotifier,
                    **kwargs: Any) -> tuple[IartNotifier, list[str], list[str], list[bool]]:
    """A notifier as after the unlock (``make``: the app's own, or :func:`quick_notifier`), primed, with what it
    shows, the referrals a click opens and the clicks that open the list: (notifier, shown, opened, listed)."""
    shown: list[str] = []
    opened: list[str] = []
    listed: list[bool] = []
    notifier = make(context, present=lambda _title, text: shown.append(text), **kwargs)
    notifier.open_requested.connect(opened.append)
    notifier.list_requested.connect(lambda: listed.append(True))
    notifier.prime()
    context.runner.wait_idle()
    return notifier, shown, opened, listed


def settled(timeout: float = 5.0) -> None:
    """Until no notifier made here holds news: what the last change brought has been told (or there was
    nothing to tell, and this returns at once)."""
    deadline = time.monotonic() + timeout
    while any(notifier.gathering for notifier in list(_listening)):
        assert time.monotonic() < deadline, "news held longer than the gathering allows"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
