"""Start-up work, unlocking and locking: the main window's session, one concern read on its own.

Why apart from the window: what runs behind the first paint (the deployment policy, the store's check
that it exists, warming the modules behind the lock) and what a lock must take off the screen are the
parts of the window where order and safety matter; kept together they can be checked together. Cheap to
import: the unlock screen imports this, so nothing here touches the Qt namespace or the slow modules at
module level (``tests/ui/test_startup.py``).

``SessionMixin`` is mixed into ``MainWindow`` (main_window.py), which owns the attributes it uses.
"""

from __future__ import annotations

import importlib
import logging
from functools import partial
from typing import Any

from PySide6 import QtWidgets  # dialogs are looked up when used: binding a Qt class costs at start-up
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.screens.unlock import UnlockScreen
from referral_desktop.ui.start_up_warming import SCREEN_MODULES, warm_imports, warm_who_to_call
from referral_desktop.ui.window_mixin_base import MainWindowBase
from referral_desktop.ui.window_navigation import is_editor_host

log = logging.getLogger("referral_desktop.ui.main_window")  # the window's log, as before the split

class SessionMixin(MainWindowBase):
    """First run or unlock at start, the work queued behind the first paint, the policy, and the lock."""

    def start(self) -> None:
        if self.gateway.exists_hint():
            self._show_unlock(relock=False)
        else:
            self.start_first_run()

    def _show_unlock(self, relock: bool) -> None:
        screen = UnlockScreen(self.context, relock=relock)
        screen.unlocked.connect(self._unlocked)
        screen.forgotten_requested.connect(self._forgotten)
        self._replace(screen)
        screen.passphrase.setFocus()

    def start_first_run(self) -> None:
        from referral_desktop.ui.screens.first_run import FirstRunScreen

        first = FirstRunScreen(self.context)
        first.finished.connect(self._unlocked)
        self._replace(first)

    def _forgotten(self) -> None:
        from referral_desktop.ui.screens.forgotten_passphrase import ForgottenPassphraseDialog

        dialog = ForgottenPassphraseDialog(self.context, self)
        dialog.accepted.connect(self._after_reset)
        dialog.open()

    def _after_reset(self) -> None:
        self.unlocked = False
        self._discard_home()
        self.start()

    def _unlocked(self) -> None:
        if self.refusal is not None:  # never open referrals under defaults the deployment did not choose
            return
        try:
            self.context.policy_now()
        except Exception as error:  # noqa: BLE001 - whatever the loader raised, the answer is to refuse
            self._refuse_policy(error)
            return
        self.unlocked = True
        self._set_session_actions(True)
        self.idle.set_minutes(self.context.auto_lock_minutes())
        self.idle.start()
        self._record_audit("unlocked")
        self.show_home()
        self.session_unlocked.emit()
        pending, self._open_after_unlock = self._open_after_unlock, None
        if pending:  # a notification was clicked while locked
            self.open_detail(pending)

    def lock(self) -> None:
        """Remove every screen's content (answers included) until the passphrase is entered again."""
        if not self.unlocked:
            return
        self.unlocked = False
        self.idle.stop()
        if is_editor_host(self.current):
            self.current.flush()
            self._hold_unsaved(self.current)
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible():
                if isinstance(widget, QtWidgets.QDialog):
                    widget.reject()
                widget.close()
        self.export_flow = None
        self._discard_home()
        self._set_session_actions(False)
        self._record_audit("locked")
        self._show_unlock(relock=True)
        log.info("locked")

    def _hold_unsaved(self, host: Any) -> None:
        """Answers the store would not take (a read-only folder, a full disk) leave the screen with the
        lock but are kept and saved once it takes them (``ui/held_answers.py``)."""
        unsaved = host.unsaved_answers()
        if unsaved is None:
            return
        if self.context.held_answers is None:
            from referral_desktop.ui.held_answers import HeldAnswers

            self.context.held_answers = HeldAnswers(self.context.runner)
        self.context.held_answers.hold(host.referral_id, unsaved)

    def _record_audit(self, event: str) -> None:
        if self.context.runner.store is None:
            return
        self.context.runner.run_with_store(lambda store: store.audit.record(event)).failure(
            lambda e: log.info("audit %s not recorded: %s", event, type(e).__name__)
        )

    def _first_paint_done(self) -> None:
        """The first screen is drawn: say so, and queue the start-up work behind it as a step run on idle
        (``window_idle_steps.py``), after the steps ``first_painted``'s handlers add (``ui/app.py``: the
        termination watch). Starting the runner's thread here, in the first paint's
        own pass of the event loop, kept the window busy ~3 ms longer before it was idle (issue 13)."""
        if self._first_paint_seen:
            return
        self._first_paint_seen = True
        self.first_painted.emit()
        self.idle_steps.add(self._after_first_paint)
        QTimer.singleShot(0, self, self.idle_steps.begin)  # behind what the handlers posted

    def _after_first_paint(self) -> None:
        """Start-up work the first screen does not need in order to be drawn, queued on the runner's
        thread so the window stays responsive meanwhile.

        Order matters and the runner keeps it: the deployment policy first, so every later task
        (unlocking, creating the store) finds it loaded; then the store's own confirmation that it
        exists (the screen was chosen by a quick look for its file); then the modules behind the lock.
        The runner starts once all of it is queued (``held``), so that it does not slow this down. (An
        unlock pressed before this step has run reads the policy itself: ``AppContext.policy_now``.)
        """
        runner = self.context.runner
        if self._started or runner.closed:  # (a window closed before its steps ran: nothing to start)
            return
        self._started = True
        loader = self.context.policy_loader
        with runner.held():
            if loader is not None and self.context.policy_pending():
                runner.run(loader).success(self._policy_loaded).failure(self._refuse_policy)
            if isinstance(self.current, UnlockScreen) and not self.current.relock:
                runner.run(self.gateway.exists).owned_by(self.current).success(self._first_run_unless_exists)
            self.start_up_queued.emit()  # work its handlers queue on the runner runs before the warm-up
            runner.run(warm_imports).owned_by(self).success(lambda _r: self._import_screens()).failure(
                self._warm_up_failed)
            runner.run(warm_who_to_call, self.context).failure(
                lambda e: log.warning("who-to-call warm-up failed: %s", type(e).__name__))

    def _warm_up_failed(self, error: BaseException) -> None:
        log.warning("warm-up failed: %s", type(error).__name__)
        self._import_screens()

    def _import_screens(self) -> None:
        """The screens behind the lock, imported on this (the GUI) thread one module per step on idle
        (``start_up_warming`` says why), once the runner's warm-up is done: begun beside it, they waited
        on the modules the runner was importing (store, forms, sender), and one step kept the window
        busy ~140 ms while the passphrase was typed."""
        for name in SCREEN_MODULES:
            self.idle_steps.add(partial(importlib.import_module, name))

    def _first_run_unless_exists(self, exists: bool) -> None:
        if not exists:
            self.start_first_run()

    def _policy_loaded(self, policy: Any) -> None:
        self.context.policy = policy
        # The warm-up queued at first paint may have run before this callback set the policy, and then
        # it left the contacts (which need the policy's overrides) for the home screen to load on the
        # GUI thread: load them now, on the runner (bank holidays are cached by then).
        self.context.runner.run(warm_who_to_call, self.context).failure(
            lambda e: log.warning("who-to-call warm-up failed: %s", type(e).__name__))

    def _refuse_policy(self, error: BaseException) -> None:
        """A policy IT installed but the app cannot use: say so on screen (an app opened from a desktop
        icon has no console) and open nothing; quitting from there ends the app with status 1."""
        from referral_desktop.policy import PolicyError
        from referral_desktop.ui.screens.policy_problem import PolicyProblemScreen

        if self.refusal is not None:  # already explained (read at unlock, then by the runner)
            return
        if isinstance(error, PolicyError):
            self.refusal = str(error)
        else:
            self.refusal = f"the policy could not be read ({type(error).__name__})"
        log.error("the deployment policy cannot be used (%s)", type(error).__name__)
        self.unlocked = False
        self.idle.stop()
        self._discard_home()
        self._set_session_actions(False)
        screen = PolicyProblemScreen(self.context, self.refusal)
        screen.quit_requested.connect(self.close)
        self._replace(screen)
        self.policy_refused.emit(self.refusal)
