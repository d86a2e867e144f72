"""Requests to the ingestion routes, shared by the tests of their HTTP contract."""

from __future__ import annotations

import json
from typing import Any

import httpx2
from starlette.testclient import TestClient

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
