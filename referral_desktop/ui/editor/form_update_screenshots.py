"""PNG screenshots of form 1.1.0's reworked pages and of moving a 1.0.0 draft to it, with invented data.

    python -m referral_desktop.ui.editor.form_update_screenshots OUT_DIR [--font-scale 2] [--palette dark|high-contrast]

Pages: before you start (an out-of-hours EDT call recorded), the page a member of the public sees,
information sharing and the family's agreement, and the banner and dialog that move a 1.0.0 draft.
Runs offscreen when there is no display; the store is the editor screenshots' stand-in.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from referral_desktop.ui.editor.editor_screenshots import SHOT_TIME, _settle, _ShowStore

PROFESSIONAL = {
    "referrer_type": "professional", "immediate_danger": "no", "phone_referral_made": "yes",
    "phone_referral_datetime": "2026-11-22T23:10", "phone_referral_service": "edt",
    "phone_referral_contact_name": "EDT duty social worker (invented)", "phone_referral_reference": "EDT-1122-04",
    "route": "b", "family_agreement": "not_asked", "not_asked_reason": "other",
    "lawful_basis": "public_task", "family_told": "no",
}
PUBLIC = {"referrer_type": "member_of_public", "immediate_danger": "no", "phone_referral_made": "no"}


def save_form_update_screenshots(out_dir: Path, *, size: tuple[int, int] = (1366, 768),
                                 font_scale: float = 1.0, palette: str | None = None) -> list[Path]:
    """Save the reworked 1.1.0 pages and the move dialog; return the paths."""
    from PySide6.QtWidgets import QApplication

    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor import EditorScreen
    from referral_desktop.ui.editor.form_version_move import (
        MoveDraftDialog,
        NewerVersionBanner,
        preview_move,
    )
    from referral_desktop.ui.example_palettes import dress
    from referral_desktop.ui.gui_application import running_application
    from referral_desktop.ui.task_runner import StoreTaskRunner
    from referral_desktop.ui.theme import apply_theme

    app = running_application() or QApplication(sys.argv[:1])
    apply_theme(app)
    dress(app, font_scale=font_scale, palette=palette)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = (f"-{palette}" if palette else "") + (f"-{int(font_scale * 100)}" if font_scale != 1.0 else "")
    runner = StoreTaskRunner()
    runner.store = _ShowStore()
    new, old = load_form("cwac-marf", "1.1.0"), load_form("cwac-marf", "1.0.0")
    saved: list[Path] = []

    def shoot(widget: Any, name: str) -> None:
        _settle(app, runner)
        path = out_dir / f"form-1.1.0-{name}{suffix}.png"
        widget.grab().save(str(path))
        saved.append(path)

    def editor_at(answers: dict, section_id: str, name: str) -> None:
        referral = SimpleNamespace(id=f"shot-{name}", answers=dict(answers), state="draft", rejection_reasons=[])
        editor = EditorScreen(new, referral, runner, clock=lambda: SHOT_TIME)
        editor.resize(*size)
        editor.show()
        editor.go_to(editor._section_index(section_id), focus_page=True)
        shoot(editor, name)
        editor.flush()
        editor.close()

    editor_at(PROFESSIONAL, "before_you_start", "before-you-start")
    editor_at(PUBLIC, "not_a_professional", "member-of-public")
    editor_at(PROFESSIONAL, "information_sharing", "information-sharing")

    import json

    from referral_desktop.bundled_data import forms_dir

    answers = json.loads((forms_dir() / "examples" / "valid-route-c.json").read_text(encoding="utf-8"))["answers"]
    dialog = MoveDraftDialog(preview_move(old, new, answers))
    dialog.resize(900, 640)
    dialog.show()
    shoot(dialog, "move-dialog")
    dialog.close()
    banner = NewerVersionBanner(old, new)
    banner.resize(size[0], banner.sizeHint().height())
    banner.show()
    shoot(banner, "newer-version-banner")
    banner.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--font-scale", type=float, default=1.0)
    parser.add_argument("--palette", choices=("dark", "high-contrast"))
    parser.add_argument("--dark", dest="palette", action="store_const", const="dark",
                        help="the same as --palette dark")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in save_form_update_screenshots(args.out_dir, font_scale=args.font_scale, palette=args.palette):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
