"""The referral lifecycle of PRODUCT.md §4 (domain/lifecycle.py)."""

import pytest

from referral_desktop.domain.lifecycle import (
    EDITABLE_STATES,
    UNSENT_STATES,
    InvalidTransition,
    allowed_targets,
    can_transition,
    check_transition,
)
from referral_desktop.domain.lifecycle import (
    ReferralState as S,
)


def test_main_line_is_allowed():
    line = [S.DRAFT, S.READY, S.QUEUED, S.SENDING, S.RECEIVED, S.ACKNOWLEDGED, S.DECIDED, S.PURGED]
    for a, b in zip(line, line[1:], strict=False):
        assert can_transition(a, b), (a, b)


@pytest.mark.parametrize(
    "a,b",
    [(S.SENDING, S.RETRYING), (S.RETRYING, S.SENDING), (S.SENDING, S.REJECTED), (S.REJECTED, S.DRAFT),
     (S.RECEIVED, S.INFO_REQUESTED), (S.INFO_REQUESTED, S.DECIDED), (S.SENDING, S.QUEUED)],
)
def test_side_paths(a, b):
    check_transition(a, b)


@pytest.mark.parametrize(
    "a,b",
    [(S.DECIDED, S.DRAFT), (S.PURGED, S.DRAFT), (S.DRAFT, S.SENDING), (S.RECEIVED, S.SENDING),
     (S.DRAFT, S.PURGED), ("draft", "nonsense"), ("nonsense", "draft")],
)
def test_impossible_moves_are_refused(a, b):
    assert not can_transition(a, b)
    with pytest.raises(InvalidTransition):
        check_transition(a, b)


def test_purged_is_final_and_sets_are_consistent():
    assert allowed_targets(S.PURGED) == frozenset()
    assert EDITABLE_STATES <= UNSENT_STATES
    assert S.RECEIVED not in UNSENT_STATES
