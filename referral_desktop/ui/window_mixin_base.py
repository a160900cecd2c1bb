"""What the main window's mixins may use of the window they are mixed into: declared once, for mypy.

``MainWindow`` (main_window.py) is assembled from mixins, one concern each (window_navigation.py,
window_session.py, window_referral_actions.py); each uses attributes the window sets up and methods of
the others. For the type checker they derive from ``MainWindowBase``, a ``QMainWindow`` declaring those
attributes and methods with their types, so each mixin is checked as the window it really runs in. At
run time the name is ``object``: nothing is imported and the window's MRO is unchanged (start-up cost
and behaviour as before).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import ClassVar

    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.export_pdf import ExportFlow
    from referral_desktop.ui.idle_lock import IdleWatcher
    from referral_desktop.ui.profile_gateway import ProfileGateway
    from referral_desktop.ui.screens.home import HomeScreen
    from referral_desktop.ui.window_idle_steps import IdleSteps

    class MainWindowBase(QMainWindow):
        session_unlocked: ClassVar[Signal]
        first_painted: ClassVar[Signal]
        start_up_queued: ClassVar[Signal]
        policy_refused: ClassVar[Signal]

        context: AppContext
        stack: QStackedWidget
        gateway: ProfileGateway
        home: HomeScreen | None
        current: QWidget | None  # the transient screen shown over home
        unlocked: bool
        export_flow: ExportFlow | None
        _open_after_unlock: str | None
        @property
        def idle(self) -> IdleWatcher: ...
        refusal: str | None
        idle_steps: IdleSteps
        _first_paint_seen: bool
        _started: bool

        # main_window.py
        def _set_session_actions(self, enabled: bool) -> None: ...

        # window_navigation.py
        def _replace(self, widget: QWidget) -> None: ...
        def _discard_home(self) -> None: ...
        def show_home(self) -> None: ...
        def open_editor(self, referral_id: str, focus_path: str | None = None) -> None: ...
        def open_detail(self, referral_id: str) -> None: ...

        # window_referral_actions.py
        def new_referral(self) -> None: ...
        def send_referral(self, referral_id: str) -> None: ...
        def export_referral(self, referral_id: str) -> None: ...

        # window_session.py
        def lock(self) -> None: ...
else:
    MainWindowBase = object
