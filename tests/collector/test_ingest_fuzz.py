"""Fuzzing the ingestion routes: whatever a client sends, the collector answers with a
refusal or a result, never a 500, and a valid message beside a bad one is always stored.

Each example gets a project of its own, so what it stored can be read back exactly.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories

CALL_TYPES = ("track", "identify", "group", "page", "screen", "alias")
MESSAGE_FIELDS = (
    "type",
    "messageId",
    "userId",
    "anonymousId",
    "event",
    "name",
    "category",
    "groupId",
    "previousId",
    "timestamp",
    "originalTimestamp",
    "sentAt",
    "properties",
    "traits",
    "context",
    "integrations",
)

# Client fixtures are reused by every example: each example isolates itself in a project.
fuzz = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
documents = st.dictionaries(st.text(max_size=12), json_values, max_size=5)
ids = st.text(max_size=300) | st.integers() | json_values
extreme_zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)), None]
)
# Either end of the calendar, where converting an offset to UTC overflows.
EDGE_TIMESTAMPS = (
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999Z",
)
timestamps = (
    st.sampled_from(EDGE_TIMESTAMPS)
    | st.datetimes(timezones=extreme_zones).map(datetime.isoformat)
    | st.text(max_size=40)
    | json_values
)
segment_like_messages = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(CALL_TYPES) | json_values,
        "messageId": ids,
        "userId": ids,
        "anonymousId": ids,
        "event": st.text(max_size=250) | json_values,
        "name": st.text(max_size=250) | json_values,
        "category": st.text(max_size=250) | json_values,
        "groupId": ids,
        "previousId": ids,
        "timestamp": timestamps,
        "originalTimestamp": timestamps,
        "sentAt": timestamps,
        "properties": documents | json_values,
        "traits": documents | json_values,
        "context": documents | json_values,
        "integrations": documents | json_values,
    },
)
unstorable_text = (
    st.lists(
        st.sampled_from(["\x00", "\ud83d", "\ude00", "a", "\U0001f600", "\\", "u0000", " "])
        | st.characters(),
        min_size=1,
        max_size=30,
    )
    .map("".join)
    .filter(str.strip)
)
"""Text with NULs and lone UTF-16 surrogates (as a JavaScript string cut inside an emoji
has), among other characters; never blank, which ids and names may not be."""


def send(
    client: TestClient, project: CreatedProject, path: str, raw: bytes, **headers: str
) -> httpx2.Response:
    return client.post(
        path,
        content=raw,
        headers={"content-type": "application/json", **factories.write_auth(project), **headers},
    )


def send_json(client: TestClient, project: CreatedProject, path: str, body: Any) -> httpx2.Response:
    return send(client, project, path, json.dumps(body, allow_nan=False).encode())


def assert_stored_beside(
    client: TestClient, project: CreatedProject, fuzzed: Any, *, first: bool
) -> None:
    """Send ``fuzzed`` in a batch with a valid message: the valid one is always stored, and
    what is stored is exactly what was accepted."""
    sentinel = factories.track(event="Sentinel")
    batch = [fuzzed, sentinel] if first else [sentinel, fuzzed]
    response = send_json(client, project, "/v1/batch", {"batch": batch})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["accepted"] + len(result["rejected"]) == 2
    assert [rejection["index"] for rejection in result["rejected"]] in ([], [batch.index(fuzzed)])
    stored = factories.stored_message_ids(client, project)
    assert sentinel["messageId"] in stored
    assert len(stored) == result["accepted"]


@fuzz
@given(body=json_values, path=st.sampled_from(["/v1/batch", "/v1/track", "/v1/identify"]))
def test_random_json_bodies_are_answered_without_a_server_error(
    client: TestClient, engine: Engine, body: Any, path: str
) -> None:
    project = factories.create_project(engine)
    assert send_json(client, project, path, body).status_code in (200, 400, 422)


@fuzz
@given(
    raw=st.binary(max_size=2000),
    path=st.sampled_from(["/v1/batch", "/v1/page"]),
    gzipped=st.booleans(),
)
def test_arbitrary_bytes_are_answered_without_a_server_error(
    client: TestClient, engine: Engine, raw: bytes, path: str, gzipped: bool
) -> None:
    project = factories.create_project(engine)
    headers = {"content-encoding": "gzip"} if gzipped else {}
    assert send(client, project, path, raw, **headers).status_code in (200, 400, 422)


@fuzz
@given(noise=st.binary(min_size=1, max_size=8), at=st.integers(min_value=0), gzipped=st.booleans())
def test_a_valid_batch_with_stray_bytes_is_refused_or_stored_whole(
    client: TestClient, engine: Engine, noise: bytes, at: int, gzipped: bool
) -> None:
    project = factories.create_project(engine)
    sent = factories.track()
    text = json.dumps({"batch": [sent]}).encode()
    position = at % (len(text) + 1)
    raw = text[:position] + noise + text[position:]
    headers = {"content-encoding": "gzip"} if gzipped else {}
    response = send(client, project, "/v1/batch", gzip.compress(raw) if gzipped else raw, **headers)
    assert response.status_code in (200, 400, 422)
    stored = factories.stored_message_ids(client, project)
    if response.status_code == 200:
        assert len(stored) == response.json()["accepted"]
    else:
        assert stored == []


@fuzz
@given(fuzzed=segment_like_messages, first=st.booleans())
def test_a_valid_message_beside_a_random_one_is_always_stored(
    client: TestClient, engine: Engine, fuzzed: dict[str, Any], first: bool
) -> None:
    assert_stored_beside(client, factories.create_project(engine), fuzzed, first=first)


@fuzz
@given(
    call_type=st.sampled_from(CALL_TYPES),
    field=st.sampled_from(MESSAGE_FIELDS),
    value=json_values,
    first=st.booleans(),
)
def test_a_wrong_type_in_any_field_never_loses_the_valid_message_beside_it(
    *, client: TestClient, engine: Engine, call_type: str, field: str, value: Any, first: bool
) -> None:
    fuzzed = factories.message(call_type, **{field: value})
    assert_stored_beside(client, factories.create_project(engine), fuzzed, first=first)


@fuzz
@given(
    call_type=st.sampled_from(CALL_TYPES),
    field=st.sampled_from(MESSAGE_FIELDS),
    length=st.integers(min_value=0, max_value=70_000),
    first=st.booleans(),
)
def test_a_huge_string_in_any_field_never_loses_the_valid_message_beside_it(
    *, client: TestClient, engine: Engine, call_type: str, field: str, length: int, first: bool
) -> None:
    fuzzed = factories.message(call_type, **{field: "\u00e9" * length})
    assert_stored_beside(client, factories.create_project(engine), fuzzed, first=first)


@fuzz
@given(depth=st.integers(min_value=1, max_value=400), in_list=st.booleans())
def test_deep_nesting_is_stored_or_refused_whole_never_a_server_error(
    client: TestClient, engine: Engine, depth: int, in_list: bool
) -> None:
    project = factories.create_project(engine)
    nested: Any = "bottom"
    for _ in range(depth):
        nested = [nested] if in_list else {"down": nested}
    batch = [factories.track(properties={"nested": nested}), factories.track()]
    response = send_json(client, project, "/v1/batch", {"batch": batch})
    assert response.status_code in (200, 400)
    expected = response.json()["accepted"] if response.status_code == 200 else 0
    assert len(factories.stored_message_ids(client, project)) == expected


@fuzz
@given(
    call_type=st.sampled_from(CALL_TYPES),
    fuzzed=segment_like_messages,
)
def test_a_random_call_is_stored_once_or_refused_naming_fields(
    client: TestClient, engine: Engine, call_type: str, fuzzed: dict[str, Any]
) -> None:
    project = factories.create_project(engine)
    response = send_json(client, project, f"/v1/{call_type}", fuzzed)
    assert response.status_code in (200, 422), response.text
    stored = factories.stored_events(client, project)
    if response.status_code == 200:
        assert [event["type"] for event in stored] == [call_type]
    else:
        assert response.json()["error"]["fields"]
        assert stored == []


@fuzz
@given(event=unstorable_text, user_id=unstorable_text, key=unstorable_text, value=unstorable_text)
def test_nuls_and_lone_surrogates_anywhere_are_stored_as_replacement_characters(
    *, client: TestClient, engine: Engine, event: str, user_id: str, key: str, value: str
) -> None:
    project = factories.create_project(engine)
    sent = factories.track(event=event, userId=user_id, properties={key: value})
    response = send_json(client, project, "/v1/batch", {"batch": [sent]})
    assert response.json()["accepted"] == 1, response.text

    def replaced(text: str) -> str:
        """NUL and each lone surrogate become U+FFFD; a high and low pair is one character."""
        utf16 = text.replace("\x00", "\ufffd").encode("utf-16-le", "surrogatepass")
        return utf16.decode("utf-16-le", "replace")

    [stored] = factories.stored_events(client, project)
    assert (stored["event"], stored["userId"]) == (replaced(event), replaced(user_id))
    assert stored["properties"] == {replaced(key): replaced(value)}


@fuzz
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "sentAt": timestamps,
            "context": documents | json_values,
            "integrations": documents | json_values,
            "writeKey": json_values,
        },
    )
)
def test_random_batch_level_fields_are_applied_or_refused_naming_them(
    client: TestClient, engine: Engine, fields: dict[str, Any]
) -> None:
    project = factories.create_project(engine)
    response = send_json(client, project, "/v1/batch", {"batch": [factories.track()], **fields})
    assert response.status_code in (200, 422), response.text
    stored = factories.stored_events(client, project)
    if response.status_code == 200:
        assert len(stored) == response.json()["accepted"]
    else:
        assert set(response.json()["error"]["fields"]) <= {"sentAt", "context", "integrations"}
        assert stored == []
