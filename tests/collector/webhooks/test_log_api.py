"""The delivery log and replay: ``/api/v1/webhooks/messages`` and the replay routes."""

from __future__ import annotations

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from collector.webhooks.attempts import Delivery
from tests.collector.webhooks.conftest import (
    Receiver,
    attempts_of,
    create_endpoint,
    deliver_until_idle,
    messages_of,
)
from tests.factories import create_survey, report, reserved, secret_auth

MESSAGES = "/api/v1/webhooks/messages"


def answer(client: TestClient, engine: Engine, project: CreatedProject, *scores: int) -> None:
    survey = create_survey(engine, project)
    report(client, project, *(reserved("Survey Responded", survey, {"score": s}) for s in scores))


def test_the_log_is_paged_oldest_first(
    client: TestClient, engine: Engine, project: CreatedProject, receiver: Receiver
) -> None:
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 1, 2, 3)
    first = client.get(MESSAGES, params={"limit": "2"}, headers=secret_auth(project)).json()
    rest = client.get(
        MESSAGES, params={"cursor": first["next_cursor"]}, headers=secret_auth(project)
    ).json()
    scores = [m["payload"]["data"]["response"]["score"] for m in first["data"] + rest["data"]]
    assert (first["has_more"], rest["has_more"]) == (True, False)
    assert scores == [1, 2, 3]


def test_the_log_narrows_by_endpoint_type_and_status(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    mine = create_endpoint(client, project, receiver.url, event_types=["survey.detractor"])
    create_endpoint(client, project, "http://127.0.0.1:9/")
    answer(client, engine, project, 2)
    deliver_until_idle(engine, delivery)
    assert len(messages_of(client, project)) == 2
    [by_endpoint] = messages_of(client, project, endpoint_id=mine["id"])
    [by_type] = messages_of(client, project, event_type="survey.detractor")
    [delivered] = messages_of(client, project, status="delivered")
    assert by_endpoint["id"] == by_type["id"] == delivered["id"]
    assert messages_of(client, project, status="failed")[0]["endpoint_id"] != mine["id"]


def test_bad_log_parameters_are_refused_naming_them(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.get(
        MESSAGES, params={"status": "lost", "limit": "0"}, headers=secret_auth(project)
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "limit"}


def test_replaying_a_message_sends_it_again_with_the_same_webhook_id(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 9)
    deliver_until_idle(engine, delivery)
    [sent] = messages_of(client, project)
    response = client.post(f"{MESSAGES}/{sent['id']}/replay", headers=secret_auth(project))
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["tries"]) == ("pending", 0)
    deliver_until_idle(engine, delivery)
    assert [r.headers["webhook-id"] for r in receiver.received] == [sent["id"], sent["id"]]
    assert len(attempts_of(client, project, sent["id"])) == 2


def test_replaying_a_failed_message_gives_it_the_whole_schedule_again(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    receiver.answers = [500, 500, 500, 500, 200]
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 9)
    deliver_until_idle(engine, delivery)
    [failed] = messages_of(client, project)
    client.post(f"{MESSAGES}/{failed['id']}/replay", headers=secret_auth(project))
    deliver_until_idle(engine, delivery)
    assert messages_of(client, project)[0]["status"] == "delivered"


def test_replaying_an_endpoint_since_a_time(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    endpoint = create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 1, 2)
    deliver_until_idle(engine, delivery)
    since = messages_of(client, project)[0]["created_at"]
    response = client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay",
        params={"since": since},
        headers=secret_auth(project),
    )
    assert (response.status_code, response.json()) == (202, {"replayed": 2})
    deliver_until_idle(engine, delivery)
    assert len(receiver.received) == 4


def test_replaying_an_endpoint_by_status(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    receiver: Receiver,
    delivery: Delivery,
) -> None:
    endpoint = create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 1)
    deliver_until_idle(engine, delivery)
    response = client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay",
        params={"since": "2000-01-01T00:00:00Z", "status": "failed"},
        headers=secret_auth(project),
    )
    assert response.json() == {"replayed": 0}


def test_an_endpoint_replay_needs_since(
    client: TestClient, project: CreatedProject, receiver: Receiver
) -> None:
    endpoint = create_endpoint(client, project, receiver.url)
    response = client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay", headers=secret_auth(project)
    )
    assert response.status_code == 400
    assert "since" in response.json()["error"]["fields"]


def test_another_projects_messages_are_not_found(
    client: TestClient,
    engine: Engine,
    project: CreatedProject,
    other_project: CreatedProject,
    receiver: Receiver,
) -> None:
    create_endpoint(client, project, receiver.url)
    answer(client, engine, project, 5)
    [sent] = messages_of(client, project)
    other = secret_auth(other_project)
    assert client.get(f"{MESSAGES}/{sent['id']}/attempts", headers=other).status_code == 404
    assert client.post(f"{MESSAGES}/{sent['id']}/replay", headers=other).status_code == 404
    assert client.get(MESSAGES, headers=other).json()["data"] == []


def test_an_unknown_message_is_not_found(client: TestClient, project: CreatedProject) -> None:
    response = client.get(f"{MESSAGES}/msg_nope/attempts", headers=secret_auth(project))
    assert response.status_code == 404
    assert (
        response.json()["error"]["message"] == "no webhook message with id msg_nope in this project"
    )
