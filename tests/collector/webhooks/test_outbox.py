"""The outbox: ingesting what happened writes, in the same transaction, one message per
subscribed endpoint whose filter the event passes, with the documented payload."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from collector.ingest.service import store_messages
from collector.ingest.validation import validate_messages
from collector.kit.db.engine import write_transaction
from collector.kit.db.models import WebhookMessage, table_of
from collector.kit.messages import BatchDefaults
from collector.projects.service import CreatedProject
from collector.webhooks.outbox import HealthChange, record_health_changes
from tests.collector.webhooks.conftest import create_endpoint, messages_of
from tests.factories import (
    RECEIVED_AT,
    create_experience,
    create_flow,
    create_survey,
    message,
    report,
    reserved,
    secret_auth,
    tracked,
)
from tests.factories import checklist as checklist_body

NOWHERE = "http://127.0.0.1:9/hooks"
"""A loopback port nobody listens on: messages written here fail fast if a test sends them."""


def payloads(client: TestClient, project: CreatedProject, **params: str) -> list[dict[str, Any]]:
    return [m["payload"] for m in messages_of(client, project, **params)]


def identify(user_id: str, **traits: Any) -> dict[str, Any]:
    return message("identify", userId=user_id, anonymousId=None, traits=traits)


def test_an_answer_writes_a_survey_responded_message_with_person_and_answer(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    endpoint = create_endpoint(client, project, NOWHERE)
    survey = create_survey(engine, project)
    report(client, project, identify("user-1", email="ada@example.com", plan="pro", name="Ada"))
    answer = reserved("Survey Responded", survey, {"score": 3, "text": "slow"})
    report(client, project, answer)
    [sent] = messages_of(client, project)
    assert (sent["endpoint_id"], sent["event_type"], sent["status"]) == (
        endpoint["id"],
        "survey.responded",
        "pending",
    )
    assert sent["id"].startswith("msg_")
    payload = sent["payload"]
    assert (payload["type"], payload["version"]) == ("survey.responded", 1)
    data = payload["data"]
    assert data["survey"] == {"id": survey["id"], "type": "nps", "name": "NPS", "version": 1}
    assert data["person"]["user_id"] == "user-1"
    assert data["person"]["traits"] == {"email": "ada@example.com", "name": "Ada"}
    assert data["response"]["score"] == 3
    assert data["response"]["text"] == "slow"
    assert data["response"]["sentiment"] == "detractor"
    assert data["response"]["scale"] == {"min": 0, "max": 10}
    assert data["message_id"] == answer["messageId"]
    assert data["account"] is None


def test_payloads_carry_the_persons_account_with_the_chosen_traits(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, traits={"person": [], "account": ["plan"]})
    survey = create_survey(engine, project)
    group = message(
        "group",
        userId="user-1",
        anonymousId=None,
        groupId="acme",
        traits={"plan": "pro", "mrr": 900},
    )
    report(client, project, group)
    report(client, project, reserved("Survey Responded", survey, {"score": 9}))
    [payload] = payloads(client, project)
    assert payload["data"]["account"]["group_id"] == "acme"
    assert payload["data"]["account"]["traits"] == {"plan": "pro"}
    assert payload["data"]["person"]["traits"] == {}


@pytest.mark.parametrize(("score", "detractor"), [(0, True), (6, True), (7, False), (10, False)])
def test_nps_detractors_are_zero_to_six(
    client: TestClient, engine: Engine, project: CreatedProject, score: int, detractor: bool
) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["survey.detractor"])
    survey = create_survey(engine, project)
    report(client, project, reserved("Survey Responded", survey, {"score": score}))
    assert len(messages_of(client, project)) == (1 if detractor else 0)


def test_csat_unsatisfied_and_ces_high_effort_are_detractors(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["survey.detractor"])
    csat = create_survey(engine, project, name="CSAT", type="csat")
    ces = create_survey(engine, project, name="CES", type="ces")
    report(
        client,
        project,
        reserved("Survey Responded", csat, {"score": 2}),
        reserved("Survey Responded", csat, {"score": 4}),
        reserved("Survey Responded", ces, {"score": 6}),
        reserved("Survey Responded", ces, {"score": 2}),
    )
    scores = sorted(
        (p["data"]["survey"]["type"], p["data"]["response"]["score"])
        for p in payloads(client, project)
    )
    assert scores == [("ces", 6), ("csat", 2)]


def test_a_filter_selects_the_events_an_endpoint_gets(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, filter="survey_type = nps and score <= 6")
    survey = create_survey(engine, project)
    csat = create_survey(engine, project, name="CSAT", type="csat")
    report(
        client,
        project,
        reserved("Survey Responded", survey, {"score": 4}),
        reserved("Survey Responded", survey, {"score": 9}),
        reserved("Survey Responded", csat, {"score": 1}),
    )
    assert [p["data"]["response"]["score"] for p in payloads(client, project)] == [4]


def test_an_event_no_filter_passes_writes_nothing(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, filter="score > 10")
    report(
        client, project, reserved("Survey Responded", create_survey(engine, project), {"score": 9})
    )
    assert messages_of(client, project) == []


def test_each_subscribed_endpoint_gets_its_own_message(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    first = create_endpoint(client, project, NOWHERE)
    second = create_endpoint(client, project, NOWHERE)
    create_endpoint(client, project, NOWHERE, event_types=["flow.completed"])
    survey = create_survey(engine, project)
    report(client, project, reserved("Survey Responded", survey, {"score": 9}))
    sent = messages_of(client, project)
    assert sorted(m["endpoint_id"] for m in sent) == sorted([first["id"], second["id"]])
    assert len({m["id"] for m in sent}) == 2


def test_completing_and_dismissing_flows(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["flow.completed", "flow.dismissed"])
    tour = create_flow(engine, project)
    other = create_flow(engine, project, name="Other tour")
    report(
        client,
        project,
        reserved("Flow Started", tour),
        reserved("Flow Completed", tour),
        reserved("Flow Dismissed", other),
    )
    found = {(p["type"], p["data"]["flow"]["name"]) for p in payloads(client, project)}
    assert found == {("flow.completed", "Welcome"), ("flow.dismissed", "Other tour")}


def test_a_flow_completed_twice_sends_once(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["flow.completed"])
    tour = create_flow(engine, project)
    report(client, project, reserved("Flow Completed", tour))
    report(client, project, reserved("Flow Completed", tour))
    assert len(messages_of(client, project)) == 1


def test_a_checklist_completed_by_an_ordinary_event(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["checklist.completed", "flow.completed"])
    checklist = create_experience(engine, project, "flow", checklist_body())
    report(client, project, tracked("Report Created"))
    [payload] = payloads(client, project)
    assert payload["type"] == "checklist.completed"
    assert payload["data"]["flow"]["id"] == checklist["id"]


def test_a_person_becoming_known_by_a_user_id(client: TestClient, project: CreatedProject) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["person.identified"])
    report(client, project, message("page", anonymousId="anon-7"))
    report(
        client,
        project,
        message(
            "identify", userId="user-7", anonymousId="anon-7", traits={"email": "g@example.com"}
        ),
    )
    report(client, project, identify("user-7", name="Grace"))
    [payload] = payloads(client, project)
    assert payload["data"]["user_id"] == "user-7"
    assert payload["data"]["person"]["traits"] == {"email": "g@example.com"}


def test_only_the_named_track_events_are_forwarded(
    client: TestClient, project: CreatedProject
) -> None:
    create_endpoint(
        client,
        project,
        NOWHERE,
        event_types=["event.tracked"],
        tracked_events=["Plan Upgraded"],
        filter="properties.plan = enterprise",
    )
    report(
        client,
        project,
        tracked("Plan Upgraded", {"plan": "enterprise"}),
        tracked("Plan Upgraded", {"plan": "pro"}),
        tracked("Report Created"),
    )
    [payload] = payloads(client, project)
    assert payload["data"]["event"] == "Plan Upgraded"
    assert payload["data"]["properties"] == {"plan": "enterprise"}


def test_a_retried_batch_writes_no_second_message(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE)
    answer = reserved("Survey Responded", create_survey(engine, project), {"score": 3})
    report(client, project, answer)
    report(client, project, answer)
    assert len(messages_of(client, project)) == 1


def test_a_refused_answer_writes_nothing(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE)
    survey = create_survey(engine, project)
    body = report(client, project, reserved("Survey Responded", survey, {"score": 11}))
    assert len(body["rejected"]) == 1
    assert messages_of(client, project) == []


def test_a_rolled_back_ingest_sends_nothing(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE)
    survey = create_survey(engine, project)
    messages, _ = validate_messages(
        [reserved("Survey Responded", survey, {"score": 3})], BatchDefaults(), RECEIVED_AT
    )
    with pytest.raises(RuntimeError), write_transaction(engine) as connection:
        store_messages(connection, project.id, messages, RECEIVED_AT)
        assert _count(connection, project) == 1
        raise RuntimeError("the batch failed after its projections")
    assert messages_of(client, project) == []


def _count(connection: Any, project: CreatedProject) -> int:
    table = table_of(WebhookMessage)
    return int(
        connection.execute(select(func.count()).where(table.c.project_id == project.id)).scalar()
    )


def test_a_disabled_endpoint_gets_nothing(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    endpoint = create_endpoint(client, project, NOWHERE)
    client.patch(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}",
        json={"enabled": False},
        headers=secret_auth(project),
    )
    report(
        client, project, reserved("Survey Responded", create_survey(engine, project), {"score": 3})
    )
    assert messages_of(client, project) == []


def test_another_projects_events_never_reach_this_projects_endpoints(
    client: TestClient, engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE)
    survey = create_survey(engine, other_project)
    report(client, other_project, reserved("Survey Responded", survey, {"score": 3}))
    assert messages_of(client, project) == []
    assert messages_of(client, other_project) == []


def test_account_health_changes_are_recorded_with_the_account(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    create_endpoint(client, project, NOWHERE, event_types=["account.health_changed"])
    account = {
        "id": "7d0c1c34-3a59-4c1f-9d54-4b1e8f0c2a11",
        "group_id": "acme",
        "traits": {"name": "Acme", "mrr": 1},
    }
    with write_transaction(engine) as connection:
        change = HealthChange(account, previous="green", current="red", score=31.5)
        record_health_changes(connection, project.id, [change], RECEIVED_AT)
    [payload] = payloads(client, project)
    assert payload["data"] == {
        "health": {"previous": "green", "current": "red", "score": 31.5},
        "account": {"id": account["id"], "group_id": "acme", "traits": {"name": "Acme"}},
    }
