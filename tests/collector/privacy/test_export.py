"""``GET /api/v1/persons/{id}/export``: everything held about a person (right of access)."""

from __future__ import annotations

from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.privacy.conftest import export


def test_export_holds_every_event_of_every_linked_id(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    body = export(client, project, "anon-1").json()
    assert [e["type"] for e in body["events"]] == ["track", "identify", "group", "track"]


def test_export_holds_the_person_with_traits_ids_and_accounts(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    person = export(client, project, known_person).json()["person"]
    assert person["traits"] == {"email": "ada@example.com"}
    assert {i["id"] for i in person["identities"]} == {"anon-1", "user-1"}
    assert [a["groupId"] for a in person["accounts"]] == ["acme"]


def test_export_holds_survey_answers_without_internal_row_ids(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    factories.lift_project_caps(client, project)
    survey = factories.define(client, project, "survey", factories.nps())
    factories.report(client, project, factories.reserved("Survey Responded", survey, {"score": 3}))
    [answer] = export(client, project, known_person).json()["survey_responses"]
    assert answer["score"] == 3
    assert "id" not in answer
    assert "project_id" not in answer


def test_export_of_an_unknown_person_is_not_found(
    client: TestClient, project: CreatedProject
) -> None:
    assert export(client, project, "nobody").status_code == 404


def test_export_needs_the_secret_key(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    response = client.get(
        f"/api/v1/persons/{known_person}/export", headers=factories.write_auth(project)
    )
    assert response.status_code == 401
