"""What a screen reader gets of the home list at 200 % text, read from the real AT-SPI bus (home_driver.py).

At 200 % text on a laptop the list shows each referral's iART reference on a second line under its state
(professionals read it out when they phone iART). Qt's own accessible cells were checked before
(tests/ui/test_home_at_200_percent.py); this checks what actually reaches the bus: every reference is in
its row's cells, said with what it is, and no child's name is."""

from __future__ import annotations

import pytest

from tests.ui.atspi.home_driver import CHILDREN, REFERENCES
from tests.ui.atspi.test_screen_reader_walk import _nodes

pytestmark = pytest.mark.gui


def _cells(home_walk):
    checkpoint = home_walk["home at 200 %"]
    [table] = [n for n in _nodes(checkpoint) if n.role == "table"]
    return table, [n for n in table.children if n.role in ("table cell", "cell")]


def test_the_walk_reaches_the_home_list(home_walk):
    assert list(home_walk) == ["home at 200 %"]


def test_every_reference_is_heard_with_its_state(home_walk):
    """The cell a keyboard user lands on in the state column says the state and the reference under it.
    (Qt also puts the cells of the columns hidden in this layout on the bus, the reference's own among
    them; they repeat what is shown and are not reached by the arrow keys.)"""
    _table, cells = _cells(home_walk)
    states = [cell.name for cell in cells if cell.name.startswith("State: ")]
    assert len(states) == len(REFERENCES), states
    for reference in REFERENCES:
        [heard] = [name for name in states if reference in name]
        assert heard.endswith(f". iART reference: {reference}"), heard  # said as what it is, not a bare code
    assert "State: Decided. iART reference: IART-2026-000102" in states


def test_overdue_is_said_in_words(home_walk):
    _table, cells = _cells(home_walk)
    assert sum("Overdue" in cell.name for cell in cells) == 2, [c.name for c in cells]


def test_no_childs_name_reaches_the_bus(home_walk):
    for checkpoint in home_walk.values():
        said = " ".join(f"{n.name} {n.description}" for n in _nodes(checkpoint))
        for child in CHILDREN:
            assert child.split()[0] not in said and child.split()[1] not in said
