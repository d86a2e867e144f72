"""``/api/v1/analytics/funnels``: funnels saved by name per project, validated with the
funnel's own schema, audited, and never visible to another project."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories

PATH = "/api/v1/analytics/funnels"
DEFINITION = {"steps": ["Signed Up", {"event": "Report Created"}], "window": "7d"}
NOWHERE = "00000000-0000-4000-8000-00000000dead"


def save(
    client: TestClient, project: CreatedProject, name: str = "Activation", **definition: Any
) -> httpx2.Response:
    body = {"name": name, "definition": {**DEFINITION, **definition}}
    return client.post(PATH, json=body, headers=factories.secret_auth(project))


def saved(client: TestClient, project: CreatedProject, name: str = "Activation") -> dict[str, Any]:
    response = save(client, project, name)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def refused_fields(response: httpx2.Response) -> dict[str, Any]:
    fields: dict[str, Any] = response.json()["error"].get("fields", {})
    return fields


def test_a_saved_funnel_keeps_its_name_and_definition_as_sent(
    client: TestClient, project: CreatedProject
) -> None:
    created = saved(client, project)
    assert (created["name"], created["definition"]) == ("Activation", DEFINITION)
    assert created["created_at"] == created["updated_at"]


def test_a_saved_funnel_names_the_key_that_saved_it(
    client: TestClient, project: CreatedProject
) -> None:
    created = saved(client, project)
    assert created["created_by"] == created["updated_by"] == project.secret_key[:12]


def test_a_saved_funnel_names_the_dashboard_user_that_saved_it(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    email = factories.create_dashboard_user(engine, project)
    session = factories.sign_in(client, email)
    response = client.post(
        PATH,
        json={"name": "From the dashboard", "definition": DEFINITION},
        headers={"x-waypost-project": str(project.id), "x-csrf-token": session["csrf_token"]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["created_by"] == email


def test_saved_funnels_are_listed_by_name(client: TestClient, project: CreatedProject) -> None:
    for name in ("Retention", "Activation", "Expansion"):
        saved(client, project, name)
    listed = factories.admin_get(client, project, PATH)["data"]
    assert [entry["name"] for entry in listed] == ["Activation", "Expansion", "Retention"]


def test_a_saved_funnel_is_read_back_by_id(client: TestClient, project: CreatedProject) -> None:
    created = saved(client, project)
    assert factories.admin_get(client, project, f"{PATH}/{created['id']}") == created


def test_a_saved_definition_runs_as_a_funnel(client: TestClient, project: CreatedProject) -> None:
    created = saved(client, project)
    response = client.post(
        "/api/v1/analytics/funnel",
        json=created["definition"],
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 200, response.text
    assert [step["event"] for step in response.json()["steps"]] == ["Signed Up", "Report Created"]


def test_put_replaces_the_name_and_definition(client: TestClient, project: CreatedProject) -> None:
    created = saved(client, project)
    changed = {"steps": ["A", "B", "C"]}
    response = client.put(
        f"{PATH}/{created['id']}",
        json={"name": "Renamed", "definition": changed},
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["name"], body["definition"]) == (created["id"], "Renamed", changed)
    assert body["updated_at"] > created["updated_at"]


def test_delete_removes_the_saved_funnel(client: TestClient, project: CreatedProject) -> None:
    created = saved(client, project)
    auth = factories.secret_auth(project)
    assert client.delete(f"{PATH}/{created['id']}", headers=auth).status_code == 204
    assert client.get(f"{PATH}/{created['id']}", headers=auth).status_code == 404
    assert factories.admin_get(client, project, PATH)["data"] == []


def test_a_name_already_used_in_the_project_is_a_conflict(
    client: TestClient, project: CreatedProject
) -> None:
    saved(client, project)
    response = save(client, project, "Activation")
    assert response.status_code == 409
    assert "name" in refused_fields(response)


def test_renaming_onto_another_saved_funnels_name_is_a_conflict(
    client: TestClient, project: CreatedProject
) -> None:
    saved(client, project, "Activation")
    other = saved(client, project, "Retention")
    response = client.put(
        f"{PATH}/{other['id']}",
        json={"name": "Activation", "definition": DEFINITION},
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 409
    assert "name" in refused_fields(response)


def test_the_same_name_in_another_project_is_no_conflict(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    saved(client, project)
    assert save(client, other_project).status_code == 201


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ({"steps": ["Only one"]}, "steps"),
        ({"window": "a fortnight"}, "window"),
        ({"order": "sideways"}, "order"),
        ({"breakdown": "nowhere.plan"}, "breakdown"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_definition_the_funnel_would_refuse_is_refused_naming_it(
    client: TestClient, project: CreatedProject, definition: dict[str, Any], field: str
) -> None:
    response = save(client, project, **definition)
    assert response.status_code == 422
    assert field in refused_fields(response)["definition"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"definition": DEFINITION}, "name"),
        ({"name": "   ", "definition": DEFINITION}, "name"),
        ({"name": "x" * 201, "definition": DEFINITION}, "name"),
        ({"name": "No definition"}, "definition"),
        ({"name": "Extra", "definition": DEFINITION, "shared": True}, "shared"),
    ],
)
def test_a_body_without_a_valid_name_and_definition_is_refused_naming_the_field(
    client: TestClient, project: CreatedProject, body: dict[str, Any], field: str
) -> None:
    response = client.post(PATH, json=body, headers=factories.secret_auth(project))
    assert response.status_code == 422
    assert field in refused_fields(response)


def test_a_body_that_is_not_an_object_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.post(PATH, json=["Activation"], headers=factories.secret_auth(project))
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_projects_saved_funnel_is_not_found_like_an_unknown_one(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    method: str,
) -> None:
    theirs = saved(client, other_project)
    body = {"name": "Mine now", "definition": DEFINITION} if method == "PUT" else None
    auth = factories.secret_auth(project)
    answer = client.request(method, f"{PATH}/{theirs['id']}", json=body, headers=auth)
    nowhere = client.request(method, f"{PATH}/{NOWHERE}", json=body, headers=auth)
    assert answer.status_code == nowhere.status_code == 404
    assert factories.admin_get(client, other_project, f"{PATH}/{theirs['id']}") == theirs


def test_another_projects_saved_funnels_are_not_listed(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    saved(client, other_project)
    assert factories.admin_get(client, project, PATH)["data"] == []


def test_an_id_that_is_not_a_saved_funnel_id_is_not_found(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.get(f"{PATH}/activation", headers=factories.secret_auth(project))
    assert response.status_code == 404


def test_saving_changing_and_deleting_are_audited(
    client: TestClient, project: CreatedProject
) -> None:
    created = saved(client, project)
    auth = factories.secret_auth(project)
    client.put(
        f"{PATH}/{created['id']}", json={"name": "B", "definition": DEFINITION}, headers=auth
    )
    client.delete(f"{PATH}/{created['id']}", headers=auth)
    entries = factories.admin_get(client, project, "/api/v1/audit")["data"]
    assert [(e["action"], e["target"]) for e in entries] == [
        ("POST /api/v1/analytics/funnels", created["id"]),
        ("PUT /api/v1/analytics/funnels/{id}", created["id"]),
        ("DELETE /api/v1/analytics/funnels/{id}", created["id"]),
    ]
    assert {e["actor"] for e in entries} == {project.secret_key[:12]}
