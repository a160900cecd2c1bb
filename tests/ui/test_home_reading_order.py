"""The home screen's accessibility tree is in the order the screen is read: "Delete draft" beside "Send now",
who to call after the list.

Why: a screen reader's browse mode (Orca's, NVDA's) reads the tree in its order, not the Tab order. "Delete
draft" was made after the list (its deleter needs the table), so it came after the list in the tree, though
it sits between "Send now" and the search box and Tab reaches it there. Read through Qt's accessible
interfaces, the objects its AT-SPI bridge puts on the bus (the AT-SPI home walk checks the bus itself).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from referral_desktop.ui.screens.home import HomeScreen

pytestmark = pytest.mark.gui


def reading_order(interface) -> list[tuple[str, str]]:
    """(role, name) of the buttons, the search box and tables, depth first as a screen reader reads them."""
    found: list[tuple[str, str]] = []
    wanted = {QAccessible.Role.Button: "button", QAccessible.Role.Table: "table",
              QAccessible.Role.EditableText: "text"}
    role = interface.role()
    if role in wanted and not interface.state().invisible:
        found.append((wanted[role], interface.text(QAccessible.Text.Name)))
    if role == QAccessible.Role.Table:
        return found  # its cells are not what this is about
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None:
            found += reading_order(child)
    return found


def test_delete_draft_is_read_between_send_now_and_the_search_box(qtbot, context, fake_store):
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.resize(1300, 700)
    home.show()
    qtbot.waitExposed(home)
    if home.who_to_call.is_folded():  # below the list (large text left by the tests before): unfold it
        home.who_to_call.more_button.setChecked(True)
    qtbot.waitUntil(home.who_to_call.all_button.isVisible, timeout=5000)
    order = reading_order(QAccessible.queryAccessibleInterface(home))
    names = [name for _role, name in order]
    start = names.index("New referral")
    assert names[start:start + 3] == ["New referral", "Send now", "Delete draft"], order
    assert order[start + 3][0] == "text", order  # then the search box
    assert names.index("Delete draft") < names.index("Referrals"), order  # before the list, as seen
    # Who to call is beside the list (below it at 200 % text on a laptop), and after it in the Tab order: it
    # was read first, before the page's own heading (QSplitter lists the widget added second first).
    assert names.index("Referrals") < names.index("All contacts and hours"), order
    # The Tab order was right all along; it stays so.
    chain = [home.new_button]
    while len(chain) < 50 and chain[-1] is not home.table:
        chain.append(chain[-1].nextInFocusChain())
    stops = [w for w in chain if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert stops[:4] == [home.new_button, home.send_button, home.draft_deleter.button, home.search], stops
