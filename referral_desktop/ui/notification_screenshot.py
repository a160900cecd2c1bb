"""A screenshot of a real notification: ``xvfb-run -a python -m referral_desktop.ui.notification_screenshot OUT.png``.

Why a tool of its own: a notification lives in the desktop's notification area, outside the window the
other screenshots grab, so it needs a display with a system tray (under Xvfb, start one first, e.g.
``trayer``) and a grab of the screen. It runs the real path: a throwaway encrypted store holding an
invented referral, the :class:`~referral_desktop.ui.notifications.IartNotifier` primed as after unlock,
iART's question recorded as the sender records it, and the change signalled as the sender does.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def take(out: Path) -> int:
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from referral_desktop.store import create_store
    from referral_desktop.ui.app import build_application, make_settings
    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.editor.demo_answers import current_demo_version
    from referral_desktop.ui.notifications import IartNotifier
    from referral_desktop.ui.screenshots import NOW, PASSPHRASE, Clock
    from referral_desktop.ui.task_runner import StoreTaskRunner

    app = build_application([sys.argv[0]])
    if not QSystemTrayIcon.isSystemTrayAvailable():
        print("No system tray on this display (under Xvfb, start one first, e.g. trayer).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="referral-notify-") as tmp:
        clock = Clock(NOW)
        runner = StoreTaskRunner()
        context = AppContext(profile_dir=Path(tmp) / "profile", runner=runner,
                             settings=make_settings(Path(tmp) / "settings.ini"), clock=clock)
        context.profile_dir.mkdir()
        store = runner.run_sync(create_store, context.profile_dir, PASSPHRASE, clock=clock)
        runner.store = store

        def received() -> str:
            referral = store.referrals.create_draft("cwac-marf", current_demo_version(), {})
            store.referrals.freeze(referral.id, b"{}", "application/json")
            store.outbox.enqueue(referral.id)
            store.referrals.set_state(referral.id, "sending")
            store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-004106", sent_at=NOW,
                                      received_at=NOW, decision_due=NOW + timedelta(days=1))
            store.outbox.remove(referral.id)
            store.referrals.set_state(referral.id, "acknowledged")
            return str(referral.id)

        referral_id = runner.run_sync(received)
        notifier = IartNotifier(context)
        notifier.prime()
        runner.wait_idle()
        runner.run_sync(lambda: store.referrals.set_state(
            referral_id, "info_requested", message="Please send the name of the child's GP.", message_at=NOW))
        context.sync_events.emit_state(referral_id, "info_requested")
        runner.wait_idle()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # let the notification appear
            app.processEvents()
            time.sleep(0.05)
        screen = app.primaryScreen()
        whole = screen.grabWindow(0)
        width, height = 520, 200  # the corner where the notification area is
        whole.copy(whole.width() - width, whole.height() - height, width, height).save(str(out), "PNG")
        runner.run_sync(store.close)
        runner.shutdown()
    QApplication.processEvents()
    print(out)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m referral_desktop.ui.notification_screenshot OUT.png", file=sys.stderr)
        sys.exit(2)
    sys.exit(take(Path(sys.argv[1])))
