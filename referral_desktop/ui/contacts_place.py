"""Where the screen with every contact and its opening hours is, named once, as its menu item reads.

Why: messages that tell the professional to phone iART point them to that screen. They named it "Who to
call" in some lines and "View → Contacts and hours" in others, while the menu item reads "Contacts and
hours": someone looking for "Who to call" in the menus finds nothing. Messages, the screen's heading and its
title use these words; a test holds them to the main window's menu.
"""

from __future__ import annotations

#: The screen's name: its menu item (View menu), its heading and its window title.
CONTACTS = "Contacts and hours"
#: How to reach it from the menus, as messages write it ("Phone iART (View → Contacts and hours)").
CONTACTS_MENU_PATH = f"View → {CONTACTS}"
