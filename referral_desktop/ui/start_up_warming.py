"""What is prepared while the passphrase is typed: the modules behind the lock (the Qt-free ones on the
runner's thread, the screens on the GUI thread), the bank holidays and who to call now.

Why a Qt-free module of its own: the main window queues this work right after the unlock screen's first
paint, on the GUI thread. When ``warm_who_to_call`` lived in the who-to-call widget's module, queuing
it imported that module there, with its widget classes and the whole Qt namespace: ~50 ms before the
window was idle, while only the runner needed anything (tests/ui/test_startup.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from referral_desktop.ui.app_context import AppContext

# Everything behind the lock (home, editor, sync, forms, PDF) is imported when first needed, and warmed
# while the professional types the passphrase: start-up shows the unlock screen about as fast as an
# empty Qt window. What binds no Qt class is warmed on the runner's thread:
WARM_MODULES = (
    "referral_desktop.store",
    "referral_desktop.domain.form_catalog",
    # The sender (requests, urllib3, the API client) starts right after the first unlock, on its own
    # thread: imported there and then, it took the interpreter lock from the GUI thread while it showed the
    # home screen.
    "referral_desktop.sync.outbox_worker",
)
# The screens behind the lock, and the network watch (QtNetwork), are imported on the GUI thread, one
# module per start-up step on idle (``MainWindow.idle_steps``). Imported on the runner's thread, they made
# PySide create Qt classes on two threads at once whenever the GUI thread did too (a key pressed, a
# screen shown, the second-start listener made): PySide's type creation is not safe against that, and a
# start segfaulted about one time in four on a busy machine (28 November; tests/ui/test_startup.py
# checks that no Qt module is imported off the GUI thread).
SCREEN_MODULES = (
    "referral_desktop.ui.screens.urgency",
    "referral_desktop.ui.send_referral",
    "referral_desktop.ui.screens.home",
    "referral_desktop.ui.screens.editor_host",
    "referral_desktop.ui.network_watch",
)


def warm_imports() -> None:
    for name in WARM_MODULES:
        importlib.import_module(name)
    # The identifier checks import their libraries on first use (~40 ms): here, not at the editor's
    # first check on the GUI thread.
    from referral_desktop.domain.identifiers import load_libraries

    load_libraries()


def warm_who_to_call(context: AppContext) -> None:
    """On the runner's thread during start-up: load the contacts and compute this year's and next
    year's bank holidays, so the home screen's first "who to call now" costs the GUI thread nothing
    (computing the calendar there froze it for 75–100 ms). The contacts are loaded only once the policy
    has arrived, since its overrides belong in them."""
    from datetime import timedelta

    from referral_desktop.domain.contacts import who_to_call
    from referral_desktop.domain.working_days import is_bank_holiday, uk_local

    today = uk_local(context.clock()).date()
    for day in (today, today + timedelta(days=366)):
        is_bank_holiday(day)
    if context.policy is not None:
        who_to_call(context.clock(), context.contact_directory())
