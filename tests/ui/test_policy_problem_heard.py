"""The "cannot start" page is heard, not only shown.

Why: the page opens with focus on Quit, so a screen reader said "Quit, push button" and nothing of why the
app cannot start, whom to tell, or the numbers to phone: someone relying on it could only quit, or explore
the window to find out. As the missing-store page does, it announces itself once when shown.
"""

from __future__ import annotations

import pytest

from referral_desktop.ui.screens.policy_problem import PolicyProblemScreen

pytestmark = pytest.mark.gui

PROBLEM = "/etc/referral-desktop/policy.toml: retention_days: must be at least 1"


def test_the_page_announces_why_and_whom_to_phone_once(qtbot, context, announced):
    screen = PolicyProblemScreen(context, PROBLEM)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.wait(20)
    said = [text for text in announced if text]
    assert len(said) == 1, said
    [text] = said
    assert text.startswith("Referral Desktop cannot start. The settings your IT team installed"), text
    assert PROBLEM in text and "tell your IT service desk" in text
    assert "Emergency services, 999" in text  # the numbers the page shows, 999 first
    screen.hide()
    screen.show()
    qtbot.wait(20)
    assert [t for t in announced if t] == said  # once
    assert "cannot start" in screen.quit_button.accessibleDescription()  # heard again when Quit has focus
