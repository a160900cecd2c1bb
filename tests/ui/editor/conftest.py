"""Fixtures for the editor tests: the real MARF definition, the shell's real task runner, and a store.

``recording_store`` stands in for the store's referrals/attachments API where a test is about the
editor's own behaviour (which thread saves, how often); tests about surviving a restart use the real
SQLCipher store.
"""

from __future__ import annotations

import copy
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from referral_desktop.domain.form_catalog import load_form

FIXED_NOW = datetime(2026, 11, 23, 10, 42, tzinfo=UTC)  # a Monday


@dataclass
class RecordingReferrals:
    saves: list[tuple[int, dict]] = field(default_factory=list)  # (thread id, answers)

    def save_answers(self, referral_id: str, answers: dict) -> datetime:
        self.saves.append((threading.get_ident(), copy.deepcopy(answers)))
        return FIXED_NOW


@dataclass
class RecordingAttachments:
    files: dict[str, Any] = field(default_factory=dict)

    def add(self, referral_id, filename, data, *, allowed_types, max_bytes):
        if not data.startswith(b"%PDF"):
            raise type("AttachmentRefused", (Exception,), {})("The selected file must be a PDF, PNG or JPEG")
        info = SimpleNamespace(id=str(uuid.uuid4()), filename=filename, size=len(data), content_type="application/pdf")
        self.files[info.id] = info
        return info

    def list(self, referral_id):
        return list(self.files.values())

    def remove(self, attachment_id):
        del self.files[attachment_id]


@pytest.fixture(scope="session")
def marf():
    return load_form("cwac-marf", "1.0.0")


@pytest.fixture
def recording_store():
    return SimpleNamespace(referrals=RecordingReferrals(), attachments=RecordingAttachments())


@pytest.fixture
def runner(qtbot, recording_store):
    from referral_desktop.ui.task_runner import StoreTaskRunner

    task_runner = StoreTaskRunner()
    task_runner.store = recording_store
    yield task_runner
    task_runner.wait_idle()
    task_runner.store = None
    task_runner.shutdown()


def make_referral(answers: dict | None = None, state: str = "draft", rejection_reasons=None):
    return SimpleNamespace(
        id=str(uuid.uuid4()), answers=answers or {}, state=state, rejection_reasons=rejection_reasons or []
    )


@pytest.fixture
def open_editor(qtbot, marf, runner):
    """Build, show and register an editor: ``open_editor(answers=..., state=..., rejection_reasons=...)``."""
    from referral_desktop.ui.editor import EditorScreen

    def build(answers=None, state="draft", rejection_reasons=None, referral=None, **kwargs):
        referral = referral or make_referral(answers, state, rejection_reasons)
        editor = EditorScreen(marf, referral, kwargs.pop("runner", runner), clock=lambda: FIXED_NOW, **kwargs)
        qtbot.addWidget(editor)
        editor.resize(1100, 800)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        qtbot.waitUntil(editor.isActiveWindow)
        return editor

    return build


@pytest.fixture
def new_referral():
    """The referral factory, for tests that build the editor themselves."""
    return make_referral


PASSPHRASE = "correct horse battery staple violet"


@pytest.fixture
def real_store_runner(qtbot, tmp_path):
    """The shell's runner holding a real SQLCipher store in a throwaway profile."""
    from referral_desktop.store import create_store
    from referral_desktop.ui.task_runner import StoreTaskRunner

    task_runner = StoreTaskRunner()
    task_runner.store = task_runner.run_sync(create_store, tmp_path / "profile", PASSPHRASE)
    yield task_runner
    task_runner.wait_idle()
    task_runner.shutdown()


#: The editor's part of a 1366 x 768 laptop screen: the window less its title bar and menu bar.
LAPTOP_EDITOR = (1366, 660)


@pytest.fixture
def new_referral_editor(qtbot, runner):
    """The editor of a new referral on the form version new referrals get, in the editor's part of a
    laptop screen."""
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.ui.editor import EditorScreen
    from referral_desktop.ui.editor.demo_answers import current_demo_version

    def build():
        form = load_form("cwac-marf", current_demo_version())
        editor = EditorScreen(form, make_referral({"referrer_type": "professional"}), runner, clock=lambda: FIXED_NOW)
        qtbot.addWidget(editor)
        editor.resize(*LAPTOP_EDITOR)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        qtbot.waitUntil(editor.isActiveWindow)
        return editor

    return build


#: The text size these tests scale from: a new QApplication's own offscreen default. Pinned, because the
#: size a test in the same process left behind decided what "200 %" measured (the app's 12 pt body text
#: after a test built the real application). The app's own 12 pt x 2 is measured on purpose, through its
#: own style sheet and body text, in test_check_reflow.py (the check page's tests use it).
BASE_POINTS = 9.0


@pytest.fixture
def base_text_size_pinned(qapp):
    """The application's text at :data:`BASE_POINTS` for the test (put back by tests/ui/conftest.py)."""
    font = qapp.font()
    font.setPointSizeF(BASE_POINTS)
    qapp.setFont(font)
