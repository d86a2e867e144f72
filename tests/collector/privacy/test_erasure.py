"""``DELETE /api/v1/persons/{id}``: every row of a person, across every linked id, audited."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.settings import Settings
from collector.kit.webhook_settings import WebhookSettings
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.privacy.conftest import erase, events_of, history


def test_erasing_by_user_id_removes_the_events_of_every_linked_id(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    assert erase(client, project, known_person).status_code == 200
    assert events_of(client, project) == []


def test_erasing_by_anonymous_id_removes_the_person_they_became(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    assert erase(client, project, "anon-1").status_code == 200
    lookup = client.get(f"/api/v1/persons/{known_person}", headers=factories.secret_auth(project))
    assert lookup.status_code == 404


def test_erasure_answers_the_rows_deleted_per_table(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    answer = erase(client, project, known_person).json()
    assert answer["rows"]["events"] == 4
    assert answer["rows"]["identities"] == 2
    assert answer["rows"]["persons"] == 1
    assert answer["rows"]["account_members"] == 1
    assert answer["ids"] == 2


def test_erasure_keeps_other_persons_events(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    factories.report(client, project, *history("user-2", "anon-2"))
    erase(client, project, known_person)
    assert {e["userId"] or e["anonymousId"] for e in events_of(client, project)} == {
        "user-2",
        "anon-2",
    }


def test_erasure_removes_survey_answers_and_progress(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    factories.lift_project_caps(client, project)
    survey = factories.define(client, project, "survey", factories.nps())
    factories.report(
        client,
        project,
        factories.reserved("Survey Shown", survey),
        factories.reserved("Survey Responded", survey, {"score": 9}),
    )
    rows = erase(client, project, known_person).json()["rows"]
    assert rows["survey_responses"] == 1
    assert rows["experience_states"] == 1
    responses = factories.admin_get(client, project, f"/api/v1/surveys/{survey['id']}/responses")
    assert responses["data"] == []


def test_an_unknown_person_is_not_found(client: TestClient, project: CreatedProject) -> None:
    response = erase(client, project, "nobody")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_erasure_is_recorded_in_the_audit_log_with_the_key_and_counts(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person)
    [entry] = factories.admin_get(client, project, "/api/v1/audit")["data"]
    assert entry["action"] == "person.erased"
    assert entry["actor"] == project.secret_key[:12]
    assert entry["details"]["rows"]["events"] == 4


def test_the_audit_log_names_the_erased_person_only_by_a_hash(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person)
    [entry] = factories.admin_get(client, project, "/api/v1/audit")["data"]
    assert known_person not in str(entry)
    expected = hashlib.sha256(f"{project.id}:{known_person}".encode()).hexdigest()
    assert entry["target"] == expected


def test_suppress_must_be_true_or_false(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    response = erase(client, project, known_person, suppress="yes")
    assert response.status_code == 400
    assert "suppress" in response.json()["error"]["fields"]
    assert len(events_of(client, project)) == 4


def test_erasing_without_suppression_lets_the_id_come_back(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person)
    answer = factories.report(client, project, factories.track(userId=known_person))
    assert answer["accepted"] == 1
    assert "suppressed" not in answer


@pytest.fixture
def hooked_client(settings: Settings, project: CreatedProject) -> Iterator[TestClient]:
    """An app that may deliver to loopback, with an endpoint subscribed to answers."""
    hooks = WebhookSettings(allow_private_targets=True, retry_schedule=(3600.0,))
    with TestClient(create_app(dataclasses.replace(settings, webhooks=hooks))) as client:
        body = {"url": "http://127.0.0.1:9/hooks", "event_types": ["survey.responded"]}
        created = client.post(
            "/api/v1/webhooks/endpoints", json=body, headers=factories.secret_auth(project)
        )
        assert created.status_code == 201, created.text
        yield client


def test_erasure_removes_webhook_messages_about_the_person(
    hooked_client: TestClient, project: CreatedProject
) -> None:
    factories.report(hooked_client, project, *history())
    factories.lift_project_caps(hooked_client, project)
    survey = factories.define(hooked_client, project, "survey", factories.nps())
    factories.report(
        hooked_client, project, factories.reserved("Survey Responded", survey, {"score": 1})
    )
    assert erase(hooked_client, project, "user-1").json()["rows"]["webhook_messages"] == 1
    messages = factories.admin_get(hooked_client, project, "/api/v1/webhooks/messages")
    assert messages["data"] == []
