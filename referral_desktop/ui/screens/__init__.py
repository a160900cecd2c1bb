"""One module per screen of the application shell (the form editor lives in ui/editor)."""
