"""An in-memory stand-in for referral_desktop.store, used only where the real store is not needed.

The real store (SQLCipher) is used by the flow tests whenever it is importable; this stand-in keeps the
screen tests runnable on their own and lets a test force rare answers (a damaged store, throttling).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any


class WrongPassphrase(Exception):
    def __init__(self, retry_after_seconds: float) -> None:
        super().__init__("The passphrase is not correct")
        self.retry_after_seconds = retry_after_seconds


class UnlockThrottled(Exception):
    def __init__(self, wait_seconds: float) -> None:
        super().__init__("wait")
        self.wait_seconds = wait_seconds


class WeakPassphrase(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass
class Referral:
    id: str
    form_id: str
    form_version: str
    answers: dict
    state: str = "draft"
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    iart_reference: str | None = None
    sent_at: datetime | None = None
    received_at: datetime | None = None
    decision_due: datetime | None = None
    outcome: str | None = None
    rejection_reasons: list = field(default_factory=list)
    child_initials: str = ""


class FakeReferrals:
    def __init__(self) -> None:
        self.items: dict[str, Referral] = {}

    def create_draft(self, form_id: str, form_version: str, answers: dict | None = None) -> Referral:
        r = Referral(str(uuid.uuid4()), form_id, form_version, dict(answers or {}))
        self.items[r.id] = r
        return r

    def get(self, referral_id: str) -> Referral:
        return self.items[referral_id]

    def summary(self, referral_id: str) -> Referral:
        return self.items[referral_id]

    def save_answers(self, referral_id: str, answers: dict) -> datetime:
        self.items[referral_id].answers = dict(answers)
        return datetime.now(UTC)

    def list_summaries(self, states: Any = None) -> list[Referral]:
        return list(self.items.values())


class FakeStore:
    def __init__(self, passphrase: str) -> None:
        self.passphrase = passphrase
        self.referrals = FakeReferrals()
        self.profile_data: dict = {}
        self.profile = SimpleNamespace(get=lambda: dict(self.profile_data), set=self._set_profile)
        self.events: list = []
        self.audit = SimpleNamespace(record=lambda event, referral_id=None, fields=(): self.events.append(event),
                                     list=lambda referral_id=None: [])
        self.closed = False

    def _set_profile(self, values: dict) -> None:
        self.profile_data = dict(values)

    def close(self) -> None:
        self.closed = True


class FakeStoreModule:
    """Module-shaped: the functions ProfileGateway calls."""

    WrongPassphrase = WrongPassphrase

    def __init__(self) -> None:
        self.stores: dict[Path, FakeStore] = {}
        self.retry_after = 3.0
        self.unsent = (2, 1)

    def store_exists(self, profile_dir: Path) -> bool:
        return profile_dir in self.stores

    def passphrase_problems(self, passphrase: str) -> list[str]:
        return [] if len(passphrase) >= 12 else ["Your passphrase must be at least 12 characters long"]

    def create_store(self, profile_dir: Path, passphrase: str, *, clock: Any = None) -> FakeStore:
        problems = self.passphrase_problems(passphrase)
        if problems:
            raise WeakPassphrase(problems)
        store = self.stores[profile_dir] = FakeStore(passphrase)
        (profile_dir / "store.db").write_bytes(b"fake")
        return store

    def open_store(self, profile_dir: Path, passphrase: str, *, clock: Any = None) -> FakeStore:
        store = self.stores[profile_dir]
        if passphrase != store.passphrase:
            raise WrongPassphrase(self.retry_after)
        return store

    def reset_store(self, profile_dir: Path) -> None:
        self.stores.pop(profile_dir, None)
        (profile_dir / "store.db").unlink(missing_ok=True)

    def unsent_summary(self, profile_dir: Path) -> Any:
        return SimpleNamespace(drafts=self.unsent[0], waiting_to_send=self.unsent[1])
