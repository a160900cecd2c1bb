"""The form editor, built from a form definition. ``EditorScreen`` is the single way in.

    editor = EditorScreen(form, referral, runner)
    editor.send_requested.connect(queue_referral)   # emits the referral id
    editor.closed.connect(show_home)
    editor.flush()                                  # save now (the window closing does this too)
"""

from referral_desktop.ui.editor.editor_screen import EditorScreen

__all__ = ["EditorScreen"]
