"""A referral frozen before version 19: its documents left out are worked out once, before its next attempt.

Why: since version 18, freezing leaves out of the manifest the documents no visible answer names (one
attached under "Attach the completed assessment" before "Have you used an evidence-based assessment tool?"
was changed to No; ``domain.attachment_references``). A referral frozen earlier and still waiting to send
when the app is updated kept every document in its manifest, while its frozen answers do not name that one,
so iART refused the whole referral ("The manifest lists an attachment the answers do not"), again at every
attempt. Before its next attempt the sender now leaves out, once, the documents its answers do not name,
by the rule freezing uses, and records it (``referral_documents.left_out_worked_out``, migration 19).

Why this is safe (received exactly once):

* *What is frozen does not change.* The payload's bytes, its digest and the Idempotency-Key stay as they
  were; only the manifest (sent beside the payload) loses documents. A payload frozen before version 18
  names no document (``attachment_names`` came with it), so it cannot name one that is no longer listed.
* *No replay becomes a conflict.* iART answers a replay (same key, same body) with the same reference and a
  different body under a held key with a conflict. A document is left out only when the answers do not name
  it, and iART refuses such a manifest without holding anything under the key (the sandbox, like iART,
  stores a submission only once it is accepted). So no earlier attempt of this referral can have been
  received: the first acceptance is of the new manifest. When every document is named, nothing changes.
* *Worked out once.* The marks and the record that they were worked out are one transaction, committed
  before the attempt marks the referral "sending". Killed before that commit, nothing changed and the
  next attempt works them out again from the same answers and form (the same result); killed after it,
  every later attempt, and the replay after a lost answer, sends the manifest that commit fixed, and it
  is never worked out again, even by a later app whose rule might differ.
* *Nothing is lost.* The documents left out stay with the referral until iART acknowledges it, and are
  then deleted in the acknowledgement's commit, as for a referral frozen today; "What you sent" says so.

When the referral's form cannot be loaded, nothing is changed: it is sent as it was frozen, and a refusal
is shown in people's words (``ui/iart_refusal_words.py``).
"""

from __future__ import annotations

import logging
from typing import Any

from referral_desktop.domain.attachment_references import sent_documents
from referral_desktop.domain.form_catalog import FormDefinitionError, load_form

log = logging.getLogger(__name__)


def leave_out_what_its_answers_do_not_name(store: Any, referral: Any) -> int:
    """Before an attempt (under the store lock): for a referral frozen before version 19 whose documents
    left out were not yet worked out, leave out those its answers do not name. Returns how many."""
    if getattr(referral, "left_out_worked_out", True):
        return 0
    try:
        form = load_form(referral.form_id, referral.form_version)
    except FormDefinitionError as exc:
        log.warning("referral %s: its form cannot be loaded (%s); sent as it was frozen", referral.id,
                    type(exc).__name__)
        return 0
    answers = store.referrals.get(referral.id).answers or {}
    left_out = int(store.referrals.leave_out_unnamed(referral.id, sent_documents(form, answers)))
    if left_out:
        log.info("referral %s, frozen before version 19: %d documents no answer names left out", referral.id,
                 left_out)
    return left_out
