"""The form editor, built from a form definition. ``EditorScreen`` is the single way in.

    editor = EditorScreen(form, referral, runner)
    editor.send_requested.connect(queue_referral)   # emits the referral id
    editor.closed.connect(show_home)
    editor.flush()                                  # save now (the window closing does this too)

``EditorScreen`` is imported on first use: the screens in front of the lock (first run, unlock) use the
editor's error message component and must not pull in the form definition and the store with it.
"""

from typing import Any

__all__ = ["EditorScreen"]


def __getattr__(name: str) -> Any:
    if name == "EditorScreen":
        from referral_desktop.ui.editor.editor_screen import EditorScreen

        return EditorScreen
    raise AttributeError(name)
