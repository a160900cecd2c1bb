"""The main window: a stack of screens, the menus and shortcuts, and the window's own state.

Why one window with a stack: a shared laptop should show one thing at a time, and locking must remove
every screen's content in one place. The window's jobs are read one at a time in their own modules:
moving between screens (window_navigation.py), start-up work, unlocking and locking (window_session.py),
and what is done with a referral (window_referral_actions.py). This module builds the menus, keeps the
window on screen and remembers its place.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from referral_desktop.ui.idle_lock import IdleWatcher


from referral_desktop.ui.app_context import DEFAULT_AUTO_LOCK_MINUTES, AppContext
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.start_up_warming import WARM_MODULES, warm_imports
from referral_desktop.ui.window_idle_steps import IdleSteps
from referral_desktop.ui.window_navigation import NavigationMixin, is_editor_host
from referral_desktop.ui.window_referral_actions import FORM_ID, ReferralActionsMixin, latest_form_version
from referral_desktop.ui.window_session import SessionMixin

__all__ = ["FORM_ID", "GEOMETRY_KEY", "STATE_KEY", "WARM_MODULES", "MainWindow", "latest_form_version",
           "warm_imports"]

log = logging.getLogger(__name__)

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


class MainWindow(SessionMixin, NavigationMixin, ReferralActionsMixin, QMainWindow):
    session_unlocked = Signal()
    # The first screen is drawn (emitted from a zero timer after its first paint): handlers add what they
    # need to ``idle_steps`` rather than doing it here, where it would delay the window being idle.
    first_painted = Signal()
    start_up_queued = Signal()  # the work behind the first screen has been queued on the runner
    policy_refused = Signal(str)  # the deployment policy cannot be used (its message names the setting)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("")  # each screen names itself (window_title.py); Qt adds the app's name
        self.setObjectName("mainWindow")
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.gateway = ProfileGateway(context.profile_dir, context.clock)
        self.home = None
        self.current = None  # the transient screen shown over home
        self.unlocked = False
        self.export_flow = None
        self._open_after_unlock = None  # a notification clicked while locked
        self._idle: IdleWatcher | None = None  # made at the first unlock (see ``idle``)
        self.refusal = None  # why the deployment policy cannot be used, once known
        self.idle_steps = IdleSteps(self)  # start-up work after the first paint (window_idle_steps.py)
        self._painted = False
        self._first_paint_seen = False
        self._started = False
        self._build_menus()
        self._restore_geometry()
        self.start()

    @property
    def idle(self) -> IdleWatcher:
        """The auto-lock's watcher, made the first time it is needed (the first unlock): watching starts
        there, and its module (with Qt's window class) is not loaded before the unlock screen's first paint
        (issue 13). The user's choice of minutes is applied at unlock."""
        if self._idle is None:
            from referral_desktop.ui.idle_lock import IdleWatcher

            self._idle = IdleWatcher(DEFAULT_AUTO_LOCK_MINUTES, self)
            self._idle.idle_timeout.connect(self.lock)  # watching starts at unlock (IdleWatcher.start)
        return self._idle

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
        QTimer.singleShot(1000, self, self._first_paint_done)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._first_paint_done)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if is_editor_host(self.current):
            self.current.flush()
        if self._keeping_held_answers(event):
            return
        self.context.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.context.settings.sync()
        if self._idle is not None:  # (never unlocked: nothing was watched)
            self._idle.stop()
        super().closeEvent(event)

    def _keeping_held_answers(self, event: QCloseEvent) -> bool:
        """Answers a lock took off the screen while the store refused them (``ui/held_answers.py``) are
        saved before the app closes; if the store still refuses them, the person is asked first, keeping
        the app open being the default. True when the close is refused."""
        held = self.context.held_answers
        if held is None or getattr(self, "_closing_anyway", False) or held.save_now():
            return False
        from PySide6 import QtWidgets

        from referral_desktop.ui.unsaved_answers import CLOSE, KEEP
        from referral_desktop.ui.widgets.message_box import MessageBox

        event.ignore()
        box = MessageBox(QtWidgets.QMessageBox.Icon.Warning, "Close Referral Desktop without your latest changes?",
                         "Changes to a draft typed before the app locked could not be saved yet: this computer "
                         "is not letting the app write them. If you close now, they are lost. Keep the app "
                         "open and tell IT; they are saved as soon as writing works again.", parent=self)
        box.setObjectName("heldAnswersDialog")
        close = box.addButton(CLOSE, QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        close.setProperty("destructive", True)
        keep = box.addButton(KEEP.replace("page", "app"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: self._close_anyway() if button is close else None)
        self.held_answers_dialog = box
        box.open()
        return True

    def _close_anyway(self) -> None:
        self._closing_anyway = True
        self.close()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # Imported here: the first touch of the Qt namespace builds all its enums (~30 ms), which the
        # unlock screen does not need before its first paint.
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Escape and self.unlocked and self.current is not self.home:
            if not is_editor_host(self.current):
                self.show_home()
                return
        from referral_desktop.ui.enter_on_buttons import press_focused_button

        if press_focused_button(self, event):  # an Enter the focused push button left to its window
            return
        super().keyPressEvent(event)
