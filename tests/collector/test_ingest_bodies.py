"""What the ingestion routes accept as a body: content types and encodings, size limits
(gzip bombs included) and malformed JSON."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.ingest_requests import (
    KB,
    assert_error_envelope,
    padded_track,
    post_gzip,
    post_json,
)

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
