"""``POST /api/v1/analytics/funnel`` and the persons at a step, over HTTP."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.conftest import Store, at, did, post

A, B, C = "Signed Up", "Project Created", "Report Created"
RANGE = {"from": at(0), "to": at(14)}
FUNNEL = {"steps": [A, B, C], **RANGE}


@pytest.fixture
def journeys(store: Store) -> None:
    """ada does every step, bob the first two, cy only the first."""
    store(
        did("ada", A, at(1), source="ads"),
        did("ada", B, at(1, hours=1)),
        did("ada", C, at(1, hours=2), type="funnel"),
        did("bob", A, at(2), source="=HYPERLINK(1)"),
        did("bob", B, at(2, hours=3)),
        did("cy", A, at(3), source="ads"),
    )


def persons(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [step["persons"] for step in response.json()["steps"]]


def refusal(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


@pytest.mark.usefixtures("journeys")
def test_funnel_answers_persons_per_step(client: TestClient, project: CreatedProject) -> None:
    assert persons(post(client, project, "funnel", FUNNEL)) == [3, 2, 1]


@pytest.mark.usefixtures("journeys")
def test_funnel_steps_may_be_objects_with_property_filters(
    client: TestClient, project: CreatedProject
) -> None:
    steps = [A, {"event": C, "where": {"properties.type": ["funnel", "chart"]}}]
    assert persons(post(client, project, "funnel", {**FUNNEL, "steps": steps})) == [3, 1]


@pytest.mark.usefixtures("journeys")
def test_funnel_takes_order_window_exclusion_and_breakdown(
    client: TestClient, project: CreatedProject
) -> None:
    body = {
        **FUNNEL,
        "order": "strict",
        "window": "36h",
        "exclude": {"event": "Plan Downgraded", "from_step": 1, "to_step": 2},
        "breakdown": "properties.source",
    }
    response = post(client, project, "funnel", body)
    assert persons(response) == [3, 2, 1]
    assert sorted(response.json()["breakdown"]) == ["=HYPERLINK(1)", "ads"]


@pytest.mark.usefixtures("journeys")
def test_funnel_range_without_offset_is_read_in_tz(
    client: TestClient, project: CreatedProject
) -> None:
    # 20:00 on 4 March in Tokyo is 11:00 UTC: only cy's start (5 March) comes after.
    body = {**FUNNEL, "from": "2026-03-04T20:00:00", "tz": "Asia/Tokyo"}
    assert persons(post(client, project, "funnel", body)) == [1, 0, 0]


@pytest.mark.usefixtures("journeys")
def test_funnel_as_csv_when_accept_asks_for_it(client: TestClient, project: CreatedProject) -> None:
    response = post(client, project, "funnel", FUNNEL, accept="text/csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(row["step"], row["event"], row["persons"]) for row in rows] == [
        ("1", A, "3"),
        ("2", B, "2"),
        ("3", C, "1"),
    ]


@pytest.mark.usefixtures("journeys")
def test_funnel_csv_defuses_formulas_in_breakdown_values(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.post(
        "/api/v1/analytics/funnel?format=csv",
        json={**FUNNEL, "breakdown": "properties.source"},
        headers=factories.secret_auth(project),
    )
    values = {row["breakdown"] for row in csv.DictReader(io.StringIO(response.text))}
    assert values == {"", "ads", "'=HYPERLINK(1)"}


def test_funnel_needs_a_key(client: TestClient) -> None:
    assert (
        refusal(client.post("/api/v1/analytics/funnel", json=FUNNEL), 401)["code"] == "invalid_key"
    )


def test_funnel_refuses_the_write_key(client: TestClient, project: CreatedProject) -> None:
    response = client.post(
        "/api/v1/analytics/funnel", json=FUNNEL, headers=factories.bearer_auth(project.write_key)
    )
    assert refusal(response, 403)["code"] == "forbidden"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"steps": [A]}, "steps"),
        ({"steps": [A, ""]}, "steps"),
        ({"steps": [A, {"where": {}}]}, "steps"),
        ({"steps": [A, {"event": B, "where": {"context.ip": "x"}}]}, "steps"),
        ({"steps": [A, {"event": B, "where": {"properties.a": {"b": 1}}}]}, "steps"),
        ({"steps": [A, {"event": B, "where": {"properties.a": []}}]}, "steps"),
        ({"window": "7 days"}, "window"),
        ({"window": "400d"}, "window"),
        ({"order": "sideways"}, "order"),
        ({"breakdown": "plan"}, "breakdown"),
        ({"breakdown": 'person."plan'}, "breakdown"),
        ({"exclude": [{"event": "X", "from_step": 3, "to_step": 2}]}, "exclude"),
        ({"exclude": {"event": "X", "to_step": 9}}, "exclude"),
        ({"from": "yesterday"}, "from"),
        ({"from": at(14), "to": at(1)}, "to"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_funnel_refuses_bad_definitions_naming_the_field(
    client: TestClient, project: CreatedProject, change: dict[str, Any], field: str
) -> None:
    error = refusal(post(client, project, "funnel", {**FUNNEL, **change}), 422)
    assert field in error["fields"]


def test_funnel_refuses_a_body_that_is_not_an_object(
    client: TestClient, project: CreatedProject
) -> None:
    assert refusal(post(client, project, "funnel", [A, B]), 400)["code"] == "malformed_body"


# --- persons at a step ------------------------------------------------------------------------


def persons_query(**params: Any) -> dict[str, str]:
    query = {"steps": orjson.dumps([A, B, C]).decode(), **RANGE}
    return {**query, **{key: str(value) for key, value in params.items()}}


def user_ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(person["user_id"] for person in response.json()["data"])


def get_persons(client: TestClient, project: CreatedProject, **params: Any) -> Any:
    return client.get(
        "/api/v1/analytics/funnel/persons",
        params=persons_query(**params),
        headers=factories.secret_auth(project),
    )


@pytest.mark.usefixtures("journeys")
def test_persons_who_reached_a_step(client: TestClient, project: CreatedProject) -> None:
    assert user_ids(get_persons(client, project, step=2)) == ["ada", "bob"]


@pytest.mark.usefixtures("journeys")
def test_persons_who_dropped_after_a_step(client: TestClient, project: CreatedProject) -> None:
    assert user_ids(get_persons(client, project, step=2, dropped="true")) == ["bob"]


@pytest.mark.usefixtures("journeys")
def test_persons_carry_their_step_times(client: TestClient, project: CreatedProject) -> None:
    [person] = get_persons(client, project, step=3).json()["data"]
    assert person["step_times"] == [
        "2026-03-03T00:00:00Z",
        "2026-03-03T01:00:00Z",
        "2026-03-03T02:00:00Z",
    ]


@pytest.mark.usefixtures("journeys")
def test_persons_steps_may_be_repeated_parameters(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.get(
        "/api/v1/analytics/funnel/persons",
        params=[("steps", A), ("steps", B), ("step", "1"), ("dropped", "true"), *RANGE.items()],
        headers=factories.secret_auth(project),
    )
    assert user_ids(response) == ["cy"]


@pytest.mark.usefixtures("journeys")
def test_persons_of_one_breakdown_value(client: TestClient, project: CreatedProject) -> None:
    response = get_persons(
        client, project, step=1, breakdown="properties.source", breakdown_value="ads"
    )
    assert user_ids(response) == ["ada", "cy"]


@pytest.mark.usefixtures("journeys")
def test_persons_come_a_page_at_a_time(client: TestClient, project: CreatedProject) -> None:
    first = get_persons(client, project, step=1, limit=2).json()
    assert first["has_more"] is True
    second = get_persons(client, project, step=1, limit=2, cursor=first["next_cursor"]).json()
    assert second["has_more"] is False and second["next_cursor"] is None
    seen = [person["user_id"] for person in first["data"] + second["data"]]
    assert sorted(seen) == ["ada", "bob", "cy"]


@pytest.mark.usefixtures("journeys")
def test_persons_by_post_take_the_funnel_body(client: TestClient, project: CreatedProject) -> None:
    body = {**FUNNEL, "step": 2, "dropped": True}
    assert user_ids(post(client, project, "funnel/persons", body)) == ["bob"]


@pytest.mark.usefixtures("journeys")
def test_persons_as_csv_list_every_person(client: TestClient, project: CreatedProject) -> None:
    response = get_persons(client, project, step=1, format="csv", limit=1)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(row["user_id"] for row in rows) == ["ada", "bob", "cy"]
    assert set(rows[0]) == {
        "person_id",
        "user_id",
        "breakdown",
        *(f"step_{n}_at" for n in (1, 2, 3)),
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"step": 4}, "step"),
        ({"step": 3, "dropped": "true"}, "step"),
        ({"step": 1, "steps": "[not json"}, "steps"),
        ({"step": 1, "exclude": "{oops"}, "exclude"),
        ({"step": 1, "cursor": "!!"}, "cursor"),
        ({"step": 1, "limit": 0}, "limit"),
        ({}, "step"),
    ],
)
def test_persons_refuse_bad_parameters_naming_them(
    client: TestClient, project: CreatedProject, params: dict[str, Any], field: str
) -> None:
    assert field in refusal(get_persons(client, project, **params), 400)["fields"]


@pytest.mark.usefixtures("journeys")
def test_another_projects_key_sees_none_of_these_persons(
    client: TestClient, other_project: CreatedProject
) -> None:
    assert user_ids(get_persons(client, other_project, step=1)) == []
    assert persons(post(client, other_project, "funnel", FUNNEL)) == [0, 0, 0]
