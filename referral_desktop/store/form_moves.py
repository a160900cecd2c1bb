"""Moving a draft to a newer form version: the new version and answers, and the earlier answers kept.

Why a store operation of its own: the move changes the referral's form version, replaces its answers
and keeps every earlier answer, and all three must happen together or not at all (a crash must never
leave 1.1.0 answers under 1.0.0, or lose what was not carried). The earlier answers stay in the
encrypted store beside the answers until the referral is sent (``Referrals.set_state`` clears them when
iART has received it); a draft moved twice keeps both earlier versions.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from referral_desktop.domain.lifecycle import EDITABLE_STATES, ReferralState
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.errors import NotEditable, ReferralNotFound
from referral_desktop.store.summary_fields import child_initials
from referral_desktop.store.timestamps import to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class FormMoves:
    def __init__(self, store: Store) -> None:
        self._store = store

    def move(self, referral_id: str, from_version: str, to_version: str, answers: dict[str, Any],
             earlier_answers: dict[str, Any]) -> None:
        """Put an editable draft on ``to_version`` with ``answers``, keeping ``earlier_answers`` (its
        answers on ``from_version``). Refused (NotEditable) unless the draft is still on ``from_version``,
        so a move computed from an out-of-date view never overwrites newer answers."""
        referral_id = str(referral_id)
        with self._store.write() as conn:
            row = conn.execute(
                "SELECT r.state, r.form_version, d.earlier_answers FROM referrals r "
                "JOIN referral_documents d ON d.referral_id = r.id WHERE r.id = ?",
                (referral_id,),
            ).fetchone()
            if row is None:
                raise ReferralNotFound(referral_id)
            state = ReferralState(row[0])
            if state not in EDITABLE_STATES or row[1] != from_version:
                raise NotEditable(referral_id, state.value)
            kept = json.loads(row[2]) if row[2] else []
            kept.append({"form_version": from_version, "answers": earlier_answers})
            now = to_text(self._store.clock())
            conn.execute(
                "UPDATE referrals SET form_version = ?, updated_at = ?, child_initials = ? WHERE id = ?",
                (to_version, now, child_initials(answers), referral_id),
            )
            conn.execute(
                "UPDATE referral_documents SET answers = ?, earlier_answers = ? WHERE referral_id = ?",
                (_dumps(answers), _dumps(kept), referral_id),
            )
            self._store.audit.insert(conn, AuditEvent.FORM_VERSION_CHANGED, referral_id,
                                     detail=f"{from_version}>{to_version}")

    def earlier_answers(self, referral_id: str) -> list[dict[str, Any]]:
        """Every earlier ``{"form_version", "answers"}`` of the referral, oldest first ([] when none)."""
        with self._store.read() as conn:
            row = conn.execute(
                "SELECT earlier_answers FROM referral_documents WHERE referral_id = ?", (str(referral_id),)
            ).fetchone()
        if row is None:
            raise ReferralNotFound(str(referral_id))
        return json.loads(row[0]) if row[0] else []
