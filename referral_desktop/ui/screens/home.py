"""Home: every referral on this computer with its state, plus who to call now.

Why: the professional needs to see at a glance what is still a draft, what is waiting for a connection,
what iART has received, what is overdue for a decision and what was decided. Loading runs on the store
thread; the sync worker's events update single rows as they happen. After each load, drafts untouched
for 90 days are looked up and, if any, a quiet notice offers them for deletion (old_drafts.py).

This module builds the page and keeps the list up to date; three jobs beside it have modules of their own:
the filters and their counts (``group_filters.py``), offering old drafts (``old_drafts_offer.py``), and
where "who to call now" goes at each text size (``who_to_call_placement.py``).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.not_at_iart_words import load_not_at_iart
from referral_desktop.ui.screens.connection_indicator import ConnectionIndicator
from referral_desktop.ui.screens.draft_deletion import DraftDeleter
from referral_desktop.ui.screens.group_filters import GroupFilters
from referral_desktop.ui.screens.old_drafts import OldDraftsDialog
from referral_desktop.ui.screens.old_drafts_offer import OldDraftsOffer
from referral_desktop.ui.screens.referral_columns import ColumnFitter
from referral_desktop.ui.screens.referral_filter import ReferralFilter
from referral_desktop.ui.screens.referral_search import ReferralSearch
from referral_desktop.ui.screens.referral_table_model import ID_ROLE, STATE_ROLE, ReferralTableModel
from referral_desktop.ui.screens.who_to_call_placement import WhoToCallPlacement
from referral_desktop.ui.theme import heading, primary

log = logging.getLogger(__name__)

class HomeScreen(QWidget):
    new_referral_requested = Signal()
    open_requested = Signal(str, str)  # referral id, state
    contacts_requested = Signal()
    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeScreen")
        self.context = context
        self.model = ReferralTableModel(context.clock, self)
        self.proxy = ReferralFilter(self)
        self.proxy.setSourceModel(self.model)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter = splitter
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.addWidget(splitter)

        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(4)
        top = QHBoxLayout()
        title = QLabel("Your referrals")
        heading(title)
        top.addWidget(title, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(16)
        self.connection = ConnectionIndicator(context)
        # Beside the title, word-wrapped: the whole sentence at any text size, without a line of its own
        # (at 200 % text on a laptop every line taken above the list is a referral fewer in view).
        top.addWidget(self.connection, 1, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(top)

        # The list is made here, before the actions' row, so that "Delete draft" (its deleter needs the list)
        # is laid out with the other actions. A widget takes its place among the page's children, the order
        # of the accessibility tree a screen reader browses, when it is laid out: "Delete draft", added after
        # the list, was read after it (tests/ui/test_home_reading_order.py). The list joins the page below.
        self.table = QTableView(objectName="referralTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Referrals")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights keep 10,000 rows cheap (no measuring each row); ColumnFitter sets them for the font.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.columns = ColumnFitter(self.table, self.model, self.proxy)  # sizes for the font; the columns that fit
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # last updated first (all columns shown yet)
        self.draft_deleter = DraftDeleter(self.table, lambda: self.model.rows, context.runner, self)
        self.draft_deleter.deleted.connect(self._draft_deleted)
        self.draft_deleter.failed.connect(self._draft_not_deleted)

        actions = QHBoxLayout()
        self.new_button = QPushButton("New referral", objectName="newReferral")
        primary(self.new_button)
        self.new_button.setToolTip(f"New referral ({QKeySequence(QKeySequence.StandardKey.New).toString()})")
        self.send_button = QPushButton("Send now", objectName="sendNow")
        self.send_button.setToolTip("Try sending every referral that is waiting, now")
        actions.addWidget(self.new_button)
        actions.addWidget(self.send_button)
        actions.addWidget(self.draft_deleter.button)
        actions.addStretch(1)
        self.search_field = ReferralSearch()  # the box, and its hint where the box cannot hold it whole
        self.search, self.search_hint = self.search_field.box, self.search_field.hint
        actions.addWidget(self.search_field)
        self._actions = actions
        column.addLayout(actions)

        self.filters = GroupFilters(self._screen_width(), self)  # one row where the screen has room, else two
        self.filter_group, self.filter_buttons, self.count_label = (
            self.filters.group, self.filters.buttons, self.filters.count_label)
        self.filters.group_chosen.connect(self._group_chosen)
        column.addLayout(self.filters.grid)

        self.old_drafts = OldDraftsOffer(context, self, lambda: self.table)
        self.old_drafts_notice = self.old_drafts.notice
        self.old_drafts.drafts_deleted.connect(self.reload)
        column.addWidget(self.old_drafts_notice)

        column.addWidget(self.table, 1)
        self.empty_hint = QLabel("No referrals yet. Choose “New referral” to start one.", objectName="emptyHint")
        self.empty_hint.setVisible(False)
        column.addWidget(self.empty_hint)

        self.filter_buttons["all"].setChecked(True)
        self.placement = WhoToCallPlacement(context, splitter, main, lambda: self._screen_width())
        self.who_to_call, self.who_to_call_scroll = self.placement.panel, self.placement.scroll
        splitter.addWidget(main)
        splitter.addWidget(self.who_to_call_scroll)
        # Read as seen, the list first and who to call beside or below it: QSplitter puts the widget added
        # second before the first among its children, and a screen reader heard the panel first.
        main.lower()
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 0)  # the list takes the extra width; the panel starts at its minimum
        splitter.setSizes([10_000, self.who_to_call_scroll.minimumWidth()])
        splitter.splitterMoved.connect(lambda *_: self.columns.fit())
        splitter.setChildrenCollapsible(False)

        self.new_button.clicked.connect(self.new_referral_requested)
        self.send_button.clicked.connect(self.send_now)
        self.who_to_call.all_contacts_requested.connect(self.contacts_requested)
        self._text_size_timer = QTimer(self, singleShot=True, interval=0)
        self._text_size_timer.timeout.connect(self._follow_text_size)
        self._search_timer = QTimer(self, singleShot=True, interval=120)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.table.activated.connect(self._activated)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, activated=self.search.setFocus)
        context.sync_events.state_changed.connect(self._state_changed)
        setTabOrder = QWidget.setTabOrder  # noqa: N806 - reading order: actions, search, filters, table, panel
        chain = [self.new_button, self.send_button, self.draft_deleter.button, self.search, *self.filter_buttons.values(),
                 self.old_drafts_notice.review_button, self.table,
                 self.who_to_call.more_button, self.who_to_call.all_button]
        for first, second in zip(chain, chain[1:], strict=False):
            setTabOrder(first, second)

    def _screen_width(self) -> int:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry().width()

    def _fit_search_hint(self) -> None:
        """The search hint whole: in the box where the actions' row has room for it, above the box else."""
        room = self._screen_width() - 40  # the window's and the list's margins
        if self.splitter.orientation() == Qt.Orientation.Horizontal:
            room -= self.who_to_call_scroll.maximumWidth()
        spacing = self._actions.spacing()
        for index in range(self._actions.count()):
            item = self._actions.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton):
                room -= widget.sizeHint().width() + spacing
        self.search_field.fit_hint(room - spacing)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.placement.place()
        self._fit_search_hint()
        super().showEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_width)

    def _fit_width(self) -> None:
        """The columns for the list's width; folded below the list, who to call's line as tall as it wraps
        to at this width (narrowed, its second line was cut)."""
        self.columns.fit()
        if self.splitter.orientation() == Qt.Orientation.Vertical and self.who_to_call.is_folded():
            self.placement.fit_height()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_text_size_timer"):
            self._text_size_timer.start()  # the text size changed while open (ui/text_size.py)

    def _follow_text_size(self) -> None:
        """Laid out again as it would be if built at the new text size: the filters' rows, who to call
        beside or below the list, the search hint, the columns. (The window, grown with the text before
        this ran, is then brought back within the screen: ``ui/text_size.py``; ``_fit_width`` follows.)"""
        self.filters.place(self._screen_width())
        self.placement.size_width()
        self.placement.place()
        self._fit_search_hint()
        self.columns.measure()
        self._fit_width()

    # --- data -----------------------------------------------------------------------------------
    def reload(self) -> None:
        self.context.runner.run_with_store(
            lambda store: (store.referrals.list_summaries(), load_not_at_iart(store))
        ).owned_by(self).success(self._loaded).failure(lambda e: log.warning("listing failed: %s", type(e).__name__))

    def _loaded(self, listed: tuple[list[Any], dict[str, Any]]) -> None:
        summaries, not_at_iart = listed
        self.connection.refresh()
        self.model.set_summaries(summaries, not_at_iart)
        self.proxy.resort()  # by the column last chosen, shown or not (ReferralFilter keeps it)
        self._update_count()
        self.loaded.emit()
        self.old_drafts.check()

    # --- old drafts (old_drafts_offer.py) --------------------------------------------------------
    def review_old_drafts(self) -> OldDraftsDialog | None:
        """Open the list of old drafts (window-modal); returns it so tests can drive it."""
        return self.old_drafts.review()

    @property
    def old_drafts_dialog(self) -> OldDraftsDialog | None:
        return self.old_drafts.dialog

    # --- filters (group_filters.py) -------------------------------------------------------------
    def _group_chosen(self, group: str) -> None:
        self.proxy.set_group(group)
        self._update_count()

    def _update_count(self) -> None:
        self.filters.show_counts(len(self.model.rows), self.model.counts(), self.proxy.rowCount())
        self.empty_hint.setVisible(not self.model.rows)

    def _state_changed(self, referral_id: str, _state: str) -> None:
        """One row refreshed from the store (the worker reported a change: the referral's state, or one of
        its documents or replies on its way to iART); no full reload, and its summary row only."""
        self.context.runner.run_with_store(
            lambda store: (store.referrals.summary(referral_id), load_not_at_iart(store, referral_id).get(referral_id))
        ).owned_by(self).success(self._row_refreshed).failure(
            lambda e: log.warning("refresh failed: %s", type(e).__name__))

    def _row_refreshed(self, refreshed: tuple[Any, Any]) -> None:
        summary, not_at_iart = refreshed
        self.model.update_summary(summary, not_at_iart)
        self._update_count()

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._update_count()

    def _draft_deleted(self, _referral_id: str) -> None:
        self.reload()
        self.table.setFocus()
        announce(self.table, "Draft deleted.")  # focus back on the list, which says nothing of it; no initials

    def _draft_not_deleted(self, message: str) -> None:
        self.count_label.setText(message)
        announce(self, message, assertive=True)  # not only written in the count line

    def set_online(self, online: bool) -> None:
        self.connection.set_online(online)

    def send_now(self) -> None:
        worker = self.context.sync_worker
        # The sender's own "send now" first: a plain nudge leaves a referral waiting out its backoff after
        # a server error (up to 15 minutes), so the button did nothing.
        for name in ("send_now", "nudge", "wake"):
            method = getattr(worker, name, None)
            if callable(method):
                method()
                self.connection.trying_now()
                return
        self.connection.setText("Sending is not available in this session")

    def selected_id(self) -> str | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ID_ROLE) if indexes else None

    def _activated(self, index: QModelIndex) -> None:
        state = index.data(STATE_ROLE)
        # A returned referral opens on its detail page first: the reasons, each with "Fix".
        self.open_requested.emit(index.data(ID_ROLE), state)
