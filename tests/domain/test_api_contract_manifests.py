"""A manifest names each document once, on a referral and on a reply alike (the contract's shared rule)."""

from uuid import uuid4

import pytest
from pydantic import ValidationError

from referral_desktop.domain.api_contract import (
    AttachmentManifestEntry,
    PayloadContentType,
    ReplyRequest,
    SubmissionRequest,
)


def entry(attachment_id):
    return AttachmentManifestEntry(id=attachment_id, size=3, sha256="0" * 64, content_type="application/pdf")


def referral(attachments):
    return SubmissionRequest(form_id="cwac-marf", form_version="1.0.0",
                             payload_content_type=PayloadContentType.ANSWERS_JSON, payload="{}",
                             attachments=attachments)


def reply(attachments):
    return ReplyRequest(payload_content_type=PayloadContentType.ANSWERS_JSON, payload='{"text": "x"}',
                        attachments=attachments)


@pytest.mark.parametrize("build", [referral, reply], ids=["referral", "reply"])
def test_a_manifest_naming_one_document_twice_is_refused(build):
    twice = uuid4()
    with pytest.raises(ValidationError, match="attachment ids must be unique"):
        build([entry(twice), entry(uuid4()), entry(twice)])


@pytest.mark.parametrize("build", [referral, reply], ids=["referral", "reply"])
def test_a_manifest_of_distinct_documents_is_accepted(build):
    first, second = uuid4(), uuid4()
    assert [e.id for e in build([entry(first), entry(second)]).attachments] == [first, second]
