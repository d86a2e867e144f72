"""Each worker keeps its projects' live experiences between requests: an edit made through
the admin API, a settings change or a rotated key must still count from the next request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    basic_auth,
    define,
    delivered_ids,
    flows_for,
    nps,
    rotate_keys,
    secret_auth,
    tour,
    update_project,
    write_auth,
)


def test_edited_text_is_delivered_by_the_next_request(
    client: TestClient, project: CreatedProject
) -> None:
    flow = define(client, project, "flow", tour())
    assert flows_for(client, project, userId="user-1")["flows"][0]["steps"][0]["title"] == "Hi"
    response = client.patch(
        f"/api/v1/flows/{flow['id']}",
        json={"steps": [{"title": "Bye", "body": "Welcome aboard"}]},
        headers=secret_auth(project),
    )
    assert response.status_code == 200, response.text
    [delivered] = flows_for(client, project, userId="user-1")["flows"]
    assert (delivered["version"], delivered["steps"][0]["title"]) == (2, "Bye")


def test_renamed_experience_is_delivered_with_its_new_name(
    client: TestClient, project: CreatedProject
) -> None:
    flow = define(client, project, "flow", tour())
    flows_for(client, project, userId="user-1")
    response = client.patch(
        f"/api/v1/flows/{flow['id']}", json={"name": "Hello"}, headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text
    assert flows_for(client, project, userId="user-1")["flows"][0]["name"] == "Hello"


def test_paused_experience_is_not_delivered_by_the_next_request(
    client: TestClient, project: CreatedProject
) -> None:
    survey = define(client, project, "survey", nps())
    assert delivered_ids(client, project, userId="user-1") == [survey["id"]]
    response = client.patch(
        f"/api/v1/surveys/{survey['id']}", json={"status": "paused"}, headers=secret_auth(project)
    )
    assert response.status_code == 200, response.text
    assert delivered_ids(client, project, userId="user-1") == []


def test_new_experience_is_delivered_by_the_next_request(
    client: TestClient, project: CreatedProject
) -> None:
    assert delivered_ids(client, project, userId="user-1") == []
    survey = define(client, project, "survey", nps())
    assert delivered_ids(client, project, userId="user-1") == [survey["id"]]


def test_lifted_cap_applies_to_the_next_request(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "flow", tour(name="First"))
    define(client, project, "flow", tour(name="Second"))
    assert len(delivered_ids(client, project, userId="user-1")) == 1
    update_project(client, project, {"throttle": {"max_per_session": None}})
    assert len(delivered_ids(client, project, userId="user-1")) == 2


def test_identity_verification_applies_to_the_next_request(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "flow", tour())
    flows_for(client, project, userId="user-1")
    update_project(client, project, {"require_identity_verification": True})
    response = client.get("/v1/flows", params={"userId": "user-1"}, headers=write_auth(project))
    assert response.status_code == 403, response.text


def test_key_rotated_out_is_refused_by_the_next_request(
    client: TestClient, project: CreatedProject, engine: Engine
) -> None:
    define(client, project, "flow", tour())
    flows_for(client, project, userId="user-1")
    new_keys = rotate_keys(engine, project, "write", now=datetime.now(UTC), grace=timedelta(0))
    old = client.get("/v1/flows", params={"userId": "user-1"}, headers=write_auth(project))
    assert old.status_code == 401, old.text
    new = client.get(
        "/v1/flows", params={"userId": "user-1"}, headers=basic_auth(new_keys["write"])
    )
    assert new.status_code == 200, new.text
