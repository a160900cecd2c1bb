"""The background sender is started by the first unlock with the key that unlock derived, and waits for
the home screen's rows before it opens its own store connection (so that its start-up does not slow
unlock -> home); a first run, which shows no home screen yet, starts it a few seconds later anyway."""

from __future__ import annotations

import threading
import time

import pytest

from referral_desktop.policy import Policy
from referral_desktop.ui import sync_startup
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.sync_startup import start_sync

pytestmark = pytest.mark.gui


@pytest.fixture
def opened(monkeypatch):
    """Records the key each sender connection is opened with; the open then fails (nothing to send)."""
    keys: list[object] = []
    event = threading.Event()

    def open_store(self, key):
        keys.append(key)
        event.set()
        raise RuntimeError("no store in this test")

    monkeypatch.setattr(ProfileGateway, "open", open_store)
    return keys, event


def test_the_sender_opens_its_connection_with_the_unlock_s_key_once_home_shows(context, opened):
    keys, event = opened
    context.policy = Policy()
    sync = start_sync(context)
    key = object()  # stands in for the RawKey the unlock derived
    context.passphrase_accepted(key)
    assert not event.wait(0.5)  # the home screen is still being built: the sender waits
    context.home_shown.set()
    assert event.wait(5)
    assert keys == [key]
    sync.stop()


def test_without_a_home_screen_the_sender_starts_after_a_few_seconds(context, opened, monkeypatch):
    keys, event = opened
    monkeypatch.setattr(sync_startup, "START_WAIT_SECONDS", 0.3)
    context.policy = Policy()
    sync = start_sync(context)
    started = time.monotonic()
    context.passphrase_accepted("a passphrase (first run: the store was just created)")
    assert event.wait(5) and time.monotonic() - started >= 0.3
    sync.stop()


def test_stopping_before_the_home_screen_ends_the_waiting_sender_at_once(context, opened):
    keys, event = opened
    context.policy = Policy()
    sync = start_sync(context)
    context.passphrase_accepted(object())
    started = time.monotonic()
    sync.stop()
    assert time.monotonic() - started < 2 and keys == []
