"""Screenshots of every screen with invented example data: ``python -m referral_desktop.ui.screenshots OUT``.

Why: the README shows the main screens, and every screen should be looked at as a user would before it
is called done. Runs offscreen (or under Xvfb), with a throwaway profile, a real encrypted store, and a
fixed clock (Tuesday 24 November 2026, 10:00), so the pictures are the same on every run. All names are
invented.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from referral_desktop.ui.main_window import MainWindow
    from referral_desktop.ui.screens.home import HomeScreen

Screen = TypeVar("Screen", bound="QWidget")
Shown = TypeVar("Shown")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
PASSPHRASE = "lantern orbit meadow 42"
SIZE = (1366, 768)  # the laptop screen most users have (issue 10: every screen looked at this size)
PROFILE = {
    "referrer_name": "Pat Sample", "referrer_role": "Designated Safeguarding Lead",
    "referrer_organisation": "Example Street Primary School", "referrer_address": "1 Example Street\nChester",
    "referrer_postcode": "CH1 1AA", "referrer_telephone": "01244 977277",
    "referrer_email": "pat.sample@example.org",
}
CHILDREN = [("Ada", "Lovelock"), ("Ben", "Okafor"), ("Cara", "Singh"), ("Dev", "Patel"), ("Ela", "Novak"),
            ("Finn", "Murphy"), ("Gia", "Rossi"), ("Hal", "Jones"), ("Iris", "Chen"), ("Jay", "Brown")]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


#: An invented one-page PDF for the demo's reply documents (the store checks the type by content).
_DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def populate(store: Any, clock: Clock) -> dict[str, str]:
    """Invented referrals in every state; returns a few ids by role."""
    from referral_desktop.sync.payload import answers_document, freeze_document
    from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers

    base = full_answers()  # the demo family, on the form version new referrals use (no "newer version" banner)
    version = current_demo_version()
    ids: dict[str, str] = {}
    plan = ["draft", "draft", "returned", "queued", "retrying", "received", "acknowledged", "overdue",
            "decided", "decided"]
    outcomes = ["early_help_and_prevention", "childrens_social_care_assessment"]
    for n, (kind, (given, family)) in enumerate(zip(plan, CHILDREN, strict=False)):
        clock.now = NOW - timedelta(days=9 - n, hours=3)
        answers = dict(base)
        answers["children"] = [dict(base["children"][0], given_names=given, family_name=family)]
        if kind == "decided":  # an assessment attached before "No" to the tool: "What you sent" says it went without it
            answers["assessment_tool_attachments"] = ["4d2c1b0a-0f9e-4d8c-b7a6-958473625140"]
        referral = store.referrals.create_draft("cwac-marf", version, answers)
        rid = str(referral.id)
        ids.setdefault(kind, rid)
        if kind == "draft":
            continue
        # An overdue referral whose document iART did not accept: the list says so under its state.
        documents = [store.attachments.add(rid, "home-visit-notes.pdf", _DEMO_PDF).id] if kind == "overdue" else []
        frozen = freeze_document(answers_document("cwac-marf", version, answers))
        store.referrals.freeze(rid, frozen.data, frozen.content_type)
        store.outbox.enqueue(rid)
        if kind == "queued":
            continue
        clock.now += timedelta(minutes=20)
        store.referrals.set_state(rid, "sending")
        if kind == "retrying":
            store.referrals.set_state(rid, "retrying")
            continue
        if kind == "returned":
            store.referrals.reject(rid, [("children[0].nhs_number", "Enter an NHS number with 10 digits"),
                                         ("concern_summary", "Describe what you are worried about")])
            continue
        sent = clock.now
        received = sent + timedelta(seconds=2)
        due = (NOW - timedelta(hours=2)) if kind == "overdue" else received + timedelta(days=1, hours=6)
        store.referrals.set_state(rid, "received", iart_reference=f"IART-2026-{4100 + n:06d}", sent_at=sent,
                                  received_at=received, decision_due=due)
        store.uploads.begin(rid, documents)
        for document in documents:
            store.uploads.mark_refused(document, error_code="rejected_422", next_attempt_at=clock.now, max_refusals=1)
        if kind in ("acknowledged", "decided"):
            clock.now += timedelta(hours=1)
            store.referrals.set_state(rid, "acknowledged")
        if kind == "acknowledged":  # then iART asks for more, twice
            clock.now += timedelta(hours=2)
            store.referrals.set_state(rid, "info_requested", message_at=clock.now, message=(
                "Thank you. Please send the most recent school attendance figures and the name of the "
                "child's GP."))
            clock.now += timedelta(hours=1)  # the referrer answers from the referral's page
            reply = store.replies.save_draft(rid, "Attendance this term is 71% (figures from our MIS attached "
                                             "to the school's records). I will ask the family for the GP's name.")
            documents = [store.attachments.add_to_reply(reply.id, name, _DEMO_PDF)
                         for name in ("attendance-autumn-term.pdf", "school-report.pdf")]
            store.replies.freeze(reply.id, b'{"text":"..."}', "application/json")
            with store.write():
                store.replies.mark_sent(reply.id, sent_at=clock.now + timedelta(minutes=1), sequence=2,
                                        read_at=clock.now + timedelta(hours=2))
                store.uploads.begin_reply(reply.id, [d.id for d in documents])
            store.uploads.mark_uploaded(documents[0].id, documents[0].size)  # "1 of 2 documents sent"
            clock.now += timedelta(hours=19)
            store.referrals.add_message(rid, "We still need the GP's name before we can decide.", clock.now)
            clock.now += timedelta(minutes=30)
            waiting = store.replies.save_draft(rid, "The GP is Dr Example at Example Street Surgery, Chester.")
            store.replies.freeze(waiting.id, b'{"text":"..."}', "application/json")
            draft = store.replies.save_draft(rid, "Mum has also said the family may move to Ellesmere Port")
            store.attachments.add_to_reply(draft.id, "tenancy-letter.pdf", _DEMO_PDF)
        if kind == "decided":
            clock.now += timedelta(hours=5)
            store.referrals.set_state(rid, "decided", outcome=outcomes[n % 2], decided_at=clock.now)
    clock.now = NOW
    return ids


def add_old_drafts(store: Any, clock: Clock) -> list[str]:
    """Two drafts last changed more than 90 days ago, so home offers them for deletion."""
    from referral_desktop.ui.editor.demo_answers import current_demo_version

    ids = []
    for days, (given, family) in ((130, ("Kit", "Lane")), (97, ("Mo", "Reyes"))):
        clock.now = NOW - timedelta(days=days)
        answers = {"children": [{"given_names": given, "family_name": family}]}
        ids.append(str(store.referrals.create_draft("cwac-marf", current_demo_version(), answers).id))
    clock.now = NOW
    return ids


def _shown(window: MainWindow, kind: type[Screen]) -> Screen:
    """The screen the window shows, which this script expects to be a ``kind``."""
    screen = window.current
    if not isinstance(screen, kind):
        raise RuntimeError(f"expected the {kind.__name__}, the window shows {type(screen).__name__}")
    return screen


def _home(window: MainWindow) -> HomeScreen:
    return _present(window.home, "the home screen")


def _present(value: Shown | None, what: str) -> Shown:
    if value is None:
        raise RuntimeError(f"expected {what}, there is none")
    return value


def _save(widget: Any, out: Path, name: str) -> Path:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    path = out / f"{name}.png"
    image.save(str(path), "PNG", 0)
    save_whole_page(widget, out, name)
    return path


def save_whole_page(widget: Any, out: Path, name: str) -> Path | None:
    """Also ``{name}-whole.png``: the whole of the screen's scrolling page when it goes below the window
    (at 200 % text most do), so what lies below the fold is looked at too, not only the first screenful."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QScrollArea

    pages = [area for area in widget.findChildren(QScrollArea) if area.isVisible() and area.widget() is not None]
    if not pages:
        return None
    page = max(pages, key=lambda area: area.viewport().width() * area.viewport().height())
    if page.widget().height() <= page.viewport().height():
        return None
    path = out / f"{name}-whole.png"
    page.widget().grab().toImage().convertToFormat(QImage.Format.Format_RGB32).save(str(path), "PNG", 0)
    return path


def take_all(out: Path, *, font_scale: float = 1.0, palette: str | None = None) -> list[Path]:
    from PySide6.QtWidgets import QMessageBox

    from referral_desktop.store import create_store
    from referral_desktop.ui.app import build_application, make_settings
    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.example_palettes import dress
    from referral_desktop.ui.export_pdf import confirm_unencrypted
    from referral_desktop.ui.main_window import MainWindow
    from referral_desktop.ui.screens.first_run import FirstRunScreen
    from referral_desktop.ui.screens.forgotten_passphrase import ForgottenPassphraseDialog
    from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
    from referral_desktop.ui.screens.unlock import UnlockScreen
    from referral_desktop.ui.screens.urgency import UrgencyScreen
    from referral_desktop.ui.task_runner import StoreTaskRunner

    app = build_application([sys.argv[0]])
    dress(app, font_scale=font_scale, palette=palette)  # as the system's settings would
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="referral-screens-") as tmp:
        tmp_path = Path(tmp)
        clock = Clock(NOW)
        runner = StoreTaskRunner()
        context = AppContext(profile_dir=tmp_path / "profile", runner=runner,
                             settings=make_settings(tmp_path / "settings.ini"), clock=clock)
        context.profile_dir.mkdir()

        def window_for(name: str) -> MainWindow:
            window = MainWindow(context)
            window.resize(*SIZE)
            window.show()
            return window

        # First run, with the rules explained as the passphrase is typed.
        window = window_for("first")
        first = _shown(window, FirstRunScreen)
        first.passphrase.setText("sunshine")
        first._explain_rules()
        shots.append(_save(window, out, "01-first-run"))
        window.close()

        store = runner.run_sync(create_store, context.profile_dir, PASSPHRASE, clock=clock)
        runner.run_sync(lambda: store.profile.set(PROFILE))
        ids = runner.run_sync(populate, store, clock)
        runner.run_sync(add_old_drafts, store, clock)
        runner.run_sync(store.close)

        # Unlock after a wrong passphrase.
        window = window_for("unlock")
        unlock = _shown(window, UnlockScreen)
        unlock.passphrase.setText("not my passphrase")
        unlock.attempt()
        runner.wait_idle()
        shots.append(_save(window, out, "02-unlock-wrong-passphrase"))
        forgotten = ForgottenPassphraseDialog(context, window)
        forgotten.show()
        forgotten.confirm.setText("RESET")
        shots.append(_save(forgotten, out, "03-forgotten-passphrase"))
        forgotten.close()
        unlock._wait_until = 0
        unlock.unlock_button.setEnabled(True)
        unlock.passphrase.setText(PASSPHRASE)
        unlock.attempt()
        runner.wait_idle()
        runner.wait_idle()
        _home(window).table.clearSelection()
        shots.append(_save(window, out, "04-home"))
        old_drafts = _present(_home(window).review_old_drafts(), "the old drafts to review")
        shots.append(_save(old_drafts, out, "04b-old-drafts"))
        confirm = _present(old_drafts.ask_to_delete(), "the confirmation to delete old drafts")
        shots.append(_save(confirm, out, "04c-old-drafts-confirm"))
        confirm.done(QMessageBox.StandardButton.Cancel)
        old_drafts.reject()

        window.new_referral()
        runner.wait_idle()
        shots.append(_save(window, out, "05-new-referral-urgency"))
        urgency = _shown(window, UrgencyScreen)
        urgency.yes.setChecked(True)
        urgency._answered()
        shots.append(_save(window, out, "06-urgent-who-to-call"))

        window.show_contacts()
        shots.append(_save(window, out, "07-contacts"))

        window.open_detail(ids["decided"])
        runner.wait_idle()
        shots.append(_save(window, out, "08-referral-detail"))
        window.open_detail(ids["acknowledged"])
        runner.wait_idle()
        shots.append(_save(window, out, "08b-information-requested"))
        detail = _shown(window, ReferralDetailScreen)
        conversation = detail.conversation
        detail.ensureWidgetVisible(conversation.send_button, 0, 40)
        shots.append(_save(window, out, "08c-conversation"))
        detail.ensureWidgetVisible(conversation.view, 0, 40)  # a sent reply's "1 of 2 documents sent"
        shots.append(_save(window, out, "08d-conversation-documents"))
        window.open_detail(ids["returned"])
        runner.wait_idle()
        shots.append(_save(window, out, "09-returned-referral"))

        # The confirmation page after "Send referral": received (green panel) and still waiting.
        window.show_confirmation(ids["received"])
        runner.wait_idle()
        shots.append(_save(window, out, "09b-confirmation-sent"))
        window.show_confirmation(ids["retrying"])
        runner.wait_idle()
        shots.append(_save(window, out, "09c-confirmation-waiting"))

        window.open_editor(ids["draft"])
        runner.wait_idle()
        shots.append(_save(window, out, "10-editor"))

        window.show_privacy()
        shots.append(_save(window, out, "11-privacy-notice"))

        window.show_settings()
        runner.wait_idle()
        shots.append(_save(window, out, "12-settings"))

        warning = confirm_unencrypted(window)
        warning.show()
        shots.append(_save(warning, out, "13-export-warning"))
        warning.done(QMessageBox.StandardButton.Cancel)

        window.lock()
        shots.append(_save(window, out, "14-locked"))
        window.close()

        # store.db deleted while a snapshot of it is left: the copy is offered before anything new.
        lost = AppContext(profile_dir=tmp_path / "lost-profile", runner=runner,
                          settings=make_settings(tmp_path / "lost-settings.ini"), clock=clock)
        lost.profile_dir.mkdir()
        old = runner.run_sync(create_store, lost.profile_dir, PASSPHRASE, clock=clock)
        runner.run_sync(old.snapshots.take)
        runner.run_sync(old.close)
        (lost.profile_dir / "store.db").unlink()
        window = MainWindow(lost)
        window.resize(*SIZE)
        window.show()
        _present(_shown(window, FirstRunScreen).missing_page, "the missing store's page")
        shots.append(_save(window, out, "14b-store-missing"))
        window.close()

        # A policy IT installed that cannot be used: read behind the first screen, then explained.
        from referral_desktop.policy import PolicyError

        def unusable_policy() -> Any:
            raise PolicyError("/etc/referral-desktop/policy.toml: retention_days: must be at least 1")

        context.policy, context.policy_loader = None, unusable_policy
        window = window_for("policy")
        while window.refusal is None:
            app.processEvents()
            runner.wait_idle()
        shots.append(_save(window, out, "15-policy-problem"))
        window.close()
        runner.shutdown()
    app.processEvents()
    return shots


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m referral_desktop.ui.screenshots",
                                     description="Save a PNG of every screen with invented example data.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--font-scale", type=float, default=1.0, metavar="N",
                        help="multiply the application font size (2 = 200%% text)")
    parser.add_argument("--palette", choices=("dark", "high-contrast"),
                        help="a typical dark desktop palette, or a white-on-black high-contrast one")
    parser.add_argument("--high-contrast", dest="palette", action="store_const", const="high-contrast",
                        help="the same as --palette high-contrast")
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not 0.5 <= args.font_scale <= 4:
        print("--font-scale must be between 0.5 and 4", file=sys.stderr)
        return 2
    for path in take_all(args.outdir, font_scale=args.font_scale, palette=args.palette):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
