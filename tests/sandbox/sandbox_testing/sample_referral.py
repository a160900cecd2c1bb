"""A valid MARF answers document and submission bodies for the sandbox tests.

The answers are invented (the same made-up family as the editor's demo answers); NHS number and UPN are
published check-digit examples.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from typing import Any

_FULL = {
    "immediate_danger": "no",
    "phone_referral_made": "no",
    "iart_discussed": "yes",
    "iart_discussion_datetime": "2026-11-20T11:15",
    "iart_worker_name": "Sam Example",
    "iart_advice": "Send a written referral today with the school's chronology.",
    "referrer_type": "professional",
    "referrer_name": "Alex Sample",
    "referrer_role": "Designated Safeguarding Lead",
    "referrer_organisation": "Example Primary School",
    "referrer_address": "1 School Lane\nChester",
    "referrer_postcode": "CH1 2NU",
    "referrer_telephone": "01244 123456",
    "referrer_email": "alex.sample@example.org",
    "referral_source": "2A",
    "dsl_consulted": "yes",
    "dsl_name": "Jo Placeholder",
    "referrer_relationship_to_child": "Class teacher",
    "route": "a",
    "continuum_level": "4",
    "children": [
        {
            "unborn": "no",
            "given_names": "Mia",
            "family_name": "Testperson",
            "date_of_birth": "2016-03-27",
            "gender": "female",
            "ethnicity": "WBRI",
            "first_language": "English",
            "interpreter_needed": "no",
            "disability": ["NONE"],
            "sen": "no",
            "child_address": "12 Invented Road\nChester",
            "child_postcode": "CH1 2NU",
            "child_school": "Example Primary School",
            "child_gp": "Example Surgery",
            "nhs_number": "9434765919",
            "upn": "B801200005001",
        }
    ],
    "carers": [
        {
            "carer_name": "Chris Testperson",
            "carer_relationship": "Mother",
            "carer_date_of_birth": "1990-06-01",
            "carer_parental_responsibility": "yes",
            "carer_telephone": "07912 345678",
            "carer_language": "English",
            "carer_interpreter_needed": "no",
            "carer_focus_of_concern": "yes",
        }
    ],
    "household_members": [],
    "professionals": [
        {
            "professional_role": "School nurse",
            "professional_name": "Pat Madeup",
            "professional_agency": "Example Health Trust",
            "professional_telephone": "01244 654321",
            "professional_is_taf_lead": "no",
        }
    ],
    "concern_categories": ["neglect", "emotional_abuse"],
    "concern_details": "Mia has come to school hungry on most days this half term and has bruising she will not explain.",
    "impact_on_child": "She is withdrawn, tired in lessons and has fallen behind in reading.",
    "disclosure_made": "no",
    "child_voice": "Mia says she likes school because it is warm and she gets breakfast club.",
    "strengths": "Mia's mother attends parents' evenings and wants help.",
    "actions_taken": "Breakfast club place since September; two meetings with mother.",
    "outcome_sought_type": "social_care_referral",
    "outcome_sought": "An assessment of Mia's needs at home.",
    "risks_to_workers": "no",
    "taf_in_place": "no",
    "assessment_tool_used": "no",
    "consent_obtained": "yes",
    "consent_given_by": "Chris Testperson (mother)",
    "consent_date": "2026-11-20",
    "consent_method": "in_person",
    "consent_scope": "Sharing this referral with iART and Children's Social Care.",
    "family_told": "yes",
    "privacy_notice_shared": "yes",
    "privacy_notice_date": "2026-11-20",
    "privacy_notice_shared_with": "Chris Testperson",
    "privacy_notice_method": "paper",
    "privacy_notice_version": "2026-1",
    "subject_access_confirmed": "yes",
    "declaration_accurate": "yes",
}



def valid_answers() -> dict[str, Any]:
    return copy.deepcopy(_FULL)


def answers_document(answers: dict[str, Any] | None = None, **extra: Any) -> bytes:
    """The frozen payload bytes, as the client serialises them once."""
    document = {"form_id": "cwac-marf", "form_version": "1.0.0",
                "answers": valid_answers() if answers is None else answers, **extra}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


def manifest_entry(data: bytes, content_type: str = "application/pdf", attachment_id: str | None = None):
    return {"id": attachment_id or str(uuid.uuid4()), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "content_type": content_type}


def submission(payload: bytes | str, *, content_type: str = "application/json",
               attachments: list[dict[str, Any]] | None = None, form_version: str = "1.0.0") -> dict[str, Any]:
    return {"form_id": "cwac-marf", "form_version": form_version, "payload_content_type": content_type,
            "payload": payload.decode("utf-8") if isinstance(payload, bytes) else payload,
            "attachments": attachments or []}
