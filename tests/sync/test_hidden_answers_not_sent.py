"""What is frozen and sent is what the form asks: an answer to a question the person's later answers hid
is kept in the draft (it comes back if the question does) but never goes to iART.

Found reading the editor's conditions beside the payload: the frozen referral held every stored answer.
Who gave information and must not be identified, typed before "Did anyone give you information who must
not be identified?" was changed to No, went to iART with the referral; so did a disclosure's details after
"Has the child disclosed harm?" was changed to No.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from types import SimpleNamespace

from referral_desktop import bundled_data
from referral_desktop.store import create_store
from referral_desktop.sync.queueing import queue_referral

PASSPHRASE = "lantern orbit meadow 42"
INFORMANT = "SENTINEL-informant-Jo-Neighbour"
DISCLOSURE = "SENTINEL-disclosure-words"


def _answers() -> dict:
    path = bundled_data.forms_dir() / "examples" / "1.1.0" / "valid-route-a.json"
    answers = copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["answers"])
    assert answers["informant_protected"] == "no" and answers["disclosure_made"] == "no"
    answers["informant_details"] = INFORMANT  # typed while the answer was "yes"
    answers["disclosure_details"] = DISCLOSURE
    return answers


def test_answers_to_hidden_questions_are_kept_in_the_draft_but_never_frozen(tmp_path):
    store = create_store(tmp_path / "profile", PASSPHRASE)
    try:
        answers = _answers()
        referral = store.referrals.create_draft("cwac-marf", "1.1.0", answers)
        policy = SimpleNamespace(test_deployment=False, iart_public_key=None)  # frozen as plain JSON
        queue_referral(store, str(referral.id), policy, date(2026, 11, 24))
        frozen = store.referrals.frozen(str(referral.id))
        sent = json.loads(frozen.frozen_payload)["answers"]
        assert "informant_details" not in sent and "disclosure_details" not in sent
        assert INFORMANT.encode() not in frozen.frozen_payload and DISCLOSURE.encode() not in frozen.frozen_payload
        # Everything the form asks of this referral is still sent, as it was answered.
        expected = {key: value for key, value in answers.items() if key not in ("informant_details", "disclosure_details")}
        assert sent == expected
        # The draft keeps them (a referral iART returns is corrected from it).
        kept = store.referrals.get(str(referral.id)).answers
        assert kept["informant_details"] == INFORMANT and kept["disclosure_details"] == DISCLOSURE
    finally:
        store.close()


def test_an_answer_in_a_child_hidden_by_that_childs_own_answers_is_not_frozen(tmp_path):
    """The same inside a repeated item: "Does the child have special educational needs?" is not asked of
    an unborn baby, so the SEN details typed before "Is this an unborn baby?" became Yes are not sent."""
    store = create_store(tmp_path / "profile", PASSPHRASE)
    try:
        answers = _answers()
        answers.pop("informant_details"), answers.pop("disclosure_details")
        child = answers["children"][0]
        child.update(unborn="yes", expected_delivery_date="2027-02-01", sen="yes", sen_details="SENTINEL-sen")
        for key in ("date_of_birth", "school", "upn", "nhs_number", "gender"):
            child.pop(key, None)
        referral = store.referrals.create_draft("cwac-marf", "1.1.0", answers)
        policy = SimpleNamespace(test_deployment=False, iart_public_key=None)
        queue_referral(store, str(referral.id), policy, date(2026, 11, 24))
        frozen = store.referrals.frozen(str(referral.id)).frozen_payload
        [sent_child] = json.loads(frozen)["answers"]["children"]
        assert "sen_details" not in sent_child and "sen" not in sent_child and b"SENTINEL-sen" not in frozen
        assert sent_child["unborn"] == "yes" and sent_child["expected_delivery_date"] == "2027-02-01"
        assert store.referrals.get(str(referral.id)).answers["children"][0]["sen_details"] == "SENTINEL-sen"
    finally:
        store.close()
