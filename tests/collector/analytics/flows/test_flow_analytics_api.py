"""``GET /api/v1/flows/{id}/analytics`` and ``…/stuck`` over HTTP: keys, refusals, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from starlette.testclient import TestClient

from tests import factories
from tests.collector.analytics.flows.conftest import FlowData

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-15"}


def get(client: TestClient, data: FlowData, path: str, **params: str) -> Any:
    return client.get(path, params=params, headers=factories.secret_auth(data.project))


def test_tour_analytics_answer_json(client: TestClient, flow_data: FlowData) -> None:
    body = get(client, flow_data, f"/api/v1/flows/{flow_data.tour['id']}/analytics", **NOVEMBER)
    assert body.status_code == 200
    assert (body.json()["type"], body.json()["started"]) == ("tour", 5)


def test_tour_analytics_export_steps_and_dismissals_as_csv(
    client: TestClient, flow_data: FlowData
) -> None:
    response = get(
        client,
        flow_data,
        f"/api/v1/flows/{flow_data.tour['id']}/analytics",
        format="csv",
        **NOVEMBER,
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["kind"], r["id"], r["persons"]) for r in rows] == [
        ("step", "welcome", "5"),
        ("step", "reports", "4"),
        ("step", "invite", "3"),
        ("dismissed_at", "", "1"),
        ("dismissed_at", "reports", "1"),
    ]


def test_checklist_analytics_export_items_as_csv(client: TestClient, flow_data: FlowData) -> None:
    response = get(
        client,
        flow_data,
        f"/api/v1/flows/{flow_data.checklist['id']}/analytics",
        format="csv",
        **NOVEMBER,
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["id"], r["persons"]) for r in rows] == [
        ("report", "2"),
        ("invite", "1"),
        ("profile", "1"),
    ]


def test_stuck_persons_come_a_page_at_a_time(client: TestClient, flow_data: FlowData) -> None:
    path = f"/api/v1/flows/{flow_data.checklist['id']}/stuck"
    body = get(client, flow_data, path, days="7", **NOVEMBER).json()
    assert ([p["user_id"] for p in body["data"]], body["has_more"]) == (["c2"], False)


def test_stuck_persons_export_as_csv(client: TestClient, flow_data: FlowData) -> None:
    path = f"/api/v1/flows/{flow_data.checklist['id']}/stuck"
    response = get(client, flow_data, path, days="7", format="csv", **NOVEMBER)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["user_id"], r["completed_items"]) for r in rows] == [("c2", '["report"]')]


def test_a_tour_has_no_stuck_persons(client: TestClient, flow_data: FlowData) -> None:
    response = get(client, flow_data, f"/api/v1/flows/{flow_data.tour['id']}/stuck")
    assert response.status_code == 400
    assert "id" in response.json()["error"]["fields"]


def test_bad_stuck_days_are_refused_by_name(client: TestClient, flow_data: FlowData) -> None:
    path = f"/api/v1/flows/{flow_data.checklist['id']}/analytics"
    response = get(client, flow_data, path, stuck_days="0")
    assert response.status_code == 400
    assert "stuck_days" in response.json()["error"]["fields"]


def test_another_projects_key_finds_no_flow(client: TestClient, flow_data: FlowData) -> None:
    for route in ("analytics", "stuck"):
        response = client.get(
            f"/api/v1/flows/{flow_data.checklist['id']}/{route}",
            headers=factories.secret_auth(flow_data.other),
        )
        assert response.status_code == 404


def test_an_id_that_is_not_a_uuid_is_not_found(client: TestClient, flow_data: FlowData) -> None:
    assert get(client, flow_data, "/api/v1/flows/nope/analytics").status_code == 404
