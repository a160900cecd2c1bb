"""The main window: a stack of screens, the menus and shortcuts, and the lock.

Why one window with a stack: a shared laptop should show one thing at a time, and locking must remove
every screen's content in one place. Screens other than home are built when opened and destroyed when
left, so the widgets that hold answers never outlive their use (and are gone after a lock).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtWidgets  # dialogs are looked up when used: binding a Qt class costs at start-up
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

from referral_desktop.ui.app_context import DEFAULT_AUTO_LOCK_MINUTES, AppContext
from referral_desktop.ui.idle_lock import IdleWatcher
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.screens.unlock import UnlockScreen
from referral_desktop.ui.window_title import follow_title

# Everything behind the lock (home, editor, sync, forms, PDF) is imported when first needed, and warmed
# on the store thread while the professional types the passphrase: start-up shows the unlock screen
# about as fast as an empty Qt window.
FORM_ID = "cwac-marf"
WARM_MODULES = (
    "referral_desktop.store",
    "referral_desktop.ui.screens.home",
    "referral_desktop.ui.screens.urgency",
    "referral_desktop.ui.screens.editor_host",
    "referral_desktop.ui.send_referral",
    "referral_desktop.domain.form_catalog",
)


def warm_imports() -> None:
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)


def _is_editor_host(widget: object) -> bool:
    return type(widget).__name__ == "EditorHost"

log = logging.getLogger(__name__)

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


def latest_form_version() -> str:
    from referral_desktop.domain.form_catalog import latest_form

    return latest_form(FORM_ID).version


class MainWindow(QMainWindow):
    session_unlocked = Signal()
    first_painted = Signal()  # the first screen is drawn; start-up work behind it has been queued
    policy_refused = Signal(str)  # the deployment policy cannot be used (its message names the setting)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("")  # each screen names itself (window_title.py); Qt adds the app's name
        self.setObjectName("mainWindow")
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.gateway = ProfileGateway(context.profile_dir, context.clock)
        self.home: Any = None
        self.current: QWidget | None = None  # the transient screen shown over home
        self.unlocked = False
        self.export_flow: ExportFlow | None = None
        self._open_after_unlock: str | None = None  # a notification clicked while locked
        self.idle = IdleWatcher(DEFAULT_AUTO_LOCK_MINUTES, self)  # the user's choice is applied at unlock
        self.idle.idle_timeout.connect(self.lock)  # watching starts at unlock (IdleWatcher.start)
        self.refusal: str | None = None  # why the deployment policy cannot be used, once known
        self._painted = False
        self._started = False
        self._build_menus()
        self._restore_geometry()
        self.start()

    # --- menus ----------------------------------------------------------------------------------
    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):  # every binding the platform defines
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            # setShortcuts, not setShortcut: the latter's overloads make PySide build every enum of
            # the Qt namespace (~30 ms) before the unlock screen's first paint.
            action.setShortcuts([QKeySequence(shortcut)])
        action.setObjectName(name)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action(file_menu, "&New referral", self.new_referral, QKeySequence.StandardKey.New, "actNew")
        self.lock_action = self._action(file_menu, "&Lock now", self.lock, "Ctrl+L", "actLock")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit, "actQuit")
        view = bar.addMenu("&View")
        self.home_action = self._action(view, "&Referrals", self.show_home, "Ctrl+Home", "actHome")
        self.contacts_action = self._action(view, "&Contacts and hours", self.show_contacts, "Ctrl+K", "actContacts")
        self.privacy_action = self._action(view, "&Privacy notice", self.show_privacy, None, "actPrivacy")
        tools = bar.addMenu("&Tools")
        self.settings_action = self._action(tools, "&Settings", self.show_settings, QKeySequence.StandardKey.Preferences, "actSettings")
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcuts([QKeySequence("Ctrl+,")])
        self.session_actions = [self.new_action, self.lock_action, self.home_action, self.contacts_action,
                                self.privacy_action, self.settings_action]
        self._set_session_actions(False)

    def _set_session_actions(self, enabled: bool) -> None:
        for action in self.session_actions:
            action.setEnabled(enabled)

    # --- start, unlock, lock --------------------------------------------------------------------
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
        if _is_editor_host(self.current):
            self.current.flush()
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

    def _record_audit(self, event: str) -> None:
        if self.context.runner.store is None:
            return
        self.context.runner.run_with_store(lambda store: store.audit.record(event)).failure(
            lambda e: log.info("audit %s not recorded: %s", event, type(e).__name__)
        )

    # --- screens --------------------------------------------------------------------------------
    def _replace(self, widget: QWidget) -> None:
        """Show ``widget`` as the transient screen, destroying the previous one."""
        old = self.current
        self.current = widget
        follow_title(self, widget)
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        # Move focus before the old screen is detached: a focused widget taken out of the window takes
        # the window's activation with it, and keyboard users are left with focus nowhere.
        widget.setFocus()
        if old is not None and old is not self.home:
            self.stack.removeWidget(old)
            old.setParent(None)
            old.deleteLater()
        widget.setFocus()

    def _discard_home(self) -> None:
        for widget in [self.stack.widget(i) for i in range(self.stack.count())]:
            self.stack.removeWidget(widget)
            widget.setParent(None)
            widget.deleteLater()
        self.home = None
        self.current = None

    def show_home(self) -> None:
        if not self.unlocked:
            return
        if self.home is None:
            from referral_desktop.ui.screens.home import HomeScreen

            self.home = HomeScreen(self.context)
            self.home.new_referral_requested.connect(self.new_referral)
            self.home.open_requested.connect(self.open_referral)
            self.home.contacts_requested.connect(self.show_contacts)
            self.home.loaded.connect(self.context.home_shown.set)  # the sender may start now
            self.stack.addWidget(self.home)
        old = self.current
        self.current = self.home
        follow_title(self, self.home)
        self.stack.setCurrentWidget(self.home)
        if old is not None and old is not self.home:
            self.stack.removeWidget(old)
            old.setParent(None)
            old.deleteLater()
        self.home.reload()
        self.home.table.setFocus()

    def show_contacts(self) -> None:
        if self.unlocked:
            from referral_desktop.ui.screens.contacts import ContactsScreen

            screen = ContactsScreen(self.context)
            screen.back_requested.connect(self.show_home)
            self._replace(screen)

    def show_privacy(self) -> None:
        if self.unlocked:
            from referral_desktop.ui.screens.privacy_notice import PrivacyNoticeScreen

            screen = PrivacyNoticeScreen(self.context)
            screen.back_requested.connect(self.show_home)
            self._replace(screen)

    def show_settings(self) -> None:
        if self.unlocked:
            from referral_desktop.ui.screens.settings import SettingsScreen

            screen = SettingsScreen(self.context)
            screen.back_requested.connect(self.show_home)
            screen.auto_lock_changed.connect(self.idle.set_minutes)
            self._replace(screen)
            screen.load()

    def new_referral(self) -> None:
        if self.unlocked:
            from referral_desktop.ui.screens.urgency import UrgencyScreen

            screen = UrgencyScreen(self.context)
            screen.cancelled.connect(self.show_home)
            screen.start_draft.connect(self._create_draft)
            self._replace(screen)

    def _create_draft(self, answers: dict) -> None:
        def create(store: Any) -> str:
            referral = store.referrals.create_draft(FORM_ID, latest_form_version(), answers)
            return str(referral.id)

        self.context.runner.run_with_store(create).success(self.open_editor).failure(
            lambda e: self._problem("The referral could not be started.", e)
        )

    def open_referral(self, referral_id: str, state: str) -> None:
        if state == "draft":
            self.open_editor(referral_id)
        else:
            self.open_detail(referral_id)

    def open_editor(self, referral_id: str, focus_path: str | None = None) -> None:
        if not self.unlocked:
            return
        from referral_desktop.ui.screens.editor_host import EditorHost

        host = EditorHost(self.context)
        host.closed.connect(self.show_home)
        host.send_requested.connect(self.send_referral)
        self._replace(host)
        host.open(referral_id, focus_path)

    def open_when_unlocked(self, referral_id: str) -> None:
        """A notification was clicked: bring the window forward and open the referral's page, now or
        right after the passphrase if the app is locked."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if self.unlocked:
            self.open_detail(referral_id)
        else:
            self._open_after_unlock = referral_id

    def open_detail(self, referral_id: str) -> None:
        from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen

        screen = ReferralDetailScreen(self.context)
        screen.back_requested.connect(self.show_home)
        screen.fix_requested.connect(self.open_editor)
        screen.export_requested.connect(self.export_referral)
        self._replace(screen)
        screen.load(referral_id)

    def export_referral(self, referral_id: str) -> None:
        from referral_desktop.ui.export_pdf import ExportFlow

        self.export_flow = ExportFlow(
            self.context, self,
            done=lambda path: self.statusBar().showMessage(f"Saved {Path(path).name} (not encrypted).", 10_000),
            failed=lambda message: QtWidgets.QMessageBox.warning(self, "Export", message),
        )
        self.export_flow.start(referral_id)

    def send_referral(self, referral_id: str) -> None:
        from referral_desktop.ui.send_referral import queue_referral

        if _is_editor_host(self.current):
            self.current.flush()
        self.context.runner.run_with_store(
            queue_referral, referral_id, self.context.policy, self.context.clock()
        ).success(lambda _result: self._queued(referral_id)).failure(self._queue_failed)

    def _queued(self, referral_id: str) -> None:
        worker = self.context.sync_worker
        for name in ("nudge", "send_now", "wake"):
            if callable(getattr(worker, name, None)):
                getattr(worker, name)()
                break
        self.show_confirmation(referral_id)

    def show_confirmation(self, referral_id: str) -> None:
        """The confirmation page (sent with its reference, or waiting and why); it follows the sender."""
        from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen

        screen = SentConfirmationScreen(self.context)
        screen.back_requested.connect(self.show_home)
        screen.view_requested.connect(self.open_detail)
        self._replace(screen)
        screen.load(referral_id)
        # The editor that had focus is gone: give it to the page's action once the page is on screen.
        button = screen.back_button
        QTimer.singleShot(0, button, button.setFocus)

    def _queue_failed(self, error: BaseException) -> None:
        from referral_desktop.ui.send_referral import QueueRefused

        if _is_editor_host(self.current) and self.current.editor is not None:
            self.current.editor.sending_finished()
        if isinstance(error, QueueRefused):
            QtWidgets.QMessageBox.information(self, "Not ready to send", f"{error} Check your answers and try again.")
        else:
            self._problem("The referral could not be queued.", error)

    def _problem(self, message: str, error: BaseException) -> None:
        log.warning("%s (%s)", message, type(error).__name__)
        QtWidgets.QMessageBox.warning(self, "Referral Desktop", message)

    # --- window state ---------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        from referral_desktop.ui.window_fit import place_window

        place_window(self, self.context.settings.value(GEOMETRY_KEY))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        from referral_desktop.ui.window_fit import keep_on_screen

        QTimer.singleShot(0, self, lambda: keep_on_screen(self))
        # Should no paint come (a window started minimised, or a platform that paints only the
        # children), the start-up work begins anyway a second later.
        QTimer.singleShot(1000, self, self._after_first_paint)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """Start-up work the first screen does not need in order to be drawn, queued on the runner's
        thread so the window stays responsive meanwhile.

        Order matters and the runner keeps it: the deployment policy first, so every later task
        (unlocking, creating the store) finds it loaded; then the store's own confirmation that it
        exists (the screen was chosen by a quick look for its file); then the modules behind the lock.
        """
        if self._started:
            return
        self._started = True
        runner = self.context.runner
        if self.context.policy_pending():
            runner.run(self.context.policy_loader).success(self._policy_loaded).failure(self._refuse_policy)
        if isinstance(self.current, UnlockScreen) and not self.current.relock:
            runner.run(self.gateway.exists).owned_by(self.current).success(
                lambda exists: exists or self.start_first_run()
            )
        self.first_painted.emit()  # work its handlers queue on the runner runs before the warm-up
        runner.run(warm_imports).failure(lambda e: log.warning("warm-up failed: %s", type(e).__name__))
        from referral_desktop.ui.screens.who_to_call import warm_who_to_call

        runner.run(warm_who_to_call, self.context).failure(
            lambda e: log.warning("who-to-call warm-up failed: %s", type(e).__name__))

    def _policy_loaded(self, policy: Any) -> None:
        self.context.policy = policy
        # The warm-up queued at first paint may have run before this callback set the policy, and then
        # it left the contacts (which need the policy's overrides) for the home screen to load on the
        # GUI thread: load them now, on the runner (bank holidays are cached by then).
        from referral_desktop.ui.screens.who_to_call import warm_who_to_call

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if _is_editor_host(self.current):
            self.current.flush()
        self.context.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.context.settings.sync()
        self.idle.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # Imported here: the first touch of the Qt namespace builds all its enums (~30 ms), which the
        # unlock screen does not need before its first paint.
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Escape and self.unlocked and self.current is not self.home:
            if not _is_editor_host(self.current):
                self.show_home()
                return
        super().keyPressEvent(event)
