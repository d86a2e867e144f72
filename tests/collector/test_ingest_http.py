"""The HTTP contract of Segment's Tracking API, as a client sees it: routes, keys, CORS,
partial batches, the error envelope, NUL characters and clients that hang up."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient
from starlette.types import Message

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.ingest_requests import (
    BROWSER_ORIGIN,
    CALL_TYPES,
    INGEST_PATHS,
    KB,
    assert_error_envelope,
    post_json,
)

# --- every route accepts its call type -------------------------------------------------


@pytest.mark.parametrize("call_type", CALL_TYPES)
def test_each_call_route_stores_its_call(
    client: TestClient, project: CreatedProject, call_type: str
) -> None:
    sent = factories.message(call_type)
    response = post_json(client, f"/v1/{call_type}", sent, project)
    assert response.json() == {"success": True, "accepted": 1, "rejected": []}
    [stored] = factories.stored_events(client, project)
    assert (stored["messageId"], stored["type"]) == (sent["messageId"], call_type)


@pytest.mark.parametrize("call_type", CALL_TYPES)
def test_a_call_route_does_not_need_the_type_field(
    client: TestClient, project: CreatedProject, call_type: str
) -> None:
    sent = factories.message(call_type, type=None)
    assert post_json(client, f"/v1/{call_type}", sent, project).status_code == 200
    assert [event["type"] for event in factories.stored_events(client, project)] == [call_type]


def test_batch_stores_every_call_type(client: TestClient, project: CreatedProject) -> None:
    sent = [factories.message(call_type) for call_type in CALL_TYPES]
    response = post_json(client, "/v1/batch", {"batch": sent}, project)
    assert response.json() == {"success": True, "accepted": 6, "rejected": []}
    stored = {
        event["messageId"]: event["type"] for event in factories.stored_events(client, project)
    }
    assert stored == {message["messageId"]: message["type"] for message in sent}


def test_a_retried_batch_is_stored_once(client: TestClient, project: CreatedProject) -> None:
    batch = {"batch": [factories.track(), factories.track()]}
    first = post_json(client, "/v1/batch", batch, project)
    retry = post_json(client, "/v1/batch", batch, project)
    assert first.json()["accepted"] == retry.json()["accepted"] == 2
    assert len(factories.stored_events(client, project)) == 2


# --- write keys ----------------------------------------------------------------------


def test_write_key_in_body_is_accepted_as_sendbeacon_sends_it(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track()
    body = {"batch": [sent], "writeKey": project.write_key}
    response = client.post(
        "/v1/batch",
        content=json.dumps(body).encode(),
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert response.json()["accepted"] == 1
    assert factories.stored_message_ids(client, project) == [sent["messageId"]]


def test_write_key_in_body_is_accepted_on_a_call_route(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track(writeKey=project.write_key)
    response = client.post(
        "/v1/track", content=json.dumps(sent).encode(), headers={"content-type": "text/plain"}
    )
    assert response.status_code == 200
    assert factories.stored_message_ids(client, project) == [sent["messageId"]]


def test_write_key_in_body_is_not_stored_with_the_event(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track(writeKey=project.write_key)
    post_json(client, "/v1/track", sent, None)
    [stored] = factories.stored_events(client, project)
    assert project.write_key not in json.dumps(stored)


def _unknown_key_requests(project: CreatedProject) -> dict[str, tuple[dict[str, str], Any]]:
    """Ways of calling without a valid write key: (headers, body) by name."""
    batch = [factories.track()]
    return {
        "no key": ({}, {"batch": batch}),
        "unknown basic key": (factories.basic_auth("wk_unknown"), {"batch": batch}),
        "unknown body key": ({}, {"batch": batch, "writeKey": "wk_unknown"}),
        "body key not a string": ({}, {"batch": batch, "writeKey": 42}),
        "secret key as write key": (factories.basic_auth(project.secret_key), {"batch": batch}),
        "bearer instead of basic": (factories.bearer_auth(project.write_key), {"batch": batch}),
        "basic not base64": ({"Authorization": "Basic !!!"}, {"batch": batch}),
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown basic key",
        "unknown body key",
        "body key not a string",
        "secret key as write key",
        "bearer instead of basic",
        "basic not base64",
    ],
)
def test_every_invalid_key_gets_the_same_401_as_a_missing_one(
    client: TestClient, project: CreatedProject, case: str
) -> None:
    requests = _unknown_key_requests(project)
    responses = [
        client.post("/v1/batch", json=body, headers=headers)
        for headers, body in (requests["no key"], requests[case])
    ]
    assert_error_envelope(responses[0], 401, "invalid_key")
    assert (responses[1].status_code, responses[1].content) == (401, responses[0].content)


def test_an_expired_key_gets_the_same_401_as_a_missing_one(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    factories.rotate_keys(engine, project, "write", now=an_hour_ago, grace=timedelta(minutes=1))
    missing = post_json(client, "/v1/batch", {"batch": [factories.track()]}, None)
    expired = post_json(client, "/v1/batch", {"batch": [factories.track()]}, project)
    assert (expired.status_code, expired.content) == (401, missing.content)


def test_a_refused_key_stores_nothing(client: TestClient, project: CreatedProject) -> None:
    body = {"batch": [factories.track()], "writeKey": "wk_unknown"}
    client.post("/v1/batch", json=body)
    assert factories.stored_events(client, project) == []


# --- CORS for browsers ---------------------------------------------------------------


@pytest.mark.parametrize("path", INGEST_PATHS)
def test_preflight_lets_a_browser_post_with_auth_and_gzip(client: TestClient, path: str) -> None:
    response = client.options(
        path,
        headers={
            "origin": BROWSER_ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type, content-encoding",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", BROWSER_ORIGIN)
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "content-encoding"} <= {
        header.strip() for header in allowed.split(",")
    }


def test_an_accepted_browser_call_carries_cors_headers(
    client: TestClient, project: CreatedProject
) -> None:
    response = post_json(client, "/v1/track", factories.track(), project, origin=BROWSER_ORIGIN)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", BROWSER_ORIGIN)


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/batch", {"batch": []}, 401),
        ("/v1/batch", {"nope": 1}, 400),
        ("/v1/track", {"batch": []}, 401),
    ],
)
def test_a_refused_browser_call_carries_cors_headers_so_the_sdk_can_read_why(
    client: TestClient, path: str, body: Any, status: int
) -> None:
    response = post_json(client, path, body, None, origin=BROWSER_ORIGIN)
    assert response.status_code == status
    assert response.headers["access-control-allow-origin"] in ("*", BROWSER_ORIGIN)


# --- partial batches and single-call validation -------------------------------------


def test_a_partial_batch_stores_the_valid_messages_and_names_each_rejected_one(
    client: TestClient, project: CreatedProject
) -> None:
    valid = [factories.track(), factories.message("identify")]
    no_event = factories.track(event=None)
    bad_type = factories.message("track", type="purchase")
    batch = [valid[0], no_event, "not an object", bad_type, valid[1]]
    response = post_json(client, "/v1/batch", {"batch": batch}, project)
    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["accepted"]) == (True, 2)
    assert [(r["index"], r["messageId"]) for r in body["rejected"]] == [
        (1, no_event["messageId"]),
        (2, None),
        (3, bad_type["messageId"]),
    ]
    assert set(body["rejected"][0]["errors"]) == {"event"}
    assert set(body["rejected"][2]["errors"]) == {"type"}
    stored = factories.stored_message_ids(client, project)
    assert sorted(stored) == sorted(message["messageId"] for message in valid)


def test_a_flood_of_rejections_lists_the_first_thousand_and_counts_them_all(
    client: TestClient, project: CreatedProject
) -> None:
    valid = factories.track()
    body = post_json(client, "/v1/batch", {"batch": [valid, *[{}] * 1500]}, project).json()
    assert (body["accepted"], body["rejected_count"]) == (1, 1500)
    assert [r["index"] for r in body["rejected"]] == list(range(1, 1001))


def test_a_few_rejections_need_no_count(client: TestClient, project: CreatedProject) -> None:
    body = post_json(client, "/v1/batch", {"batch": [{}]}, project).json()
    assert "rejected_count" not in body


def test_each_rejection_lists_reasons_by_field(client: TestClient, project: CreatedProject) -> None:
    invalid = factories.track(userId=True, anonymousId=None, timestamp="yesterday")
    body = post_json(client, "/v1/batch", {"batch": [invalid]}, project).json()
    [rejection] = body["rejected"]
    assert {"userId", "timestamp"} <= set(rejection["errors"])
    for reasons in rejection["errors"].values():
        assert isinstance(reasons, list) and all(isinstance(r, str) for r in reasons)


@pytest.mark.parametrize(
    ("call_type", "fields", "named"),
    [
        ("track", {"event": None}, "event"),
        ("track", {"event": 42}, "event"),
        ("identify", {"userId": None, "anonymousId": None}, "userId"),
        ("group", {"groupId": None}, "groupId"),
        ("alias", {"previousId": None}, "previousId"),
        ("page", {"properties": ["not", "an", "object"]}, "properties"),
        ("screen", {"timestamp": "not a date"}, "timestamp"),
    ],
)
def test_an_invalid_call_is_refused_with_422_naming_the_field(
    client: TestClient, project: CreatedProject, call_type: str, fields: dict[str, Any], named: str
) -> None:
    sent = factories.message(call_type, **fields)
    response = post_json(client, f"/v1/{call_type}", sent, project)
    error = assert_error_envelope(response, 422, "validation_failed")
    assert named in error["fields"]
    assert factories.stored_events(client, project) == []


def test_a_batch_sent_at_out_of_range_is_refused_with_422_naming_it(
    client: TestClient, project: CreatedProject
) -> None:
    body = {"batch": [factories.track()], "sentAt": "0001-01-01T00:00:00+01:00"}
    error = assert_error_envelope(
        post_json(client, "/v1/batch", body, project), 422, "validation_failed"
    )
    assert set(error["fields"]) == {"sentAt"}


@pytest.mark.parametrize("field", ["timestamp", "originalTimestamp", "sentAt"])
def test_a_message_time_out_of_range_is_rejected_naming_its_own_field(
    client: TestClient, project: CreatedProject, field: str
) -> None:
    message = factories.track(**{field: "0001-01-01T00:00:00+14:00"})
    body = post_json(client, "/v1/batch", {"batch": [message]}, project).json()
    [rejection] = body["rejected"]
    assert set(rejection["errors"]) == {field}


@pytest.mark.parametrize("field", ["context", "integrations", "sentAt"])
def test_invalid_batch_level_fields_are_refused_with_422_naming_them(
    client: TestClient, project: CreatedProject, field: str
) -> None:
    body = {"batch": [factories.track()], field: ["not", "valid"]}
    error = assert_error_envelope(
        post_json(client, "/v1/batch", body, project), 422, "validation_failed"
    )
    assert set(error["fields"]) == {field}


# --- the error envelope ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "headers", "raw", "status", "code"),
    [
        ("POST", "/v1/batch", {}, b'{"batch": []}', 401, "invalid_key"),
        ("POST", "/v1/batch", {"content-type": "text/csv"}, b"a,b", 415, "unsupported_media_type"),
        ("POST", "/v1/batch", {}, b"{", 400, "malformed_body"),
        ("POST", "/v1/track", {}, b"x" * (33 * KB), 413, "payload_too_large"),
        ("GET", "/v1/batch", {}, b"", 405, "method_not_allowed"),
        ("POST", "/v1/nothing", {}, b"{}", 404, "not_found"),
    ],
)
def test_every_refusal_has_the_error_envelope(
    *,
    client: TestClient,
    method: str,
    path: str,
    headers: dict[str, str],
    raw: bytes,
    status: int,
    code: str,
) -> None:
    response = client.request(method, path, content=raw or None, headers=headers)
    assert_error_envelope(response, status, code)


# --- NUL characters ----------------------------------------------------------------


def test_json_nul_escapes_are_stored_as_replacement_characters(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track(
        event="Report\u0000Created",
        anonymousId="anon\u0000",
        properties={"key\u0000": "value\u0000", "list": ["\u0000"]},
        context={"page": {"title": "\u0000"}},
    )
    response = post_json(client, "/v1/batch", {"batch": [sent]}, project)
    assert response.json()["accepted"] == 1
    [stored] = factories.stored_events(client, project)
    assert stored["event"] == "Report\ufffdCreated"
    assert stored["anonymousId"] == "anon\ufffd"
    assert stored["properties"] == {"key\ufffd": "value\ufffd", "list": ["\ufffd"]}
    assert stored["context"]["page"] == {"title": "\ufffd"}


def test_an_escaped_backslash_before_u0000_is_kept_as_text(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track(properties={"path": "C:\\u0000", "nul": "\\\u0000"})
    assert post_json(client, "/v1/track", sent, project).status_code == 200
    [stored] = factories.stored_events(client, project)
    assert stored["properties"] == {"path": "C:\\u0000", "nul": "\\\ufffd"}


def test_message_ids_stay_distinct_when_only_a_nul_differs(
    client: TestClient, project: CreatedProject
) -> None:
    base = str(uuid.uuid4())
    batch = [factories.track(messageId=base), factories.track(messageId=base + "\u0000")]
    assert post_json(client, "/v1/batch", {"batch": batch}, project).json()["accepted"] == 2
    assert sorted(factories.stored_message_ids(client, project)) == [base, base + "\ufffd"]


def test_a_string_cut_inside_an_emoji_is_stored_with_a_replacement_character(
    client: TestClient, project: CreatedProject
) -> None:
    """What JSON.stringify sends for a JavaScript string sliced between an emoji's halves."""
    raw = json.dumps({"batch": [factories.track(properties={"title": "Hi \ud83d"})]})
    response = client.post(
        "/v1/batch",
        content=raw.encode(),
        headers={"content-type": "text/plain", **factories.write_auth(project)},
    )
    assert response.json()["accepted"] == 1
    [stored] = factories.stored_events(client, project)
    assert stored["properties"] == {"title": "Hi \ufffd"}


def test_escaped_surrogate_pairs_are_stored_as_the_characters_they_encode(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track(event="Liked \U0001f600", properties={"\U0001f680": "\U0001f4c8"})
    assert post_json(client, "/v1/track", sent, project).status_code == 200
    [stored] = factories.stored_events(client, project)
    assert stored["event"] == "Liked \U0001f600"
    assert stored["properties"] == {"\U0001f680": "\U0001f4c8"}


# --- clients that hang up ------------------------------------------------------------


def test_a_client_hanging_up_mid_body_is_answered_400_and_not_logged_as_an_error(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    """As uvicorn delivers it: part of the body, then ``http.disconnect``."""
    incoming: list[Message] = [
        {"type": "http.request", "body": b'{"batch": [', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/batch",
        "raw_path": b"/v1/batch",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"5000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    with caplog.at_level(logging.INFO):
        anyio.run(app, scope, receive, send)
    assert sent[0]["status"] == 400
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
