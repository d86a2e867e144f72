"""The HTTP contract of Segment's Tracking API, as a client sees it: routes, keys, CORS,
content types and encodings, size limits, malformed bodies and the error envelope."""

from __future__ import annotations

import gzip
import json
import logging
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx2
import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient
from starlette.types import Message

from collector.projects.service import CreatedProject
from tests import factories

CALL_TYPES = ("track", "identify", "group", "page", "screen", "alias")
INGEST_PATHS = ("/v1/batch", *(f"/v1/{call_type}" for call_type in CALL_TYPES))
BROWSER_ORIGIN = "https://app.example.com"
KB = 1024


def post_json(
    client: TestClient,
    path: str,
    body: Any,
    project: CreatedProject | None,
    **headers: str,
) -> httpx2.Response:
    """POST ``body`` as JSON bytes, with the project's write key when one is given."""
    auth = factories.write_auth(project) if project else {}
    return client.post(
        path,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **auth, **headers},
    )


def post_gzip(
    client: TestClient, path: str, raw: bytes, project: CreatedProject
) -> httpx2.Response:
    return client.post(
        path,
        content=raw,
        headers={
            "content-type": "application/json",
            "content-encoding": "gzip",
            **factories.write_auth(project),
        },
    )


def padded_track(size: int) -> dict[str, Any]:
    """A valid track message whose JSON is about ``size`` bytes long."""
    message = factories.track()
    message["properties"] = {"padding": ""}
    message["properties"]["padding"] = "x" * (size - len(json.dumps(message)))
    return message


def assert_error_envelope(response: httpx2.Response, status: int, code: str) -> dict[str, Any]:
    """The refusal has the one JSON envelope; returns its ``error`` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error.get("fields", {}), dict)
    return error


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


# --- content types and encodings -----------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_other_content_types_are_refused_with_415(
    client: TestClient, project: CreatedProject, content_type: str
) -> None:
    body = json.dumps({"batch": [factories.track()]}).encode()
    response = client.post(
        "/v1/batch",
        content=body,
        headers={"content-type": content_type, **factories.write_auth(project)},
    )
    error = assert_error_envelope(response, 415, "unsupported_media_type")
    assert content_type.split(";", maxsplit=1)[0] in error["message"]
    assert factories.stored_events(client, project) == []


@pytest.mark.parametrize("encoding", ["br", "deflate", "compress", "zstd"])
def test_unknown_content_encodings_are_refused_with_415(
    client: TestClient, project: CreatedProject, encoding: str
) -> None:
    response = post_json(
        client,
        "/v1/batch",
        {"batch": [factories.track()]},
        project,
        **{"content-encoding": encoding},
    )
    error = assert_error_envelope(response, 415, "unsupported_media_type")
    assert encoding in error["message"]


@pytest.mark.parametrize("path", ["/v1/batch", "/v1/track"])
def test_gzip_bodies_are_accepted(client: TestClient, project: CreatedProject, path: str) -> None:
    sent = factories.track()
    body = {"batch": [sent]} if path == "/v1/batch" else sent
    response = post_gzip(client, path, gzip.compress(json.dumps(body).encode()), project)
    assert response.json()["accepted"] == 1
    assert factories.stored_message_ids(client, project) == [sent["messageId"]]


def test_every_member_of_a_multi_member_gzip_body_is_read(
    client: TestClient, project: CreatedProject
) -> None:
    sent = factories.track()
    text = json.dumps({"batch": [sent]}).encode()
    middle = len(text) // 2
    raw = gzip.compress(text[:middle]) + gzip.compress(text[middle:])
    assert post_gzip(client, "/v1/batch", raw, project).json()["accepted"] == 1


def test_bytes_after_the_gzip_stream_are_refused_not_ignored(
    client: TestClient, project: CreatedProject
) -> None:
    raw = gzip.compress(json.dumps({"batch": [factories.track()]}).encode()) + b"trailing"
    assert_error_envelope(post_gzip(client, "/v1/batch", raw, project), 400, "malformed_body")
    assert factories.stored_events(client, project) == []


@pytest.mark.parametrize(
    "raw",
    [b"", b"not gzip at all", gzip.compress(b'{"batch": []}')[:-6]],
    ids=["empty", "plain bytes", "truncated"],
)
def test_a_body_that_is_not_valid_gzip_is_refused_with_400(
    client: TestClient, project: CreatedProject, raw: bytes
) -> None:
    error = assert_error_envelope(
        post_gzip(client, "/v1/batch", raw, project), 400, "malformed_body"
    )
    assert "gzip" in error["message"]


def test_a_utf8_byte_order_mark_before_the_json_is_ignored(
    client: TestClient, project: CreatedProject
) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps({"batch": [factories.track()]}).encode()
    response = client.post(
        "/v1/batch",
        content=raw,
        headers={"content-type": "application/json", **factories.write_auth(project)},
    )
    assert response.json()["accepted"] == 1


# --- size limits ---------------------------------------------------------------------


def test_a_single_message_over_32_kb_is_refused_with_413_naming_the_limit(
    client: TestClient, project: CreatedProject
) -> None:
    response = post_json(client, "/v1/track", padded_track(33 * KB), project)
    error = assert_error_envelope(response, 413, "payload_too_large")
    assert "32 KB" in error["message"]


def test_a_single_message_just_under_32_kb_is_accepted(
    client: TestClient, project: CreatedProject
) -> None:
    response = post_json(client, "/v1/track", padded_track(32 * KB - 100), project)
    assert response.json()["accepted"] == 1


def test_a_batch_over_500_kb_is_refused_with_413_naming_the_limit(
    client: TestClient, project: CreatedProject
) -> None:
    batch = [padded_track(30 * KB) for _ in range(17)]
    response = post_json(client, "/v1/batch", {"batch": batch}, project)
    error = assert_error_envelope(response, 413, "payload_too_large")
    assert "500 KB" in error["message"]
    assert factories.stored_events(client, project) == []


def test_a_batch_just_under_500_kb_is_accepted(client: TestClient, project: CreatedProject) -> None:
    batch = [padded_track(31 * KB) for _ in range(16)]
    response = post_json(client, "/v1/batch", {"batch": batch}, project)
    assert response.json()["accepted"] == 16


def test_a_gzip_batch_over_500_kb_decompressed_is_refused_however_small_compressed(
    client: TestClient, project: CreatedProject
) -> None:
    batch = [padded_track(30 * KB) for _ in range(17)]
    raw = gzip.compress(json.dumps({"batch": batch}).encode())
    assert len(raw) < 32 * KB
    error = assert_error_envelope(
        post_gzip(client, "/v1/batch", raw, project), 413, "payload_too_large"
    )
    assert "500 KB" in error["message"]


def test_a_body_over_the_limit_without_content_length_is_refused_with_413(
    client: TestClient, project: CreatedProject
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"batch": [' + json.dumps(factories.track()).encode()
        for _ in range(40):
            yield b"," + json.dumps(padded_track(16 * KB)).encode()
        yield b"]}"

    response = client.post(
        "/v1/batch",
        content=chunks(),
        headers={"content-type": "application/json", **factories.write_auth(project)},
    )
    assert_error_envelope(response, 413, "payload_too_large")


def test_a_message_over_32_kb_in_a_batch_is_rejected_by_index_and_the_others_stored(
    client: TestClient, project: CreatedProject
) -> None:
    small, large, other = factories.track(), padded_track(40 * KB), factories.track()
    response = post_json(client, "/v1/batch", {"batch": [small, large, other]}, project)
    body = response.json()
    assert (response.status_code, body["accepted"]) == (200, 2)
    [rejected] = body["rejected"]
    assert (rejected["index"], rejected["messageId"]) == (1, large["messageId"])
    assert any("32 KB" in reason for reasons in rejected["errors"].values() for reason in reasons)
    stored = factories.stored_message_ids(client, project)
    assert sorted(stored) == sorted([small["messageId"], other["messageId"]])


@pytest.mark.parametrize(("path", "limit"), [("/v1/batch", "500 KB"), ("/v1/track", "32 KB")])
def test_a_gzip_bomb_is_refused_with_413_without_being_inflated(
    client: TestClient, project: CreatedProject, path: str, limit: str
) -> None:
    inflated_size = 50 * KB * KB
    bomb = gzip.compress(b"0" * inflated_size, compresslevel=9)
    tracemalloc.start()
    try:
        response = post_gzip(client, path, bomb, project)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = assert_error_envelope(response, 413, "payload_too_large")
    assert limit in error["message"]
    # Inflating it would allocate 50 MB; the collector stops one byte past the limit.
    assert peak < 8 * KB * KB, f"peak allocation {peak} bytes"


# --- malformed bodies --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [b"{nope", b"", b"\xff\xfe{}", b'{"batch": [1, 2}', b"\x00"], ids=repr
)
@pytest.mark.parametrize("path", ["/v1/batch", "/v1/track"])
def test_a_body_that_is_not_json_is_refused_with_400(
    client: TestClient, project: CreatedProject, path: str, raw: bytes
) -> None:
    response = client.post(
        path,
        content=raw,
        headers={"content-type": "application/json", **factories.write_auth(project)},
    )
    assert_error_envelope(response, 400, "malformed_body")


@pytest.mark.parametrize(
    "body",
    [{}, {"batch": {}}, {"batch": "track"}, {"batch": None}, [], "batch", 5, None],
    ids=repr,
)
def test_a_batch_body_without_a_batch_array_is_refused_with_400(
    client: TestClient, project: CreatedProject, body: Any
) -> None:
    error = assert_error_envelope(
        post_json(client, "/v1/batch", body, project), 400, "malformed_body"
    )
    assert "batch" in error["message"]


@pytest.mark.parametrize("body", [[], "track", 5, None, [{"type": "track"}]], ids=repr)
def test_a_call_body_that_is_not_an_object_is_refused_with_400(
    client: TestClient, project: CreatedProject, body: Any
) -> None:
    assert_error_envelope(post_json(client, "/v1/track", body, project), 400, "malformed_body")


def test_json_nested_deeper_than_can_be_stored_is_refused_with_400(
    client: TestClient, project: CreatedProject
) -> None:
    deep: Any = "bottom"
    for _ in range(300):
        deep = {"next": deep}
    raw = json.dumps({"batch": [factories.track(properties=deep)]}).encode()
    response = client.post(
        "/v1/batch",
        content=raw,
        headers={"content-type": "application/json", **factories.write_auth(project)},
    )
    error = assert_error_envelope(response, 400, "malformed_body")
    assert "deeper than" in error["message"]


def test_json_nested_as_deep_as_can_be_stored_is_accepted(
    client: TestClient, project: CreatedProject
) -> None:
    deep: Any = "bottom"
    for _ in range(250):
        deep = {"next": deep}
    raw = json.dumps({"batch": [factories.track(properties=deep)]}).encode()
    response = client.post(
        "/v1/batch",
        content=raw,
        headers={"content-type": "application/json", **factories.write_auth(project)},
    )
    assert response.json()["accepted"] == 1


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
