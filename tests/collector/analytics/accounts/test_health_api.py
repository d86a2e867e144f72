"""``/api/v1/accounts/health`` and ``/at-risk`` over HTTP, and the settings that tune them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.accounts.conftest import END, AccountData, health_of

WINDOW = {"to": END.isoformat()}


def test_health_lists_accounts_with_score_status_and_components(
    client: TestClient, account_data: AccountData
) -> None:
    body = health_of(client, account_data.project, **WINDOW)
    assert [(a["group_id"], a["status"]) for a in body["data"]] == [
        ("initech", "red"),
        ("acme", "yellow"),
        ("globex", "green"),
    ]
    assert set(body["data"][0]["components"]) == {"frequency", "breadth", "depth", "sentiment"}


def test_health_says_which_settings_scored_it(
    client: TestClient, account_data: AccountData
) -> None:
    settings = health_of(client, account_data.project, **WINDOW)["settings"]
    assert settings["thresholds"] == {"green": 70, "yellow": 40}
    assert (settings["from"], settings["to"]) == ("2026-10-27T00:00:00Z", "2026-11-26T00:00:00Z")


def test_health_filters_by_status(client: TestClient, account_data: AccountData) -> None:
    body = health_of(client, account_data.project, status="green", **WINDOW)
    assert [a["group_id"] for a in body["data"]] == ["globex"]


def test_health_comes_a_page_at_a_time(client: TestClient, account_data: AccountData) -> None:
    first = health_of(client, account_data.project, limit="2", **WINDOW)
    rest = health_of(client, account_data.project, cursor=first["next_cursor"], **WINDOW)
    assert (len(first["data"]), first["has_more"]) == (2, True)
    assert ([a["group_id"] for a in rest["data"]], rest["has_more"]) == (["globex"], False)


def test_at_risk_lists_the_red_accounts(client: TestClient, account_data: AccountData) -> None:
    body = factories.admin_get(client, account_data.project, "/api/v1/accounts/at-risk", **WINDOW)
    assert [a["group_id"] for a in body["data"]] == ["initech"]


def test_health_exports_as_csv(client: TestClient, account_data: AccountData) -> None:
    response = client.get(
        "/api/v1/accounts/health",
        params={**WINDOW, "format": "csv"},
        headers=factories.secret_auth(account_data.project),
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["group_id"], r["name"], r["status"], r["active_days"]) for r in rows] == [
        ("initech", "", "red", "0"),
        ("acme", "Acme", "yellow", "15"),
        ("globex", "Globex", "green", "30"),
    ]


def test_another_project_sees_only_its_own_accounts(
    client: TestClient, account_data: AccountData
) -> None:
    body = health_of(client, account_data.other, **WINDOW)
    assert [a["group_id"] for a in body["data"]] == ["acme"]


def test_health_needs_the_secret_key(client: TestClient, account_data: AccountData) -> None:
    response = client.get(
        "/api/v1/accounts/health", headers=factories.bearer_auth(account_data.project.write_key)
    )
    assert response.status_code == 403


def test_a_bad_status_is_refused_by_name(client: TestClient, account_data: AccountData) -> None:
    response = client.get(
        "/api/v1/accounts/health",
        params={"status": "blue"},
        headers=factories.secret_auth(account_data.project),
    )
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_weights_and_thresholds_change_the_status(client: TestClient, engine: Any) -> None:
    project = factories.create_project(engine)
    factories.ingest_messages(
        engine, project, factories.message("group", userId="u1", anonymousId=None, groupId="solo")
    )
    factories.update_project(
        client, project, {"health": {"thresholds": {"green": 10, "yellow": 5}}}
    )
    factories.update_project(client, project, {"health": {"weights": {"frequency": 0}}})
    body = health_of(client, project, **WINDOW)
    assert [(a["score"], a["status"]) for a in body["data"]] == [(0.0, "red")]
    settings = factories.admin_get(client, project, "/api/v1/project")["settings"]["health"]
    assert settings == {"thresholds": {"green": 10, "yellow": 5}, "weights": {"frequency": 0}}


@pytest.mark.parametrize(
    ("health", "field"),
    [
        ({"weights": {"frequency": -1}}, "weights"),
        (
            {"weights": {"frequency": 0, "breadth": 0, "depth": 0, "sentiment": 0}},
            "weights",
        ),
        ({"weights": {"loyalty": 1}}, "weights"),
        ({"thresholds": {"green": 40, "yellow": 70}}, "thresholds"),
        ({"thresholds": {"green": 80}}, "thresholds"),
        ({"key_features": ["A", "A"]}, "key_features"),
        ({"key_features": [""]}, "key_features"),
        ({"key_features": [f"Event {n}" for n in range(51)]}, "key_features"),
        ({"window_days": 0}, "window_days"),
        ({"colour": "red"}, "colour"),
    ],
    ids=[
        "negative",
        "all-zero",
        "unknown-weight",
        "inverted",
        "half",
        "repeated",
        "empty-event",
        "too-many-events",
        "window",
        "unknown",
    ],
)
def test_bad_health_settings_are_refused_by_name(
    client: TestClient, project: CreatedProject, health: dict[str, Any], field: str
) -> None:
    response = client.patch(
        "/api/v1/project",
        json={"settings": {"health": health}},
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]["settings"]["health"]
