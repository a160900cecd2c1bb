"""The third AT-SPI walk: the home list at 200 % text (run as ``python -m tests.ui.atspi.home_driver
PROFILE_DIR``, driven like app_driver.py, whose event loop and step protocol it uses).

Before the app starts, the profile gets a store holding referrals iART has received, acknowledged and
decided (each with its iART reference, one overdue), and one decided and purged by the retention purge
with a refused reply (and its document) and a reply started and not sent, which its row still says. The walk doubles the app's text (as a low-vision user's
system setting does), unlocks, and stops at the home list: in the window of a 1366 x 768 laptop the list
then shows the iART reference on a second line under the state, and a screen reader must still hear it.
Then the window is made wider than the screen (every column comes back) and the laptop's width again (they go):
the screen reader's table must follow both ways.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.ui.atspi.app_driver import _settle, _wait
from tests.ui.atspi.app_driver import main as drive
from tests.ui.received_referral import received_referral

PASSPHRASE = "Wombat-Cinnabar-4821"
AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
#: (state, outcome) of each referral, and its iART reference IART-2026-00010<n>.
REFERRALS = (("received", None), ("acknowledged", None), ("decided", "childrens_social_care_assessment"),
             ("purged", "early_help_and_prevention"))
REFERENCES = tuple(f"IART-2026-00010{n}" for n in range(len(REFERRALS)))
CHILDREN = ("Zebedee Sentinelchild", "Yolanda Sentinelchild", "Xavier Sentinelchild", "Wilma Sentinelchild")
#: A reply to the acknowledged referral, queued and not yet at iART: the list says so, never its words.
REPLY = "Sentinelchild has moved school"


def sent_referrals(profile: Path) -> None:
    """A store with three referrals iART holds, the first overdue for a decision, the second with a reply
    waiting to send; and one decided and purged (first, so the purge leaves the other decided one)."""
    from referral_desktop.store import create_store
    from referral_desktop.store.retention import purge_expired

    store = create_store(profile, PASSPHRASE, clock=lambda: AT)
    made = sorted(zip(REFERRALS, REFERENCES, CHILDREN, strict=True), key=lambda made: made[0][0] != "purged")
    for (state, outcome), reference, child in made:
        given, family = child.split()
        referral_id = received_referral(store, at=AT, reference=reference,
                                        answers={"children": [{"given_names": given, "family_name": family}]})
        if state != "received":
            store.referrals.set_state(referral_id, "acknowledged")
        if state in ("acknowledged", "purged"):
            reply = store.replies.save_draft(referral_id, REPLY)
            if state == "purged":
                store.attachments.add_to_reply(reply.id, f"{family}.pdf", b"%PDF-1.4\n%%EOF\n")
            store.replies.freeze(reply.id, b'{"text":"..."}', "application/json")
        if state == "purged":  # that reply refused (with its document), another started and not sent
            store.replies.mark_refused(reply.id, "rejected_422")
            store.replies.save_draft(referral_id, REPLY)
        if state in ("decided", "purged"):
            store.referrals.set_state(referral_id, "decided", outcome=outcome, decided_at=AT + timedelta(hours=2))
        if state == "purged":
            assert purge_expired(store, AT + timedelta(hours=3)) == 1
    store.close()


def home_walk(app, window, context) -> Iterator[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from referral_desktop.ui.screens.home import HomeScreen
    from referral_desktop.ui.screens.referral_table_model import COLUMNS
    from referral_desktop.ui.screens.unlock import UnlockScreen
    from referral_desktop.ui.theme import BODY_POINTS

    font = app.font()
    font.setPointSizeF(BODY_POINTS * 2)  # 200 % text
    app.setFont(font)
    window.showMaximized()  # the laptop's whole screen, as at 200 % text one would
    _wait(app, lambda: isinstance(window.current, UnlockScreen) and window.current.passphrase.hasFocus())
    QTest.keyClicks(window.current.passphrase, PASSPHRASE)
    QTest.keyClick(window.current.passphrase, Qt.Key.Key_Return)
    _wait(app, lambda: isinstance(window.current, HomeScreen) and window.current.model.rowCount() == len(REFERRALS),
          timeout_ms=30_000)
    home = window.current
    _wait(app, lambda: home.model.reference_under_state)  # the narrow layout: the reference under the state
    home.table.setFocus()
    _settle(app, context, 600)
    yield "home at 200 %"

    # A window wider than the laptop (as on a large monitor): every column comes back, then goes again.
    laptop = window.size()
    window.showNormal()
    window.resize(3000, laptop.height())
    _wait(app, lambda: home.proxy.columnCount() == len(COLUMNS))
    _settle(app, context, 400)
    yield "home at 200 %, wide"

    window.resize(laptop)
    _wait(app, lambda: home.model.reference_under_state and home.proxy.columnCount() == 3)
    _settle(app, context, 400)
    yield "home at 200 %, narrow again"


def main(argv: list[str]) -> int:
    sent_referrals(Path(argv[0]))
    return drive(argv, walker=home_walk)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
