"""How each lifecycle state reads on screen, and the five groups the home screen filters by.

Why: the lifecycle's state names are for code; a professional needs "Waiting to send" or "Received by
iART". Kept as plain strings so the home screen works from summaries without loading the domain enum.
"""

from __future__ import annotations

STATE_LABELS = {
    "draft": "Draft",
    "ready": "Ready to send",
    "queued": "Waiting to send",
    "sending": "Sending",
    "retrying": "Waiting to retry",
    "received": "Received by iART",
    "acknowledged": "Acknowledged by iART",
    "info_requested": "iART asked for more information",
    "decided": "Decided",
    "rejected": "Returned — needs changes",
    "purged": "Decided (receipt kept)",  # the details were removed: the detail page says so
}

#: A referral without an iART reference (iART has not confirmed receiving it), on its page and as a screen
#: reader hears the home list's cell.
NO_REFERENCE = "not given yet"

#: The filters' groups by state. A purged referral is in "decided" only if iART decided it: one the retention
#: period took undecided is with the referrals sent and not decided (``group_of``), where a person looks for
#: it; it was counted as decided.
GROUPS: dict[str, frozenset[str]] = {
    "drafts": frozenset({"draft"}),
    "waiting": frozenset({"ready", "queued", "sending", "retrying"}),
    "sent": frozenset({"received", "acknowledged", "info_requested"}),
    "decided": frozenset({"decided", "purged"}),
    "rejected": frozenset({"rejected"}),
}
GROUP_LABELS = {
    "all": "All",
    "drafts": "Drafts",
    "waiting": "Waiting to send",
    "sent": "Sent",
    "decided": "Decided",
    "rejected": "Returned",
}
AWAITING_DECISION = GROUPS["sent"]

# Keyed by the API contract's Outcome codes (domain.api_contract.Outcome).
OUTCOME_LABELS = {
    "childrens_social_care_assessment": "Children's Social Care assessment",
    "early_help_and_prevention": "Early Help and Prevention",
    "advice_and_information": "Information, advice and guidance",
    "redirected": "Redirected to another agency",
    "no_further_action": "No further action",
}


def state_value(state: object) -> str:
    return str(getattr(state, "value", state) or "")


def state_label(state: object) -> str:
    value = state_value(state)
    return STATE_LABELS.get(value, value.replace("_", " ").capitalize())


def group_of(state: object, decided: bool = True) -> str:
    """The filter group of a referral in ``state``; ``decided``: False for one without iART's decision (only
    a purged referral's group depends on it, its state being the same either way)."""
    value = state_value(state)
    if value == "purged" and not decided:
        return "sent"
    for group, states in GROUPS.items():
        if value in states:
            return group
    return "all"


def outcome_label(outcome: object) -> str:
    if outcome in (None, ""):
        return ""
    value = str(getattr(outcome, "value", outcome))
    return OUTCOME_LABELS.get(value, value.replace("_", " ").capitalize())
