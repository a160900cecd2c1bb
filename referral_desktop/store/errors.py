"""Errors the store raises. Their messages are plain sentences safe to show: no personal data in them."""

from __future__ import annotations

#: A page other than the first failed its check with the right passphrase.
DAMAGED_PAGES = "The store is damaged: part of the file cannot be read"
#: What was read back is not what was written (a page that decrypts to zeros, a digest that differs).
DAMAGED_CONTENT = "The store is damaged: a referral's saved data cannot be read back intact"
#: The newest snapshot holds work the store no longer has (a truncated or damaged -wal file).
DAMAGED_LOST_WORK = "The store is damaged: work saved on this computer is missing from it"
#: Page 1 does not decrypt: a wrong passphrase and damage to the start of the file look the same.
WRONG_OR_DAMAGED_START = "The passphrase is wrong, or the start of the file is damaged: contact IT before resetting"


class StoreError(Exception):
    """Base class for every store error."""


class StoreNotFound(StoreError):
    def __init__(self) -> None:
        super().__init__("There is no store in this profile yet")


class StoreExists(StoreError):
    def __init__(self) -> None:
        super().__init__("A store already exists in this profile")


class WeakPassphrase(StoreError):
    """The passphrase was refused; ``reasons`` are GOV.UK-style sentences for the user."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


class WrongPassphrase(StoreError):
    """The passphrase did not open the store (or page 1 of the file is damaged: the two look the same,
    so the message says both and asks for IT before a reset).

    ``retry_after_seconds`` is how long the next attempt will be refused, so a screen can count down.
    """

    def __init__(self, retry_after_seconds: float) -> None:
        super().__init__(WRONG_OR_DAMAGED_START)
        self.retry_after_seconds = float(retry_after_seconds)

    @property
    def retry_after(self) -> float:
        return self.retry_after_seconds


class UnlockThrottled(StoreError):
    """Too soon after a wrong passphrase; try again after ``wait_seconds``. The passphrase was not tried."""

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"Wait {int(-(-wait_seconds // 1))} seconds before trying the passphrase again")
        self.wait_seconds = float(wait_seconds)

    @property
    def retry_after_seconds(self) -> float:
        return self.wait_seconds


class StoreDamaged(StoreError):
    """The passphrase is right but part of the file is damaged: a page fails its HMAC, or what was read
    back is not what was written. Never counted as a wrong passphrase; never a reason to reset."""

    def __init__(self, detail: str = DAMAGED_PAGES) -> None:
        super().__init__(detail)


class UnusableAnswers(StoreError, ValueError):
    """Answers holding a number JSON cannot carry (NaN, Infinity, an integer too large to keep exactly):
    refused before they are saved, since they could never be validated, frozen or sent."""

    def __init__(self) -> None:
        super().__init__("An answer is not a number that can be saved (NaN, Infinity, or one too large)")


class DiskFull(StoreError):
    """A save failed because the disk is full; nothing was changed. ``folder`` is where space is needed."""

    def __init__(self, folder: str) -> None:
        super().__init__(f"Not saved: the disk is full (free space on {folder})")
        self.folder = folder


class StoreLocked(StoreError):
    def __init__(self) -> None:
        super().__init__("The store is locked")


class ReferralNotFound(StoreError, KeyError):
    def __init__(self, referral_id: str) -> None:
        StoreError.__init__(self, f"No referral with id {referral_id}")
        self.referral_id = referral_id

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class NotEditable(StoreError):
    def __init__(self, referral_id: str, state: str) -> None:
        super().__init__(f"Referral {referral_id} is {state} and can no longer be changed")
        self.referral_id = referral_id
        self.state = state


class AttachmentRefused(StoreError):
    """The file was not accepted; ``message`` is a GOV.UK-style sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AttachmentNotFound(StoreError, KeyError):
    def __init__(self, attachment_id: str) -> None:
        StoreError.__init__(self, f"No attachment with id {attachment_id}")

    def __str__(self) -> str:
        return str(self.args[0])
