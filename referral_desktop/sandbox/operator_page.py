"""The sandbox's operator page: what arrived, with buttons to acknowledge, request information, decide,
and each referral's conversation (iART's questions, the referrer's replies) with "Mark read" on replies.

Rendered on the server with every dynamic value passed through ``html.escape`` (values come from
referrers and operators, so a planted ``<script>`` must show as text). The page loads nothing from
anywhere (no scripts at all, one inline style allowed by its hash), and is served with a strict
Content-Security-Policy. Forms post back with a CSRF token derived from the operator token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from html import escape

from referral_desktop.domain.api_contract import MessageDirection, Outcome, ReferralStatus
from referral_desktop.sandbox.conversation_store import TranscriptEntry
from referral_desktop.sandbox.storage import ALLOWED_TRANSITIONS, StoredReferral

_STYLE = (
    "body{font-family:sans-serif;margin:1.5rem;color:#0b0c0c}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #b1b4b6;padding:.4rem;text-align:left;vertical-align:top}"
    "form{display:inline-block;margin:0 .3rem .3rem 0}"
    "button{padding:.2rem .6rem}"
    "ol{margin:0;padding-left:1.2rem}li{margin-bottom:.3rem}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode("ascii")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"style-src 'sha256-{_STYLE_HASH}'; "
    "img-src 'none'; script-src 'none'; connect-src 'none'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

ACTION_PATH = "/_sandbox/operator/act"


def csrf_token(operator_token: str) -> str:
    return hmac.new(operator_token.encode("utf-8"), b"sandbox-operator-form", hashlib.sha256).hexdigest()


def _conversation(referral: StoredReferral, entries: list[TranscriptEntry], csrf: str) -> str:
    """The referral's messages in order; an unread reply gets a "Mark read" button."""
    items = []
    for entry in entries:
        when = escape(entry.created_at.isoformat(timespec="seconds"))
        if entry.direction is MessageDirection.FROM_IART:
            items.append(f"<li><strong>iART asked</strong> {when}: {escape(entry.text)}</li>")
            continue
        if entry.read_at is not None:
            state = f"read {escape(entry.read_at.isoformat(timespec='seconds'))}"
        else:
            state = _form(
                referral, "mark_read", "Mark read", csrf,
                f'<input type="hidden" name="message_id" value="{escape(entry.message_id)}">',
            )
        documents = "".join(
            f"<li>{escape(d.name)} ({d.size:,} bytes) — {'received' if d.complete else 'not yet received'}</li>"
            for d in entry.documents
        )
        documents = f"<br>Documents:<ul>{documents}</ul>" if documents else ""
        items.append(f"<li><strong>Reply</strong> {when}: {escape(entry.text)} — {state}{documents}</li>")
    return f"<ol>{''.join(items)}</ol>" if items else "—"


def _form(referral: StoredReferral, action: str, label: str, csrf: str, extra: str = "") -> str:
    return (
        f'<form method="post" action="{ACTION_PATH}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<input type="hidden" name="referral_id" value="{escape(referral.referral_id)}">'
        f'<input type="hidden" name="action" value="{escape(action)}">'
        f"{extra}<button type=\"submit\">{escape(label)}</button></form>"
    )


def _actions(referral: StoredReferral, csrf: str) -> str:
    allowed = ALLOWED_TRANSITIONS[referral.status]
    if referral.status is ReferralStatus.RECEIVED:
        allowed = allowed | {ReferralStatus.DECIDED}
    parts: list[str] = []
    if ReferralStatus.ACKNOWLEDGED in allowed:
        parts.append(_form(referral, "acknowledge", "Acknowledge", csrf))
    if ReferralStatus.INFO_REQUESTED in allowed:
        parts.append(
            _form(
                referral, "request_info", "Request information", csrf,
                '<input name="message" required maxlength="2000" aria-label="What is needed"> ',
            )
        )
    if ReferralStatus.DECIDED in allowed:
        options = "".join(
            f'<option value="{escape(o.value)}">{escape(o.value.replace("_", " "))}</option>'
            for o in Outcome
        )
        parts.append(
            _form(
                referral, "decide", "Decide", csrf,
                f'<select name="outcome" aria-label="Outcome">{options}</select> ',
            )
        )
    return "".join(parts) or "—"


def render_operator_page(
    referrals: list[StoredReferral],
    operator_token: str,
    notice: str = "",
    conversations: dict[str, list[TranscriptEntry]] | None = None,
) -> str:
    csrf = csrf_token(operator_token)
    conversations = conversations or {}
    rows = []
    for r in referrals:
        status = r.status.value
        if r.outcome:
            status += f" ({r.outcome.value})"
        if r.message:
            status += f" — asked: {r.message}"
        organisation = r.summary.get("referrer_organisation") or ""
        rows.append(
            "<tr>"
            f"<td>{escape(r.reference)}<br><small>{escape(r.referral_id)}</small></td>"
            f"<td>{escape(r.received_at.isoformat(timespec='seconds'))}</td>"
            f"<td>{escape(r.decision_due.isoformat(timespec='minutes'))}</td>"
            f"<td>{escape(str(organisation))}</td>"
            f"<td>{escape(str(r.summary.get('children', 0)))}</td>"
            f"<td>{escape(r.payload_content_type)}<br>{escape(r.form_id)} {escape(r.form_version)}</td>"
            f"<td>{r.attachments_complete}/{r.attachments_total}</td>"
            f"<td>{escape(status)}</td>"
            f"<td>{_conversation(r, conversations.get(r.referral_id, []), csrf)}</td>"
            f"<td>{_actions(r, csrf)}</td>"
            "</tr>"
        )
    body = "".join(rows) or '<tr><td colspan="10">Nothing has arrived yet.</td></tr>'
    notice_html = f"<p role=\"status\">{escape(notice)}</p>" if notice else ""
    return (
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        "<title>iART sandbox — operator</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>iART sandbox — referrals received</h1>"
        f"{notice_html}"
        "<table><thead><tr><th>Reference</th><th>Received</th><th>Decision due</th>"
        "<th>Referrer organisation</th><th>Children</th><th>Payload</th><th>Attachments</th>"
        "<th>Status</th><th>Conversation</th><th>Actions</th></tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )
