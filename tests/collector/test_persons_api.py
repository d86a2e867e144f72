"""``GET /api/v1/persons/{id}``: a person by user id, anonymous id or person id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.factories import message, send_batch, track


def get_person(client: TestClient, project: CreatedProject, key: str) -> httpx2.Response:
    return client.get(f"/api/v1/persons/{key}", headers=factories.secret_auth(project))


def person(client: TestClient, project: CreatedProject, key: str) -> dict[str, Any]:
    response = get_person(client, project, key)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def ada(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    """Ada: browsed anonymously, signed up, joined Acme."""
    send_batch(
        client,
        project,
        track(anonymousId="anon-1", userId=None),
        message("identify", userId="ada", anonymousId="anon-1", traits={"name": "Ada"}),
        message(
            "group", userId="ada", anonymousId="anon-1", groupId="acme", traits={"plan": "pro"}
        ),
    )
    return person(client, project, "ada")


def test_person_is_found_by_user_id(ada: dict[str, Any]) -> None:
    assert ada["userId"] == "ada"


def test_person_is_found_by_anonymous_id(
    client: TestClient, project: CreatedProject, ada: dict[str, Any]
) -> None:
    assert person(client, project, "anon-1")["id"] == ada["id"]


def test_person_is_found_by_person_id(
    client: TestClient, project: CreatedProject, ada: dict[str, Any]
) -> None:
    assert person(client, project, ada["id"]) == ada


def test_person_shows_traits_ids_and_accounts(ada: dict[str, Any]) -> None:
    assert ada["traits"] == {"name": "Ada"}
    assert ada["identities"] == [
        {"id": "anon-1", "kind": "anonymous"},
        {"id": "ada", "kind": "user"},
    ]
    assert ada["accounts"] == [{"groupId": "acme", "traits": {"plan": "pro"}}]


def test_person_shows_when_it_was_created_and_updated(ada: dict[str, Any]) -> None:
    assert ada["createdAt"].endswith("Z")
    assert ada["updatedAt"] >= ada["createdAt"]


def test_person_id_in_the_path_may_contain_a_slash(
    client: TestClient, project: CreatedProject
) -> None:
    send_batch(client, project, track(userId="team/ada"))
    assert person(client, project, "team/ada")["userId"] == "team/ada"


def test_unknown_id_is_not_found(client: TestClient, project: CreatedProject) -> None:
    response = get_person(client, project, "nobody")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_unknown_person_id_is_not_found(client: TestClient, project: CreatedProject) -> None:
    assert get_person(client, project, str(uuid.uuid4())).status_code == 404


def test_another_projects_person_id_is_not_found(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track(userId="ada"))
    theirs = person(client, other_project, "ada")["id"]
    assert get_person(client, project, theirs).status_code == 404


def test_another_projects_user_id_is_not_found(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, other_project, track(userId="ada"))
    assert get_person(client, project, "ada").status_code == 404


def test_same_user_id_in_two_projects_is_two_persons(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    send_batch(client, project, track(userId="ada"))
    send_batch(client, other_project, track(userId="ada"))
    assert person(client, project, "ada")["id"] != person(client, other_project, "ada")["id"]


def test_persons_need_the_secret_key(client: TestClient, project: CreatedProject) -> None:
    response = client.get("/api/v1/persons/ada", headers=factories.write_auth(project))
    assert response.status_code == 401
