"""The direct reading of an ordinary ``GET /v1/flows`` query gives what the schema gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from collector.delivery.schemas import DeliveryQuerySchema, quick_delivery_query

SCHEMA = DeliveryQuerySchema()
NAMES = ["userId", "anonymousId", "identityHash", "url", "locale", "sessionId", "writeKey", "x"]


def schema_load(params: dict[str, str]) -> dict[str, str] | None:
    try:
        loaded: dict[str, str] = SCHEMA.load(params)
    except ValidationError:
        return None
    return loaded


@pytest.mark.parametrize(
    "params",
    [
        {"userId": "user-1"},
        {"anonymousId": "a-1", "url": "https://app.example.com/x?y=1", "locale": "he-IL"},
        {"userId": "u", "sessionId": "s", "identityHash": "", "writeKey": "wk_x", "_": "123"},
        {"userId": "u" * 255, "url": "/" * 2048, "locale": "l" * 35, "sessionId": "s" * 255},
    ],
)
def test_ordinary_query_is_read_as_the_schema_reads_it(params: dict[str, str]) -> None:
    assert quick_delivery_query(params) == SCHEMA.load(params)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"userId": ""},
        {"url": "/app"},
        {"userId": "u" * 256},
        {"userId": "u", "locale": ""},
        {"userId": "u", "url": "/" * 2049},
        {"anonymousId": "a", "identityHash": "h" * 129},
    ],
)
def test_query_the_schema_refuses_is_left_to_the_schema(params: dict[str, str]) -> None:
    assert quick_delivery_query(params) is None
    with pytest.raises(ValidationError):
        SCHEMA.load(params)


@given(st.dictionaries(st.sampled_from(NAMES), st.text(max_size=300)))
def test_any_query_is_read_as_the_schema_reads_it_or_left_to_it(params: dict[str, str]) -> None:
    quick = quick_delivery_query(params)
    assert quick is None or quick == schema_load(params)
    if schema_load(params) is not None:
        assert quick == schema_load(params)
