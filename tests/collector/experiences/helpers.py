"""What the experience tests share: refusals read by field path, admin API calls."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from collector.experiences.schemas import Kind, load_experience
from collector.kit.errors import ValidationFailed
from collector.projects.service import CreatedProject
from tests.factories import secret_auth


def refusal(kind: Kind, body: dict[str, Any]) -> dict[str, Any]:
    """The field messages ``body`` is refused with; the test fails if it is accepted."""
    with pytest.raises(ValidationFailed) as caught:
        load_experience(kind, body)
    return dict(caught.value.fields or {})


def messages_at(fields: dict[str, Any], path: str) -> list[str]:
    """The messages at a dotted path such as ``steps.1.id``; KeyError if none are there."""
    node: Any = fields
    for key in path.split("."):
        node = node[key]
    assert isinstance(node, list), node
    return [str(message) for message in node]


def assert_refused_at(kind: Kind, body: dict[str, Any], path: str, words: str) -> None:
    fields = refusal(kind, body)
    try:
        messages = messages_at(fields, path)
    except KeyError:
        pytest.fail(f"no message at {path}: {fields}")
    assert any(words in message for message in messages), messages


def collection(kind: Kind) -> str:
    return f"/api/v1/{kind}s"


def post(client: TestClient, project: CreatedProject, kind: Kind, body: Any) -> httpx2.Response:
    return client.post(collection(kind), json=body, headers=secret_auth(project))


def created(
    client: TestClient, project: CreatedProject, kind: Kind, body: dict[str, Any]
) -> dict[str, Any]:
    """``POST`` that must answer 201; the created resource."""
    response = post(client, project, kind, body)
    assert response.status_code == 201, response.text
    resource: dict[str, Any] = response.json()
    return resource


def get(client: TestClient, project: CreatedProject, path: str) -> httpx2.Response:
    return client.get(path, headers=secret_auth(project))


def patch(client: TestClient, project: CreatedProject, path: str, body: Any) -> httpx2.Response:
    return client.patch(path, json=body, headers=secret_auth(project))


def delete(client: TestClient, project: CreatedProject, path: str) -> httpx2.Response:
    return client.delete(path, headers=secret_auth(project))


def ok(response: httpx2.Response) -> dict[str, Any]:
    """The JSON body of a 200 answer."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
