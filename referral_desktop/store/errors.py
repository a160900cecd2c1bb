"""Errors the store raises. Their messages are plain sentences safe to show: no personal data in them."""

from __future__ import annotations


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
    """The passphrase did not open the store (or page 1 of the file is damaged: the two look the same).

    ``retry_after_seconds`` is how long the next attempt will be refused, so a screen can count down.
    """

    def __init__(self, retry_after_seconds: float) -> None:
        super().__init__("The passphrase is not correct")
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
    """The store opened with the passphrase but its pages fail the integrity checks, or it is not a store."""

    def __init__(self, detail: str = "The store file is damaged") -> None:
        super().__init__(detail)


class StoreLocked(StoreError):
    def __init__(self) -> None:
        super().__init__("The store is locked")


class ReferralNotFound(StoreError, KeyError):
    def __init__(self, referral_id: str) -> None:
        StoreError.__init__(self, f"No referral with id {referral_id}")
        self.referral_id = referral_id

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


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
        return self.args[0]
