"""Everything PySide6: the application, screens, widgets and the form renderer. The only Qt package."""
