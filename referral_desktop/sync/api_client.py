"""The iART API v1 client: one method per endpoint, each answer parsed with the contract's models.

Why it is strict: a request "succeeds" only when the documented body comes back and parses
(:class:`~referral_desktop.domain.api_contract.Acknowledgement` for a submission). A captive portal's
``200`` HTML page, a proxy's error page, or a truncated body are :class:`UnexpectedAnswer` (retry),
never success. Every other outcome is one of a few exception classes that tell the outbox what to do:

* :class:`NetworkError`, :class:`ServerUnavailable` (5xx, 429 — with ``retry_after``),
  :class:`UnexpectedAnswer` → try again later;
* :class:`ReferralRejected` (422, 409, 413 with iART's problem document — ``application/problem+json``
  only; for a reply or an upload also a 404 with iART's "not found" one) → back to the referrer with
  per-field reasons;
* :class:`NotAuthorised` (401, 403), :class:`TlsError`, :class:`TransportRefused`, and
  :class:`WrongAddress` (a 404/405 without iART's problem document: a mistyped address or a proxy) →
  keep queued, try again on the capped backoff, and tell the user that IT must act.

Attachments are uploaded resumably and streamed: the client asks the server how much it holds (``HEAD``,
``Upload-Offset``), then sends the rest in ``PUT`` requests of at most ``chunk_size`` bytes, each body
produced piece by piece from the store (:mod:`~referral_desktop.sync.request_bodies`), so a 25 MB file is
never held in memory.
"""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

import requests
from pydantic import BaseModel, ValidationError

from referral_desktop.domain.api_contract import (
    API_PREFIX,
    IDEMPOTENCY_KEY_HEADER,
    PROBLEM_MEDIA_TYPE,
    UPLOAD_OFFSET_HEADER,
    Acknowledgement,
    ConversationMessage,
    Health,
    Problem,
    ProblemType,
    SignedFormDefinition,
    StatusChanges,
    StatusReport,
    UploadStatus,
)
from referral_desktop.sync.errors import (
    NotAuthorised,
    ReferralRejected,
    ServerUnavailable,
    TransportError,
    UnexpectedAnswer,
    WrongAddress,
)
from referral_desktop.sync.request_bodies import ChunkBody, limit_pieces
from referral_desktop.sync.transport import ApiSession, build_session, read_limited
from referral_desktop.sync.transport_settings import TransportSettings

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024
#: A form definition (JSON text inside the JSON answer) may be larger than other answers.
FORM_ANSWER_MAX_BYTES = 8 * 1024 * 1024
_REJECTION_STATUSES = {409, 413, 422}
_RETRY_STATUSES = {408, 425, 429}
#: Answered without a problem document, these mean the request reached something that is not the API.
_WRONG_ADDRESS_STATUSES = {404, 405}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date. None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _method(response: requests.Response) -> str:
    request = getattr(response, "request", None)
    return str(getattr(request, "method", "") or "").upper()


class ApiClient:
    """Talks to one iART API. Thread use: one client per thread (a requests Session is not shared)."""

    def __init__(self, session: ApiSession, *, clock: Callable[[], datetime] | None = None) -> None:
        self.session = session
        self._clock = clock or (lambda: datetime.now(UTC))
        self._max_bytes = session.settings.max_response_bytes

    @classmethod
    def from_settings(cls, settings: TransportSettings, **kwargs: Any) -> ApiClient:
        return cls(build_session(settings), **kwargs)

    @classmethod
    def from_policy(cls, policy: Any, **kwargs: Any) -> ApiClient:
        return cls.from_settings(TransportSettings.from_policy(policy), **kwargs)

    def close(self) -> None:
        self.session.close()

    # ----------------------------------------------------------------------------------- plumbing

    def url(self, path: str) -> str:
        base = self.session.settings.base_url.rstrip("/")
        if not base.endswith(API_PREFIX):
            base += API_PREFIX
        return base + path

    def _call(
        self, method: str, path: str, *, max_bytes: int | None = None, **kwargs: Any
    ) -> tuple[requests.Response, bytes]:
        response = self.session.request(method, self.url(path), stream=True, **kwargs)
        body = b"" if method == "HEAD" else read_limited(response, max_bytes or self._max_bytes)
        return response, body

    def _problem(self, response: requests.Response, body: bytes) -> Problem | None:
        """iART's own problem document, or None. Only ``application/problem+json`` is iART's (the contract
        gives every error answer that type): a plain ``application/json`` body in the problem's shape may
        be a gateway's or a proxy's own error, and taking it for iART's final word would turn a referral
        into a rejected draft, or give a document up, on the say-so of something in between."""
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != PROBLEM_MEDIA_TYPE:
            return None
        try:
            return Problem.model_validate_json(body)
        except ValidationError:
            return None

    def _raise_for_status(self, response: requests.Response, body: bytes, what: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        problem = self._problem(response, body)
        if status in (401, 403):
            raise NotAuthorised(
                f"The iART API refused this computer's credentials ({status}) when {what}. "
                "The referral stays queued; IT must check the policy's bearer token or client certificate.",
                status=status,
            )
        if status in _REJECTION_STATUSES and problem is not None:
            reasons = [(e.path, e.message) for e in problem.errors]
            if not reasons:
                reasons = [("", problem.detail or problem.title)]
            raise ReferralRejected(
                f"The iART API refused the referral ({status}: {problem.title}).",
                status=status,
                reasons=reasons,
                problem_type=problem.type,
            )
        if status in _WRONG_ADDRESS_STATUSES and problem is None and _method(response) != "HEAD":
            # (A HEAD answer has no body to tell iART's "not found" from anybody else's.)
            raise WrongAddress(
                f"Something other than the iART API answered {status} (not found) when {what}: the policy "
                "setting api_base_url, or a proxy in between, leads to the wrong place. It stays queued; "
                "IT must check the address.",
                status=status,
            )
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock())
        if status in _REJECTION_STATUSES:
            # A 4xx without the documented problem body came from something in between (a proxy):
            # not a verdict on the referral.
            raise UnexpectedAnswer(f"Something other than the iART API answered {status} when {what}.")
        raise ServerUnavailable(
            f"The iART API could not take the request now ({status}) when {what}.",
            status=status,
            retry_after=retry_after,
        )

    def _raise_if_iart_does_not_know(self, response: requests.Response, body: bytes, message: str) -> None:
        """A 404 with iART's own "not found" problem document is iART's word that it does not hold what
        was asked for: :class:`ReferralRejected`. A bare 404 (a proxy's, or a mistyped address) is not."""
        problem = self._problem(response, body) if response.status_code == 404 else None
        if problem is not None and problem.type == ProblemType.NOT_FOUND.value:
            raise ReferralRejected(message, status=404, reasons=[("", problem.title)], problem_type=problem.type)

    def _parse(self, model: type[M], response: requests.Response, body: bytes, what: str) -> M:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise UnexpectedAnswer(
                f"The answer when {what} was not from the iART API (perhaps a Wi-Fi login page or a proxy)."
            )
        try:
            return model.model_validate_json(body)
        except ValidationError:
            raise UnexpectedAnswer(f"The answer when {what} was not the documented one.") from None

    # ---------------------------------------------------------------------------------- endpoints

    def health(self, *, timeout: float | tuple[float, float] | None = None) -> Health:
        """A light probe: does the API answer, over a trusted connection, with its documented body?"""
        response, body = self._call("GET", "/health", timeout=timeout or (5.0, 5.0))
        self._raise_for_status(response, body, "checking the connection")
        return self._parse(Health, response, body, "checking the connection")

    def submit(self, referral_id: UUID | str, body: bytes) -> Acknowledgement:
        """Submit a referral's frozen body. The referral's UUID is the idempotency key, so repeating this
        after any failure is safe: the server answers a replay with the same acknowledgement."""
        key = str(UUID(str(referral_id)))
        response, answer = self._call(
            "POST",
            "/referrals",
            data=body,
            headers={IDEMPOTENCY_KEY_HEADER: key, "Content-Type": "application/json"},
        )
        self._raise_for_status(response, answer, "sending a referral")
        if response.status_code not in (200, 201):
            raise UnexpectedAnswer(f"The iART API answered {response.status_code} when sending a referral.")
        ack = self._parse(Acknowledgement, response, answer, "sending a referral")
        if str(ack.referral_id) != key:
            raise UnexpectedAnswer("The acknowledgement was for a different referral.")
        return ack

    def send_reply(self, referral_id: UUID | str, reply_id: UUID | str, body: bytes) -> ConversationMessage:
        """Send a reply's frozen body under its own UUID; a repeat after any failure is a replay the
        server answers with the same message (``ReferralRejected`` means iART refused the reply)."""
        key, what = str(UUID(str(reply_id))), "sending a reply"
        response, answer = self._call(
            "POST", f"/referrals/{UUID(str(referral_id))}/messages", data=body,
            headers={IDEMPOTENCY_KEY_HEADER: key, "Content-Type": "application/json"},
        )
        self._raise_if_iart_does_not_know(response, answer, "iART does not hold this referral.")
        self._raise_for_status(response, answer, what)
        message = self._parse(ConversationMessage, response, answer, what)
        if response.status_code not in (200, 201) or str(message.message_id) != key:
            raise UnexpectedAnswer("The answer when sending a reply was not about that reply.")
        return message

    def status(self, reference: str) -> StatusReport:
        response, body = self._call("GET", f"/referrals/{requests.utils.quote(reference, safe='')}/status")
        self._raise_for_status(response, body, "checking a referral's status")
        return self._parse(StatusReport, response, body, "checking a referral's status")

    def changes_since(self, since: datetime, limit: int | None = None) -> StatusChanges:
        """One page of status changes after ``since`` (pass ``until`` back; ask again while has_more), of at
        most ``limit`` changes (the server's default, 100, when None)."""
        params: dict[str, str | int] = {"since": since.isoformat()}
        if limit is not None:
            params["limit"] = limit
        response, body = self._call("GET", "/referrals/changes", params=params)
        self._raise_for_status(response, body, "checking for status changes")
        return self._parse(StatusChanges, response, body, "checking for status changes")

    def all_changes_since(self, since: datetime, *, max_pages: int = 50) -> tuple[list[StatusReport], datetime]:
        """Every change after ``since`` (following ``has_more``), and the ``until`` to use next time."""
        changes: list[StatusReport] = []
        for _ in range(max_pages):
            page = self.changes_since(since)
            changes.extend(page.changes)
            since = page.until
            if not page.has_more:
                break
        return changes, since

    def current_form(self) -> SignedFormDefinition:
        """The form definition iART wants used, with its detached signature — *not yet verified*:
        :mod:`referral_desktop.sync.form_updates` checks it against the policy's key before any use."""
        what = "checking for a form update"
        response, body = self._call(
            "GET", "/forms/current", max_bytes=max(self._max_bytes, FORM_ANSWER_MAX_BYTES)
        )
        self._raise_for_status(response, body, what)
        return self._parse(SignedFormDefinition, response, body, what)

    # ------------------------------------------------------------------------------------ uploads

    def _attachment_path(self, referral_id: UUID | str, attachment_id: UUID | str) -> str:
        return f"/referrals/{UUID(str(referral_id))}/attachments/{UUID(str(attachment_id))}"

    def upload_offset(self, referral_id: UUID | str, attachment_id: UUID | str) -> int:
        """How many bytes of the attachment the server already holds.

        A 404 to ``HEAD`` carries no body to tell iART's "not found" from a proxy's, so it is asked
        again with ``GET``, whose answer does: iART's problem document is :class:`ReferralRejected`
        (404), anybody else's page :class:`WrongAddress`, and a ``GET`` that answers gives the offset.
        """
        path = self._attachment_path(referral_id, attachment_id)
        response, body = self._call("HEAD", path)
        response.close()
        if response.status_code == 404:
            return self._upload_status(path).received
        self._raise_for_status(response, body, "checking an upload")
        try:
            return int(response.headers[UPLOAD_OFFSET_HEADER])
        except (KeyError, ValueError):
            raise UnexpectedAnswer("The answer when checking an upload had no Upload-Offset.") from None

    def upload_attachment(
        self,
        referral_id: UUID | str,
        attachment_id: UUID | str,
        size: int,
        open_chunks: Callable[[], Iterable[bytes]],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        on_progress: Callable[[int], None] | None = None,
    ) -> UploadStatus:
        """Upload (or finish uploading) one attachment of ``size`` bytes.

        ``open_chunks()`` returns a fresh iterator over the attachment's bytes from the start (from the
        store, decrypted piece by piece); the part the server already holds is skipped. Each ``PUT``
        carries ``Content-Range: bytes START-END/SIZE``. A checksum mismatch (the server discarded its
        copy) is raised as :class:`ReferralRejected`, not retried here: the caller counts mismatches and
        stops after a few (re-sending bytes that do not match cannot make them arrive).
        """
        path = self._attachment_path(referral_id, attachment_id)
        offset = self.upload_offset(referral_id, attachment_id)
        for _ in range(2 * (size // max(1, chunk_size)) + 8):  # bounded: a confused server cannot loop us
            length = max(0, min(chunk_size, size - offset))
            if size == 0:
                content_range = "bytes */0"
            elif length == 0:
                content_range = f"bytes {size - 1}-{size - 1}/{size}"  # only to learn the final status
            else:
                content_range = f"bytes {offset}-{offset + length - 1}/{size}"
            try:
                if length == 0 and size > 0:
                    status = self._upload_status(path)
                else:
                    pieces = limit_pieces(open_chunks(), offset, length)
                    status = self._upload_put(path, content_range, pieces, length)
            except ReferralRejected as exc:
                if exc.problem_type == ProblemType.UPLOAD_OFFSET_MISMATCH:
                    offset = self.upload_offset(referral_id, attachment_id)
                    continue
                raise
            if on_progress is not None:
                on_progress(status.received)
            if status.complete:
                return status
            if status.received <= offset and length == 0:
                break
            offset = status.received
        raise UnexpectedAnswer("The server did not confirm the finished upload.")

    def _upload_status(self, path: str) -> UploadStatus:
        response, body = self._call("GET", path)
        self._raise_if_iart_does_not_know(response, body, "iART does not hold this referral or document.")
        self._raise_for_status(response, body, "checking an upload")
        return self._parse(UploadStatus, response, body, "checking an upload")

    def _upload_put(self, path: str, content_range: str, pieces: Iterator[bytes], length: int) -> UploadStatus:
        data: Any = ChunkBody(pieces, length) if length else b""
        response, body = self._call(
            "PUT",
            path,
            data=data,
            headers={"Content-Range": content_range, "Content-Type": "application/octet-stream"},
        )
        self._raise_if_iart_does_not_know(response, body, "iART does not hold this referral or document.")
        self._raise_for_status(response, body, "uploading an attachment")
        return self._parse(UploadStatus, response, body, "uploading an attachment")


__all__ = [
    "ApiClient",
    "TransportError",
    "parse_retry_after",
]
