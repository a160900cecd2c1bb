"""Builds the OpenAPI 3.1 document of the iART API v1 from the contract's pydantic models.

The schemas come straight from ``referral_desktop.domain.api_contract`` (so they cannot say something the
code does not do); the paths, headers and status codes are written out here, next to nothing else, and a
test checks both that the committed ``resources/api/iart-api-v1.openapi.json`` equals what this module
renders and that every contract route the sandbox serves is documented (and vice versa).

Regenerate with ``referral-desktop sandbox openapi --write``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from referral_desktop.bundled_data import resources_dir
from referral_desktop.domain import api_contract as contract

DOCUMENT_NAME = "api/iart-api-v1.openapi.json"

_REQUEST_MODELS = {
    contract.SubmissionRequest, contract.AttachmentManifestEntry, contract.ReferralPayload,
    contract.ReplyRequest, contract.ReplyPayload,
}


def committed_document_path() -> Path:
    return resources_dir() / DOCUMENT_NAME


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _idempotency_key(description: str) -> dict[str, Any]:
    """The Idempotency-Key header parameter: a UUID, the same on every attempt of one request."""
    return {
        "name": contract.IDEMPOTENCY_KEY_HEADER, "in": "header", "required": True,
        "schema": {"type": "string", "format": "uuid"},
        "description": description,
    }


def _json(name: str, description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ref(name)}},
    }
    if headers:
        response["headers"] = headers
    return response


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {contract.PROBLEM_MEDIA_TYPE: {"schema": _ref("Problem")}},
    }
    if headers:
        response["headers"] = headers
    return response


_RETRY_AFTER = {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}
_UPLOAD_HEADERS = {
    contract.UPLOAD_OFFSET_HEADER: {"$ref": "#/components/headers/UploadOffset"},
    contract.UPLOAD_LENGTH_HEADER: {"$ref": "#/components/headers/UploadLength"},
}


def _common_errors(*, auth: bool = True) -> dict[str, Any]:
    errors: dict[str, Any] = {
        "429": {"$ref": "#/components/responses/RateLimited"},
        "503": {"$ref": "#/components/responses/Unavailable"},
    }
    if auth:
        errors = {
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            **errors,
        }
    return errors


def _paths() -> dict[str, Any]:
    referral_id = {
        "name": "referral_id", "in": "path", "required": True,
        "schema": {"type": "string", "format": "uuid"}, "description": "The referral's UUID.",
    }
    attachment_id = {
        "name": "attachment_id", "in": "path", "required": True,
        "schema": {"type": "string", "format": "uuid"}, "description": "An id from the manifest.",
    }
    return {
        "/v1/health": {
            "get": {
                "operationId": "health",
                "summary": "Light reachability probe (no authentication).",
                "security": [],
                "responses": {"200": _json("Health", "The API is up."), **_common_errors(auth=False)},
            }
        },
        "/v1/referrals": {
            "post": {
                "operationId": "submitReferral",
                "summary": "Submit a referral (exactly once per Idempotency-Key).",
                "description": (
                    "The first submission under a key answers 201. The same key with the same request "
                    "(same parsed envelope: form, payload bytes, manifest) answers 200 with the same "
                    "acknowledgement. The same key with a different request answers 409. Invalid content "
                    "answers 422 with `errors` holding the validator's answer paths. A JWE payload is "
                    "decrypted with iART's private key before validation."
                ),
                "parameters": [_idempotency_key("The referral's UUID, the same on every attempt.")],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("SubmissionRequest")}},
                },
                "responses": {
                    "201": _json(
                        "Acknowledgement", "Received for the first time.",
                        {"Location": {"schema": {"type": "string"},
                                      "description": "The referral's status URL."}},
                    ),
                    "200": _json("Acknowledgement", "A replay of a request already received."),
                    "400": _problem("A header is missing or malformed (e.g. Idempotency-Key)."),
                    "409": _problem("The Idempotency-Key was already used with a different request."),
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "422": _problem("The request or the referral's content is not acceptable."),
                    **_common_errors(),
                },
            }
        },
        "/v1/referrals/changes": {
            "get": {
                "operationId": "statusChanges",
                "summary": "Statuses changed after a time (poll many referrals at once).",
                "parameters": [
                    {"name": "since", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "date-time"},
                     "description": "Exclusive lower bound; pass the previous answer's `until`."},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
                ],
                "responses": {
                    "200": _json("StatusChanges", "The changes, oldest first."),
                    "422": _problem("`since` is not a date-time with an offset."),
                    **_common_errors(),
                },
            }
        },
        "/v1/referrals/{reference}/status": {
            "get": {
                "operationId": "referralStatus",
                "summary": "Status of one referral.",
                "parameters": [
                    {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"},
                     "description": "The iART reference (IART-YYYY-NNNNNN) or the referral's UUID."}
                ],
                "responses": {
                    "200": _json("StatusReport", "The referral's current status."),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **_common_errors(),
                },
            }
        },
        "/v1/referrals/{referral_id}/messages": {
            "parameters": [referral_id],
            "post": {
                "operationId": "replyToIart",
                "summary": "Send the referrer's reply about a referral iART holds (exactly once per key).",
                "description": (
                    "The reply's own UUID is the Idempotency-Key. The first request under a key answers "
                    "201; the same key with the same body answers 200 with the same message; the same "
                    "key with a different body, or for another referral, answers 409. A JWE payload is "
                    "decrypted with iART's private key; a payload that is not a ReplyPayload answers "
                    "422. The reply then appears, without its text, in the referral's `messages` in "
                    "the status and changes feeds, with `read_at` once iART has read it."
                ),
                "parameters": [_idempotency_key("The reply's UUID, the same on every attempt.")],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ReplyRequest")}},
                },
                "responses": {
                    "201": _json("ConversationMessage", "Received for the first time."),
                    "200": _json("ConversationMessage", "A replay of a reply already received."),
                    "400": _problem("A header is missing or malformed (e.g. Idempotency-Key)."),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "409": _problem("The Idempotency-Key was already used with a different request."),
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "422": _problem("The request or the reply's content is not acceptable."),
                    **_common_errors(),
                },
            },
        },
        "/v1/referrals/{referral_id}/attachments/{attachment_id}": {
            "parameters": [referral_id, attachment_id],
            "head": {
                "operationId": "attachmentOffset",
                "summary": "How many bytes of the attachment the server holds (where to resume).",
                "responses": {
                    "200": {"description": "The offset, in headers only.", "headers": _UPLOAD_HEADERS},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **_common_errors(),
                },
            },
            "get": {
                "operationId": "attachmentUploadStatus",
                "summary": "Upload progress of the attachment.",
                "responses": {
                    "200": _json("UploadStatus", "The upload's progress.", _UPLOAD_HEADERS),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **_common_errors(),
                },
            },
            "put": {
                "operationId": "uploadAttachment",
                "summary": "Upload the attachment, or the next chunk of it (resumable).",
                "description": (
                    "Send `Content-Range: bytes START-END/SIZE` (or no Content-Range for the whole file "
                    "at once; `bytes */0` for an empty one). START must equal the server's offset (HEAD "
                    "tells it), otherwise 409 with `Upload-Offset`. Bytes that arrived before a broken "
                    "connection are kept. When the last byte arrives the SHA-256 of the whole file is "
                    "checked against the manifest: a mismatch answers 422 and resets the upload to 0. "
                    "Uploading a complete attachment again answers 200 without change."
                ),
                "parameters": [
                    {"name": "Content-Range", "in": "header", "required": False,
                     "schema": {"type": "string", "pattern": r"^bytes (\d+-\d+|\*)/\d+$"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {
                        "schema": {"type": "string", "contentMediaType": "application/octet-stream"}
                    }},
                },
                "responses": {
                    "200": _json("UploadStatus", "The chunk was stored.", _UPLOAD_HEADERS),
                    "400": _problem("Content-Range is malformed or does not fit the manifest."),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "409": _problem("The chunk does not start at the server's offset.",
                                    {contract.UPLOAD_OFFSET_HEADER:
                                     {"$ref": "#/components/headers/UploadOffset"}}),
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "422": _problem("The complete file does not match the manifest's SHA-256."),
                    **_common_errors(),
                },
            },
        },
        "/v1/forms/current": {
            "get": {
                "operationId": "currentForm",
                "summary": "The form definition iART wants used, with a detached JWS signature.",
                "responses": {
                    "200": _json("SignedFormDefinition", "The definition and its signature."),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **_common_errors(),
                },
            }
        },
    }


def build_openapi_document() -> dict[str, Any]:
    _, schemas = models_json_schema(
        [(m, "validation" if m in _REQUEST_MODELS else "serialization") for m in contract.CONTRACT_MODELS],
        ref_template="#/components/schemas/{model}",
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "iART referral API",
            "version": "1.0.0",
            "description": (
                "The contract between Referral Desktop and Cheshire West and Chester's Integrated "
                "Access and Referral Team (iART). Generated from the models in referral_desktop/domain/api_contract/; "
                "do not edit by hand. Every error is an RFC 9457 problem document "
                "(application/problem+json) with `errors: [{path, message}]`."
            ),
        },
        "servers": [{"url": "https://127.0.0.1:8443", "description": "The local sandbox"}],
        "security": [{"bearerToken": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http", "scheme": "bearer",
                    "description": "The deployment's token (policy bearer_token / bearer_token_file). "
                    "Mutual TLS with a client certificate may be required in addition.",
                }
            },
            "headers": {
                "RetryAfter": {"schema": {"type": "integer", "minimum": 0},
                               "description": "Seconds to wait before trying again."},
                "UploadOffset": {"schema": {"type": "integer", "minimum": 0},
                                 "description": "Bytes of the attachment the server holds."},
                "UploadLength": {"schema": {"type": "integer", "minimum": 0},
                                 "description": "The attachment's size from the manifest."},
            },
            "responses": {
                "Unauthorized": _problem(
                    "No or an unknown bearer token.",
                    {"WWW-Authenticate": {"schema": {"type": "string"}}},
                ),
                "Forbidden": _problem("The token is known but may not do this."),
                "NotFound": _problem("No such referral or attachment."),
                "TooLarge": _problem("The request body, chunk or declared attachment is too large."),
                "RateLimited": _problem("Too many requests; wait for Retry-After.", _RETRY_AFTER),
                "Unavailable": _problem("Temporarily unavailable; wait for Retry-After.", _RETRY_AFTER),
            },
            "schemas": schemas["$defs"],
        },
    }


def render_openapi_document() -> str:
    """The document as committed: sorted keys, two-space indent, trailing newline."""
    return json.dumps(build_openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m referral_desktop.sandbox.openapi_document > file
    print(render_openapi_document(), end="")
