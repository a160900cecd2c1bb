"""Where home puts "who to call now": beside the list where the screen has room for both, below it otherwise.

Why a module of its own: keeping 999 on screen at every text size is a job apart from listing referrals,
with its own measuring. The panel is in a scroll area (at 200 % text its numbers and opening times are
taller than the window, and a panel that is always visible must scroll rather than cut them off). Beside
the list it is 230-340 px wide (or as wide as its button needs) and full height; below the list (200 % text
on a laptop, where side by side would push it off the screen's right edge) it folds to one line, 999 and
"More numbers", so the list keeps its rows, and unfolded it takes about a third of the screen, scrolling.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.screens.who_to_call import WhoToCallPanel
from referral_desktop.ui.window_fit import keep_on_screen

#: QWidget's largest size: no maximum.
UNLIMITED = 16_777_215


class WhoToCallPlacement(QObject):
    """The panel (``panel``) in its scroll area (``scroll``), placed in ``splitter`` after ``listing``."""

    def __init__(self, context: AppContext, splitter: QSplitter, listing: QWidget,
                 screen_width: Callable[[], int]) -> None:
        super().__init__(splitter)
        self._splitter, self._listing, self._screen_width = splitter, listing, screen_width
        self.panel = WhoToCallPanel(context)
        self.scroll = QScrollArea(objectName="whoToCallScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.panel)
        self.size_width()
        self.panel.folded_changed.connect(self.fit_height)

    def size_width(self) -> None:
        """Wide enough for its button at any text size (buttons do not wrap); otherwise 230-340 px. Again
        when the text size changes while the list is open (``HomeScreen._follow_text_size``)."""
        fits = self.panel.all_button.sizeHint().width() + 48
        self.scroll.setMinimumWidth(max(230, fits))
        self.max_width = max(340, fits)
        if self._splitter.orientation() == Qt.Orientation.Horizontal:
            self.scroll.setMaximumWidth(self.max_width)

    def place(self) -> None:
        """Beside the list where the screen has room for both, below it otherwise (200 % text on a laptop),
        so that 999 is always on screen rather than pushed off its right edge."""
        needed = self._listing.minimumSizeHint().width() + self.scroll.minimumWidth() + 40
        vertical = needed > self._screen_width()
        wanted = Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal
        if self._splitter.orientation() != wanted:
            self._splitter.setOrientation(wanted)
            self.scroll.setMaximumWidth(UNLIMITED if vertical else self.max_width)
            # Below the list it folds to one line, 999 and "More numbers", so the list keeps its rows.
            self.panel.set_compact(vertical)
            self.fit_height()
            # The window may have grown to fit the side-by-side layout before this ran: bring it back.
            QTimer.singleShot(0, self._splitter, lambda: keep_on_screen(self._splitter.window()))

    def fit_height(self, *_folded: bool) -> None:
        """Folded below the list: exactly its one line. Unfolded below it: within about a third of the screen,
        scrolling, 999 at its top in view. Beside the list: the full height."""
        scroll = self.scroll
        if self._splitter.orientation() == Qt.Orientation.Horizontal:
            scroll.setMaximumHeight(UNLIMITED)
            return
        screen = self._splitter.screen() or QGuiApplication.primaryScreen()
        third = screen.availableGeometry().height() // 3
        if self.panel.is_folded():
            layout = self.panel.parts_layout
            layout.invalidate()  # the parts just hidden still count until the layout is measured afresh
            width = max(scroll.viewport().width(), scroll.minimumWidth())
            needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
            scroll.setMaximumHeight(min(third, needed + 2 * scroll.frameWidth()))
        else:
            scroll.setMaximumHeight(third)
        self._splitter.setSizes([10_000, scroll.maximumHeight()])
