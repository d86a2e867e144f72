"""Delete and suppress: later messages of an erased person's ids are dropped and counted."""

from __future__ import annotations

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.kit.db.engine import read_transaction
from collector.privacy.suppression import suppression_count
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.privacy.conftest import erase, events_of


def test_messages_of_a_suppressed_user_id_are_dropped(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person, suppress="true")
    answer = factories.report(client, project, factories.track(userId=known_person))
    assert (answer["accepted"], answer["suppressed"]) == (0, 1)
    assert events_of(client, project) == []


def test_every_linked_id_is_suppressed(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person, suppress="true")
    answer = factories.report(client, project, factories.track(anonymousId="anon-1", userId=None))
    assert answer["suppressed"] == 1


def test_other_ids_in_the_same_batch_are_stored(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person, suppress="true")
    answer = factories.report(
        client,
        project,
        factories.track(userId=known_person),
        factories.track(userId="user-2", anonymousId=None),
    )
    assert (answer["accepted"], answer["suppressed"]) == (1, 1)
    assert [e["userId"] for e in events_of(client, project)] == ["user-2"]


def test_dropped_messages_are_counted_per_project(
    client: TestClient, engine: Engine, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person, suppress="true")
    factories.report(client, project, factories.track(userId=known_person))
    factories.report(client, project, factories.track(userId=known_person))
    with read_transaction(engine) as connection:
        assert suppression_count(connection, project.id) == (2, 2)


def test_an_id_never_seen_can_be_suppressed_in_advance(
    client: TestClient, project: CreatedProject
) -> None:
    response = erase(client, project, "future-user", suppress="true")
    assert response.status_code == 200
    assert response.json()["rows"] == {}
    answer = factories.report(client, project, factories.track(userId="future-user"))
    assert answer["suppressed"] == 1


def test_a_suppression_does_not_reach_another_project(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    known_person: str,
) -> None:
    erase(client, project, known_person, suppress="true")
    answer = factories.report(client, other_project, factories.track(userId=known_person))
    assert answer["accepted"] == 1


def test_a_single_call_of_a_suppressed_id_answers_what_was_dropped(
    client: TestClient, project: CreatedProject, known_person: str
) -> None:
    erase(client, project, known_person, suppress="true")
    response = client.post(
        "/v1/track",
        json=factories.track(userId=known_person),
        headers=factories.write_auth(project),
    )
    assert response.status_code == 200
    assert response.json()["suppressed"] == 1
