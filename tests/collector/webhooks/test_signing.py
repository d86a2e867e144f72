"""Standard Webhooks signatures, checked with the reference ``standardwebhooks`` library."""

from __future__ import annotations

import time

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from collector.webhooks.signing import (
    new_message_id,
    new_secret,
    secret_key,
    signature,
    signature_headers,
)

BODY = b'{"type":"survey.responded","data":{"score":3}}'


def test_a_new_secret_is_whsec_and_32_bytes_of_base64() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(secret_key(secret)) == 32


def test_every_secret_and_message_id_is_new() -> None:
    assert new_secret() != new_secret()
    assert new_message_id() != new_message_id()
    assert new_message_id().startswith("msg_")


def test_the_reference_library_verifies_our_headers() -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_1", int(time.time()), BODY)
    assert Webhook(secret).verify(BODY, headers) == {
        "type": "survey.responded",
        "data": {"score": 3},
    }


def test_the_reference_library_refuses_another_secret() -> None:
    headers = signature_headers([new_secret()], "msg_1", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)


def test_the_reference_library_refuses_a_changed_body() -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_1", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"3", b"9"), headers)


def test_during_a_rotation_both_secrets_sign_and_either_verifies() -> None:
    old, new = new_secret(), new_secret()
    headers = signature_headers([new, old], "msg_1", int(time.time()), BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(BODY, headers)
    Webhook(new).verify(BODY, headers)


def test_the_signature_is_over_id_timestamp_and_body() -> None:
    secret = new_secret()
    assert signature(secret, "msg_1", 1700000000, BODY) != signature(
        secret, "msg_2", 1700000000, BODY
    )
    assert signature(secret, "msg_1", 1700000000, BODY) != signature(
        secret, "msg_1", 1700000001, BODY
    )


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("c2VjcmV0", "starts with 'whsec_'"),
        ("whsec_not base64!", "followed by base64"),
        ("whsec_c2hvcnQ=", "at least 24 bytes"),
    ],
)
def test_malformed_secrets_are_refused(secret: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        secret_key(secret)
