"""The encrypted local store (SQLCipher): key, migrations, referrals, attachments, outbox, audit, retention.

Public API (everything else in this package is internal)::

    create_store(profile_dir, passphrase, *, clock=None) -> Store
    open_store(profile_dir, passphrase, *, clock=None) -> Store
    store_exists(profile_dir) -> bool;  reset_store(profile_dir)
    passphrase_problems(passphrase) -> list[str]
    unsent_summary(profile_dir) -> UnsentSummary   # no passphrase needed

    store.referrals (incl. add_message / messages) / .attachments / .outbox / .audit / .profile / .receipts
    store.purge_expired(now, retention_days); store.check(); store.change_passphrase(old, new)
    store.schema_version; store.close()
"""

from referral_desktop.store.attachments import DEFAULT_ALLOWED_TYPES, DEFAULT_MAX_BYTES
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.encrypted_store import Store
from referral_desktop.store.errors import (
    AttachmentNotFound,
    AttachmentRefused,
    DiskFull,
    NotEditable,
    ReferralNotFound,
    StoreDamaged,
    StoreError,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    UnlockThrottled,
    WeakPassphrase,
    WrongPassphrase,
)
from referral_desktop.store.migrations import LATEST_VERSION
from referral_desktop.store.opening import (
    StoreFromNewerVersion,
    create_store,
    open_store,
    reset_store,
    store_exists,
)
from referral_desktop.store.passphrase import passphrase_problems
from referral_desktop.store.records import (
    AttachmentInfo,
    AuditEntry,
    FrozenReferral,
    IartMessage,
    OutboxEntry,
    Receipt,
    Referral,
    ReferralSummary,
    StoreCheckReport,
    UnsentSummary,
    UploadEntry,
    UploadProgress,
)
from referral_desktop.store.unsent import unsent_summary

__all__ = [
    "DEFAULT_ALLOWED_TYPES",
    "DEFAULT_MAX_BYTES",
    "LATEST_VERSION",
    "AttachmentInfo",
    "DiskFull",
    "AttachmentNotFound",
    "AttachmentRefused",
    "AuditEntry",
    "AuditEvent",
    "IartMessage",
    "NotEditable",
    "OutboxEntry",
    "Receipt",
    "FrozenReferral",
    "Referral",
    "ReferralNotFound",
    "ReferralSummary",
    "Store",
    "StoreCheckReport",
    "StoreDamaged",
    "StoreError",
    "StoreExists",
    "StoreFromNewerVersion",
    "StoreLocked",
    "StoreNotFound",
    "UnlockThrottled",
    "UnsentSummary",
    "UploadEntry",
    "UploadProgress",
    "WeakPassphrase",
    "WrongPassphrase",
    "create_store",
    "open_store",
    "passphrase_problems",
    "reset_store",
    "store_exists",
    "unsent_summary",
]
