"""The referrer's own details (name, role, organisation, contact), kept encrypted and reused in every referral."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from referral_desktop.store.audit import AuditEvent, safe_paths
from referral_desktop.store.timestamps import to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store


class ReferrerProfile:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self) -> dict[str, Any]:
        """The saved profile, or an empty dict before the first save."""
        with self._store.read() as conn:
            row = conn.execute("SELECT data FROM referrer_profile WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else {}

    def set(self, profile: dict[str, Any]) -> None:
        data = json.dumps(dict(profile), ensure_ascii=False)
        with self._store.write() as conn:
            conn.execute(
                "INSERT INTO referrer_profile (id, data, updated_at) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (data, to_text(self._store.clock())),
            )
            self._store.audit.insert(conn, AuditEvent.PROFILE_CHANGED, None, safe_paths(sorted(str(k) for k in profile)))
