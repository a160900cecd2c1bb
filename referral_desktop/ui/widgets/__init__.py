"""Small reusable widgets for the application shell (the form editor has its own in ui/editor)."""
