"""Moving between screens: one transient screen at a time over home, destroyed when left.

Why apart from the window: every screen other than home is built when opened and destroyed when left, so
the widgets that hold answers never outlive their use; that rule lives here, in one place, with the
screens it opens. Screens are imported when first opened (start-up stays cheap).

``NavigationMixin`` is mixed into ``MainWindow`` (main_window.py), which owns the attributes it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from PySide6.QtWidgets import QWidget

from referral_desktop.ui.window_mixin_base import MainWindowBase
from referral_desktop.ui.window_title import follow_title

if TYPE_CHECKING:
    from referral_desktop.ui.screens.editor_host import EditorHost


def is_editor_host(widget: object) -> TypeGuard[EditorHost]:
    """By name, so that checking costs no import of the editor (it is warmed behind the unlock screen)."""
    return type(widget).__name__ == "EditorHost"


class NavigationMixin(MainWindowBase):
    """Home, the pages reached from the menus, a referral's editor or page, and a notification's target."""

    def _replace(self, widget: QWidget) -> None:
        """Show ``widget`` as the transient screen, destroying the previous one."""
        old = self.current
        self.current = widget
        follow_title(self, widget)
        self.stack.addWidget(widget)
        # Focus is the new screen's before the stack shows it, so the stack gives it straight there (its
        # heading, or the control it names), not first to its first button ("Back to referrals", then
        # the heading, each said by a screen reader). Again once shown, before the old screen is
        # detached: a focused widget taken out of the window takes the window's activation with it, and
        # keyboard users are left with focus nowhere.
        widget.setFocus()
        self.stack.setCurrentWidget(widget)
        widget.setFocus()
        if old is not None and old is not self.home:
            self.stack.removeWidget(old)
            old.setParent(None)
            old.deleteLater()
        widget.setFocus()

    def _discard_home(self) -> None:
        for widget in [w for i in range(self.stack.count()) if (w := self.stack.widget(i)) is not None]:
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
        # The list is the home screen's focus before the stack shows it: the stack then gives focus
        # straight to it. Otherwise it passed focus down the chain first ("filler", then "New referral",
        # then the list, each said by a screen reader) when the screen left had it.
        self.home.table.setFocus()
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

    def show_list_when_unlocked(self) -> None:
        """A notification about several referrals was clicked: bring the window forward on the list of
        referrals, now or right after the passphrase (unlocking shows the list; a referral an earlier
        click asked for is no longer what was asked)."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if self.unlocked:
            self.show_home()
        else:
            self._open_after_unlock = None

    def open_detail(self, referral_id: str) -> None:
        from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen

        screen = ReferralDetailScreen(self.context)
        screen.back_requested.connect(self.show_home)
        screen.fix_requested.connect(self.open_editor)
        screen.export_requested.connect(self.export_referral)
        self._replace(screen)
        screen.load(referral_id)
