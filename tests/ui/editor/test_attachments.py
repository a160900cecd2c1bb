"""The attachment panel against the real store: type checked by content, listed with size, removable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attachments_question(qtbot, marf, runner):
    """(referral, editor, panel): a new draft in the editor, at the section with the attachment question."""
    from referral_desktop.ui.editor import EditorScreen

    referral = runner.run_sync(lambda: runner.store.referrals.create_draft(marf.form_id, marf.version))
    editor = EditorScreen(marf, referral, runner)
    qtbot.addWidget(editor)
    editor.show()
    editor.go_to(editor._section_index("early_help"))
    return referral, editor, editor.row_for("attachments").input


def test_attach_refuse_and_remove_with_the_real_store(qtbot, marf, real_store_runner, tmp_path):
    runner = real_store_runner
    referral, editor, panel = _attachments_question(qtbot, marf, runner)
    good = tmp_path / "chronology.pdf"
    good.write_bytes(PDF)
    renamed = tmp_path / "photo.pdf"
    renamed.write_bytes(b"MZ\x90\x00 this is a program, not a document" * 4)
    panel.add_files([good])
    qtbot.waitUntil(lambda: "attachments" in editor.model.answers, timeout=5000)
    [attachment_id] = editor.model.answers["attachments"]
    assert [a.id for a in runner.run_sync(lambda: runner.store.attachments.list(referral.id))] == [attachment_id]
    panel.add_files([renamed])
    qtbot.waitUntil(lambda: panel.message.isVisibleTo(panel), timeout=5000)
    assert panel.message.accessibleName().startswith("Error: ")
    assert editor.model.answers["attachments"] == [attachment_id]
    panel.remove(attachment_id)
    qtbot.waitUntil(lambda: "attachments" not in editor.model.answers, timeout=5000)
    assert runner.run_sync(lambda: runner.store.attachments.list(referral.id)) == []
    editor.flush()
    saved = runner.run_sync(lambda: runner.store.referrals.get(referral.id))
    assert "attachments" not in saved.answers


def test_a_refused_file_is_said_without_its_name(qtbot, marf, real_store_runner, tmp_path, announced):
    """Focus stays on "Add a file…" (the file dialog gives it back), whose changed description a screen
    reader does not read by itself: the refusal is announced, as the reply box's documents do."""
    _referral, _editor, panel = _attachments_question(qtbot, marf, real_store_runner)
    refused = tmp_path / "Sentinelname notes.txt"
    refused.write_text("plain text, not a document", encoding="utf-8")
    panel.add_button.setFocus()
    panel.add_files([refused])
    qtbot.waitUntil(lambda: panel.message.isVisibleTo(panel), timeout=5000)
    said = [text for text in announced if text]
    assert any(text.startswith(panel.message.text().rstrip(".")) for text in said), said
    assert not any("Sentinelname" in text for text in said)


def test_a_file_attached_and_removed_by_keyboard_is_said_and_focus_stays_on_the_panel(
        qtbot, marf, real_store_runner, tmp_path, announced):
    """Removing a file with Space on its "Remove" button deleted the focused button with its row: focus
    went nowhere (the next Tab started from the window's first control) and nothing was said; attaching
    one was not said either (focus stays on "Add a file…", whose name does not change). Now each is
    announced, without the file's name (it may name the child), and focus moves to the next file's
    "Remove", or to "Add a file…" when none is left."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton

    _referral, editor, panel = _attachments_question(qtbot, marf, real_store_runner)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    files = []
    for name in ("Sentinelname chronology.pdf", "Sentinelname plan.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF)
        files.append(path)
    panel.add_button.setFocus()
    panel.add_files([files[0]])
    qtbot.waitUntil(lambda: len(editor.model.answers.get("attachments", [])) == 1, timeout=5000)
    assert "File attached." in announced
    panel.add_files([files[1]])
    qtbot.waitUntil(lambda: len(editor.model.answers.get("attachments", [])) == 2, timeout=5000)

    def removes():
        return [b for b in panel.findChildren(QPushButton) if b.text() == "Remove" and b.isVisibleTo(panel)]

    qtbot.waitUntil(lambda: len(removes()) == 2)
    first = removes()[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(first, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(editor.model.answers.get("attachments", [])) == 1, timeout=5000)
    qtbot.waitUntil(lambda: len(removes()) == 1)
    qtbot.wait(20)  # the removed row is deleted once control is back in the event loop
    assert QApplication.focusWidget() is removes()[0]
    assert "File removed." in announced
    QTest.keyClick(removes()[0], Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "attachments" not in editor.model.answers, timeout=5000)
    qtbot.wait(20)
    assert QApplication.focusWidget() is panel.add_button
    assert not any("Sentinelname" in text for text in announced if text)
