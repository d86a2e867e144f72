"""The audit log of admin changes: who changed which flow, survey or setting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.audit.middleware import created_id, object_keys
from collector.projects.service import CreatedProject
from tests import factories


def audit(client: TestClient, project: CreatedProject, **params: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = factories.admin_get(client, project, "/api/v1/audit", **params)[
        "data"
    ]
    return entries


def test_a_settings_change_is_recorded_with_the_key_and_fields(
    client: TestClient, project: CreatedProject
) -> None:
    factories.update_project(client, project, {"retention_days": 30})
    [entry] = audit(client, project)
    assert entry["action"] == "PATCH /api/v1/project"
    assert entry["actor"] == project.secret_key[:12]
    assert entry["details"] == {"fields": ["settings"]}


def test_a_created_flow_is_recorded_with_its_id(
    client: TestClient, project: CreatedProject
) -> None:
    flow = factories.define(client, project, "flow", factories.tour())
    [entry] = audit(client, project)
    assert (entry["action"], entry["target"]) == ("POST /api/v1/flows", flow["id"])


def test_an_archived_survey_is_recorded_with_its_id(
    client: TestClient, project: CreatedProject
) -> None:
    survey = factories.define(client, project, "survey", factories.nps())
    client.delete(f"/api/v1/surveys/{survey['id']}", headers=factories.secret_auth(project))
    assert [e["target"] for e in audit(client, project)] == [survey["id"], survey["id"]]


def test_reads_and_refused_changes_are_not_recorded(
    client: TestClient, project: CreatedProject
) -> None:
    factories.admin_get(client, project, "/api/v1/project")
    client.patch(
        "/api/v1/project",
        json={"settings": {"retention_days": -1}},
        headers=factories.secret_auth(project),
    )
    assert audit(client, project) == []


def test_values_are_not_recorded_only_field_names(
    client: TestClient, project: CreatedProject
) -> None:
    factories.define(client, project, "flow", factories.tour(name="Secret launch plan"))
    assert "Secret launch plan" not in str(audit(client, project))


def test_the_log_is_paged(client: TestClient, project: CreatedProject) -> None:
    for days in (10, 20, 30):
        factories.update_project(client, project, {"retention_days": days})
    first = factories.admin_get(client, project, "/api/v1/audit", limit="2")
    rest = audit(client, project, cursor=first["next_cursor"])
    assert (len(first["data"]), first["has_more"], len(rest)) == (2, True, 1)


def test_a_project_sees_only_its_own_log(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    factories.update_project(client, project, {"retention_days": 30})
    assert audit(client, other_project) == []


def test_a_change_from_the_dashboard_is_recorded_with_the_users_email(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    email = factories.create_dashboard_user(engine, project)
    session = factories.sign_in(client, email)
    response = client.patch(
        "/api/v1/project",
        json={"settings": {"retention_days": 30}},
        headers={"X-Waypost-Project": str(project.id), "X-CSRF-Token": session["csrf_token"]},
    )
    assert response.status_code == 200, response.text
    client.cookies.clear()
    [entry] = audit(client, project)
    assert (entry["actor"], entry["action"]) == (email, "PATCH /api/v1/project")


def test_field_names_come_from_json_object_bodies_only() -> None:
    assert object_keys(b'{"name": "x", "steps": []}') == ["name", "steps"]
    assert object_keys(b"[1, 2]") is None
    assert object_keys(b"not json") is None


def test_the_created_id_is_read_from_the_answer() -> None:
    assert created_id(b'{"id": "f-1", "name": "x"}') == "f-1"
    assert created_id(b'{"id": null}') is None
    assert created_id(b"") is None
