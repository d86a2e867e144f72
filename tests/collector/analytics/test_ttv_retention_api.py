"""``POST /api/v1/analytics/ttv`` and ``…/retention`` over HTTP: JSON, CSV, refusals."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.collector.analytics.conftest import Store, at, did, post

RANGE = {"from": at(0), "to": at(14)}
TTV = {"value": "Report Created", **RANGE}
RETENTION = {"periods": 2, **RANGE}


@pytest.fixture
def journeys(store: Store) -> None:
    store(
        did("ada", "Signed Up", at(1)),
        did("ada", "Report Created", at(1, hours=2)),
        did("bob", "Signed Up", at(9)),
    )


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.usefixtures("journeys")
def test_ttv_answers_the_figures(client: TestClient, project: CreatedProject) -> None:
    result = ok(post(client, project, "ttv", TTV))
    assert (result["persons_started"], result["median_seconds"]) == (2, 7200)


@pytest.mark.usefixtures("journeys")
def test_ttv_as_csv_has_everyone_then_each_cohort(
    client: TestClient, project: CreatedProject
) -> None:
    response = post(client, project, "ttv", TTV, accept="text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["group"] for row in rows] == ["all", "cohort:2026-03-02", "cohort:2026-03-09"]
    assert rows[0]["persons_reached_value"] == "1"


@pytest.mark.usefixtures("journeys")
def test_retention_answers_the_triangle(client: TestClient, project: CreatedProject) -> None:
    cohorts = ok(post(client, project, "retention", RETENTION))["cohorts"]
    assert [(c["cohort"], c["returned"]) for c in cohorts] == [
        ("2026-03-02", [1, 0]),
        ("2026-03-09", [1, None]),
    ]


@pytest.mark.usefixtures("journeys")
def test_retention_as_csv_has_a_column_per_period(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.post(
        "/api/v1/analytics/retention?format=csv",
        json=RETENTION,
        headers={"authorization": f"Bearer {project.secret_key}"},
    )
    assert response.text.splitlines() == [
        "cohort,persons,period_0,period_1",
        "2026-03-02,1,1,0",
        "2026-03-09,1,1,",
    ]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("ttv", RANGE, "value"),
        ("ttv", {**TTV, "start": {"event": ""}}, "start"),
        ("ttv", {**TTV, "breakdown": "plan"}, "breakdown"),
        ("retention", {**RETENTION, "interval": "hour"}, "interval"),
        ("retention", {**RETENTION, "periods": 0}, "periods"),
        ("retention", {**RETENTION, "returning": {"event": "X", "when": 1}}, "returning"),
        ("retention", {**RETENTION, "interval": "day", "from": at(-1000)}, "from"),
    ],
)
def test_analyses_refuse_bad_bodies_naming_the_field(
    client: TestClient, project: CreatedProject, path: str, body: dict[str, Any], field: str
) -> None:
    response = post(client, project, path, body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]


@pytest.mark.usefixtures("journeys")
def test_another_projects_key_sees_no_one(
    client: TestClient, other_project: CreatedProject
) -> None:
    assert ok(post(client, other_project, "ttv", TTV))["persons_started"] == 0
    cohorts = ok(post(client, other_project, "retention", RETENTION))["cohorts"]
    assert [c["persons"] for c in cohorts] == [0, 0]
