"""PNG screenshots of every editor page with invented data, to look at as a user would.

    python -m referral_desktop.ui.editor.editor_screenshots OUT_DIR [--font-scale 2] [--palette dark|high-contrast]
        [--size 800x600]

At 1366 x 768, the laptop screen most users have (``--size 800x600``: the narrow window where questions
once scrolled sideways at 200 % text); a page longer than the window is also saved whole
(``-whole.png``), so every question is looked at, not only the first screenful. Runs offscreen when there
is no display. The store is a stand-in that keeps nothing (screenshots need
no SQLCipher file); the answers are the invented ones of ``demo_answers``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

SHOT_TIME = datetime(2026, 11, 23, 10, 42, tzinfo=UTC)
DEMO_ATTACHMENT = "3f0c2d7e-5a1b-4c4e-9d1f-2b6a8e4c7a10"


class _ShowStore:
    """Just enough of the store for the editor to save and list one invented attachment."""

    def __init__(self) -> None:
        info = SimpleNamespace(id=DEMO_ATTACHMENT, filename="chronology-of-concerns-september-to-november-invented.pdf", size=182_000, content_type="application/pdf")
        self.referrals = SimpleNamespace(save_answers=lambda _id, _answers: SHOT_TIME)
        self.attachments = SimpleNamespace(list=lambda _id: [info], add=None, remove=lambda _id: None)

    def close(self) -> None:
        pass


def _settle(app: Any, runner: Any) -> None:
    for _ in range(5):
        app.processEvents()
    runner.wait_idle(2000)
    app.processEvents()


def save_editor_screenshots(out_dir: Path, *, size: tuple[int, int] = (1366, 768), font_scale: float = 1.0,
                            palette: str | None = None) -> list[Path]:
    """Save one PNG per section, the check page, an error state and a read-only referral; return paths."""
    from PySide6.QtWidgets import QApplication

    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor import EditorScreen
    from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
    from referral_desktop.ui.example_palettes import dress
    from referral_desktop.ui.gui_application import running_application
    from referral_desktop.ui.screenshots import save_whole_page
    from referral_desktop.ui.task_runner import StoreTaskRunner
    from referral_desktop.ui.theme import apply_theme

    app = running_application() or QApplication(sys.argv[:1])
    apply_theme(app)
    dress(app, font_scale=font_scale, palette=palette)
    out_dir.mkdir(parents=True, exist_ok=True)
    form = load_form("cwac-marf", current_demo_version())
    runner = StoreTaskRunner()
    runner.store = _ShowStore()
    saved: list[Path] = []

    def shoot(widget: Any, name: str) -> None:
        # Active, so keyboard focus is drawn as a person sees it: with no window manager (xvfb-run) no
        # window was ever active, and no screenshot showed where focus was.
        widget.activateWindow()
        _settle(app, runner)
        path = out_dir / f"editor-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)
        whole = save_whole_page(widget, out_dir, f"editor-{name}")
        if whole is not None:
            saved.append(whole)

    answers = full_answers()
    answers["attachments"] = [DEMO_ATTACHMENT]
    answers["phone_referral_made"] = "yes"
    answers.update(
        phone_referral_datetime="2026-11-20T09:05", phone_referral_service="iart",
        phone_referral_contact_name="Duty worker (invented)",
    )
    referral = SimpleNamespace(id="demo-1", answers=answers, state="draft", rejection_reasons=[])
    editor = EditorScreen(form, referral, runner, clock=lambda: SHOT_TIME)
    editor.resize(*size)
    editor.show()
    for index, section in enumerate(editor.sections):
        editor.go_to(index, focus_page=True)
        shoot(editor, f"{index + 1:02d}-{section.id}")
    editor.go_to_check()
    editor.autosaver.saved.emit(SHOT_TIME)
    shoot(editor, f"{len(editor.sections) + 1:02d}-check-answers")
    # "Change" beside a repeated item's answer, then Continue: back on the check page, focus on that link.
    editor.check_page.change_links["children[0].family_name"].click()
    shoot(editor, "change-from-check")
    editor.go_next()
    shoot(editor, "check-answers-after-change")
    # A change that asks a further required question, Continue with it blank: kept on its page.
    editor.check_page.change_links["disclosure_made"].click()
    editor.row_for("disclosure_made").input.buttons["yes"].click()
    editor.go_next()
    shoot(editor, "change-kept-with-problems")
    editor.flush()
    editor.close()

    # Errors: a half-filled "About you" left for the next section, then back to see the summary.
    half = {"referrer_type": "professional", "referrer_name": "Alex Sample", "referrer_email": "alex@"}
    errors = EditorScreen(form, SimpleNamespace(id="demo-2", answers=half, state="draft", rejection_reasons=[]),
                          runner, clock=lambda: SHOT_TIME)
    errors.resize(*size)
    errors.show()
    errors.go_to(errors._section_index("about_you"))
    errors.go_next()
    errors.go_previous()
    errors.page_for_section("about_you").focus_summary()
    shoot(errors, "errors-about-you")
    errors.go_to_check()
    errors.check_all()
    errors.check_page.focus_summary()
    shoot(errors, "errors-check-answers")
    errors.close()

    rejected = SimpleNamespace(
        id="demo-3", answers=full_answers(), state="draft",
        rejection_reasons=[("children[0].nhs_number", "The NHS number does not match this child's records")],
    )
    rejected_editor = EditorScreen(form, rejected, runner, clock=lambda: SHOT_TIME)
    rejected_editor.resize(*size)
    rejected_editor.show()
    rejected_editor.navigate_to("children[0].nhs_number")
    shoot(rejected_editor, "rejected-children")
    rejected_editor.close()

    queued = SimpleNamespace(id="demo-4", answers=full_answers(), state="queued", rejection_reasons=[])
    read_only = EditorScreen(form, queued, runner, clock=lambda: SHOT_TIME)
    read_only.resize(*size)
    read_only.show()
    read_only.go_to(read_only._section_index("about_you"))
    shoot(read_only, "read-only-queued")
    read_only.close()

    # The text size doubled while a half-typed answer has focus: the open page follows at once.
    resized = EditorScreen(form, SimpleNamespace(id="demo-5", answers=half, state="draft", rejection_reasons=[]),
                           runner, clock=lambda: SHOT_TIME)
    resized.resize(*size)
    resized.show()
    resized.go_to(resized._section_index("about_you"))
    resized.row_for("referrer_organisation").focus_input()
    before = app.font()
    larger = app.font()
    larger.setPointSizeF(before.pointSizeF() * 2)
    app.setFont(larger)
    shoot(resized, "text-size-doubled-while-open")
    app.setFont(before)
    resized.close()
    runner.shutdown()
    return saved


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("screenshots"))
    parser.add_argument("--font-scale", type=float, default=1.0, help="2 = 200 %% text")
    parser.add_argument("--palette", choices=("dark", "high-contrast"))
    parser.add_argument("--size", default="1366x768", help="the editor's width x height in pixels")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in save_editor_screenshots(args.out_dir, size=_size(args.size), font_scale=args.font_scale,
                                        palette=args.palette):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
