"""What a screen reader gets of the home list at 200 % text, read from the real AT-SPI bus (home_driver.py).

At 200 % text on a laptop the list shows each referral's iART reference on a second line under its state
(professionals read it out when they phone iART). Qt's own accessible cells were checked before
(tests/ui/test_home_at_200_percent.py); this checks what actually reaches the bus: every reference is in
its row's cells, said with what it is, and no child's name is."""

from __future__ import annotations

import pytest

from referral_desktop.ui.app import DESCRIPTION
from tests.ui.atspi.home_driver import CHILDREN, REFERENCES
from tests.ui.atspi.test_screen_reader_walk import _nodes

pytestmark = pytest.mark.gui


def _cells(home_walk, step="home at 200 %"):
    checkpoint = home_walk[step]
    [table] = [n for n in _nodes(checkpoint) if n.role == "table"]
    return table, [n for n in table.children if n.role in ("table cell", "cell")]


def test_the_walk_reaches_the_home_list(home_walk):
    assert list(home_walk) == ["home at 200 %", "home at 200 %, wide", "home at 200 %, narrow again"]


def test_every_reference_is_heard_with_its_state(home_walk):
    """The cell a keyboard user lands on in the state column says the state and the reference under it."""
    _table, cells = _cells(home_walk)
    states = [cell.name for cell in cells if cell.name.startswith("State: ")]
    assert len(states) == len(REFERENCES), states
    for reference in REFERENCES:
        [heard] = [name for name in states if reference in name]
        assert heard.endswith(f". iART reference: {reference}"), heard  # said as what it is, not a bare code
    assert "State: Decided. iART reference: IART-2026-000102" in states
    # What has not reached iART, heard between the state and the reference (each its own line on screen).
    assert "State: Acknowledged by iART. 1 reply waiting to send. iART reference: IART-2026-000101" in states
    # Once purged, what never reached iART, from its receipt (the page and the receipt say it too).
    assert ("State: Decided (receipt kept). 1 document did not reach iART, 1 reply not accepted by iART, 1 reply "
            "started and not sent. iART reference: IART-2026-000103") in states


#: What a sighted user sees at 200 % text on the laptop: three columns, the reference under the state.
SHOWN = ["Child", "State and iART reference", "Decision due or outcome"]
#: In a window wider than the laptop: every column, each under its own name.
WIDE = ["Child", "State", "Created", "Updated", "iART reference", "Decision due", "Outcome"]


@pytest.mark.parametrize(("step", "shown"), [("home at 200 %", SHOWN), ("home at 200 %, wide", WIDE),
                                             ("home at 200 %, narrow again", SHOWN)])
def test_a_screen_readers_table_commands_reach_only_the_columns_shown(home_walk, step, shown):
    """Orca's table navigation, its "column 2 of 3" and its column headers read the Table interface, not the
    arrow keys' path: the columns a layout gives up (created, updated, the reference's own column, the
    outcome's) must not be there, each repeating what a shown cell already said; and as the window widens
    and narrows, the table follows (Qt caches its accessible cells)."""
    table, cells = _cells(home_walk, step)
    read = table.table
    assert (read.rows, read.columns) == (len(REFERENCES), len(shown)), read
    assert read.headers == shown
    said_as = ["State" if name == "State and iART reference" else name for name in shown]
    for row in read.cells:  # each cell named by its column, as a sighted user reads the header above it
        assert [name.split(": ")[0] for name in row] == said_as, row
    assert [cell.name for cell in cells] == [name for row in read.cells for name in row]
    assert [n.name for n in table.children if n.role == "column header"] == shown


def test_overdue_is_said_in_words(home_walk):
    _table, cells = _cells(home_walk)
    assert sum("Overdue" in cell.name for cell in cells) == 2, [c.name for c in cells]


def test_no_childs_name_reaches_the_bus(home_walk):
    for checkpoint in home_walk.values():
        said = " ".join(f"{n.name} {n.description}" for n in _nodes(checkpoint))
        for child in CHILDREN:
            assert child.split()[0] not in said and child.split()[1] not in said


def test_the_application_is_named_and_described_in_words_on_the_bus(home_walk):
    """What a screen reader says on switching to the app: its name, not "ReferralDesktop", and a description,
    not the Python interpreter's path (Qt's application object gives ``applicationFilePath()``)."""
    application = home_walk["home at 200 %"].tree
    assert application.role == "application"
    assert application.name == "Referral Desktop"
    assert application.description == DESCRIPTION
    assert "python" not in application.description.lower() and "/" not in application.description
    assert [window.role for window in application.children] == ["frame"], application.children


def test_the_home_screen_is_read_in_the_order_it_is_seen(home_walk):
    """Browse mode reads the tree in its order: "Delete draft" beside "Send now", before the list (it came
    after the list), and who to call after the list (it came before the page's heading)."""
    names = [node.name for node in _nodes(home_walk["home at 200 %"])
             if node.role in ("push button", "toggle button", "check box", "table", "heading")]
    start = names.index("New referral")
    assert names[start:start + 3] == ["New referral", "Send now", "Delete draft"], names
    assert names.index("Your referrals") < start < names.index("Referrals"), names
    assert names.index("Referrals") < names.index("More numbers"), names
