"""``/api/v1/webhooks/endpoints``: create, read, change, remove, rotate the secret; every
refusal names its field, and no project reaches another's endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from collector.kit.webhook_settings import WebhookSettings
from collector.projects.service import CreatedProject
from tests.collector.webhooks.conftest import create_endpoint
from tests.factories import bearer_auth, secret_auth

BASE = "/api/v1/webhooks/endpoints"
CRM = "https://crm.example.com/hooks"
SECRET_FIELDS = {"secret", "previous_secret"}


@pytest.fixture
def hook_settings() -> WebhookSettings:
    """A production installation: https only, nothing private."""
    return WebhookSettings()


def test_creating_an_endpoint_answers_its_whsec_secret(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM, description="HubSpot")
    assert created["secret"].startswith("whsec_")
    assert created["url"] == CRM
    assert created["description"] == "HubSpot"
    assert created["enabled"] is True
    assert created["event_types"] == ["survey.responded"]


def test_an_endpoint_answers_its_failures_in_a_row(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM)
    shown = client.get(f"{BASE}/{created['id']}", headers=secret_auth(project)).json()
    assert shown["failed_in_row"] == 0


def test_payloads_carry_email_and_name_unless_other_traits_are_chosen(
    client: TestClient, project: CreatedProject
) -> None:
    assert create_endpoint(client, project, CRM)["traits"] == {
        "person": ["email", "name"],
        "account": ["name", "plan"],
    }
    chosen = create_endpoint(client, project, CRM, traits={"person": ["email", "company"]})
    assert chosen["traits"] == {"person": ["email", "company"]}


def test_the_secret_is_never_shown_again(client: TestClient, project: CreatedProject) -> None:
    created = create_endpoint(client, project, CRM)
    shown = client.get(f"{BASE}/{created['id']}", headers=secret_auth(project))
    listed = client.get(BASE, headers=secret_auth(project))
    assert created["secret"] not in shown.text + listed.text
    assert not SECRET_FIELDS & set(shown.json())


def test_endpoints_are_listed_oldest_first(client: TestClient, project: CreatedProject) -> None:
    first = create_endpoint(client, project, CRM)
    second = create_endpoint(client, project, "https://bot.example.com/")
    listed = client.get(BASE, headers=secret_auth(project)).json()["data"]
    assert [e["id"] for e in listed] == [first["id"], second["id"]]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"event_types": ["survey.responded"]}, "url", "Missing data"),
        ({"url": CRM}, "event_types", "Missing data"),
        ({"url": CRM, "event_types": []}, "event_types", "Shorter than minimum"),
        ({"url": CRM, "event_types": ["survey.sent"]}, "event_types", "Must be one of"),
        ({"url": "http://crm.example.com", "event_types": ["flow.completed"]}, "url", "https"),
        ({"url": "https://10.0.0.1/", "event_types": ["flow.completed"]}, "url", "private"),
        ({"url": CRM, "event_types": ["event.tracked"]}, "tracked_events", "name the track"),
        (
            {"url": CRM, "event_types": ["survey.responded"], "filter": "score <="},
            "filter",
            "expected a value at position 8",
        ),
        ({"url": CRM, "event_types": ["flow.completed"], "colour": "red"}, "colour", "Unknown"),
        ({"url": CRM, "event_types": ["flow.completed"], "enabled": "yes"}, "enabled", ""),
    ],
)
def test_invalid_endpoints_are_refused_naming_the_field(
    client: TestClient, project: CreatedProject, body: dict[str, Any], field: str, reason: str
) -> None:
    response = client.post(BASE, json=body, headers=secret_auth(project))
    assert response.status_code == 422, response.text
    assert reason in str(response.json()["error"]["fields"][field])


def test_a_body_that_is_not_an_object_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.post(BASE, json=[CRM], headers=secret_auth(project))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"


def test_changing_an_endpoint_keeps_what_is_not_named(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM, description="HubSpot")
    response = client.patch(
        f"{BASE}/{created['id']}",
        json={"filter": "survey_type = nps and score <= 6", "event_types": ["survey.detractor"]},
        headers=secret_auth(project),
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["filter"] == "survey_type = nps and score <= 6"
    assert changed["event_types"] == ["survey.detractor"]
    assert changed["description"] == "HubSpot"


def test_a_change_that_leaves_event_tracked_without_names_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM)
    response = client.patch(
        f"{BASE}/{created['id']}",
        json={"event_types": ["event.tracked"]},
        headers=secret_auth(project),
    )
    assert response.status_code == 422
    assert "tracked_events" in response.json()["error"]["fields"]


def test_disabling_and_enabling_an_endpoint(client: TestClient, project: CreatedProject) -> None:
    created = create_endpoint(client, project, CRM)
    url = f"{BASE}/{created['id']}"
    disabled = client.patch(url, json={"enabled": False}, headers=secret_auth(project)).json()
    assert (disabled["enabled"], disabled["disabled_reason"]) == (False, "disabled through the API")
    enabled = client.patch(url, json={"enabled": True}, headers=secret_auth(project)).json()
    assert (enabled["enabled"], enabled["disabled_reason"]) == (True, None)


def test_removing_an_endpoint(client: TestClient, project: CreatedProject) -> None:
    created = create_endpoint(client, project, CRM)
    url = f"{BASE}/{created['id']}"
    assert client.delete(url, headers=secret_auth(project)).status_code == 204
    assert client.get(url, headers=secret_auth(project)).status_code == 404


def test_rotating_answers_a_new_secret_and_when_the_old_one_stops(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM)
    response = client.post(
        f"{BASE}/{created['id']}/rotate-secret",
        json={"grace_seconds": 3600},
        headers=secret_auth(project),
    )
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    shown = client.get(f"{BASE}/{created['id']}", headers=secret_auth(project)).json()
    assert shown["previous_secret_expires_at"] == rotated["previous_secret_expires_at"]


def test_rotating_without_a_body_keeps_the_old_secret_a_day(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM)
    response = client.post(f"{BASE}/{created['id']}/rotate-secret", headers=secret_auth(project))
    assert response.status_code == 200
    assert response.json()["previous_secret_expires_at"] is not None


def test_rotating_with_no_grace_ends_the_old_secret_at_once(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM)
    response = client.post(
        f"{BASE}/{created['id']}/rotate-secret",
        json={"grace_seconds": 0},
        headers=secret_auth(project),
    )
    assert response.json()["previous_secret_expires_at"] is None


def test_a_grace_period_longer_than_a_week_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    created = create_endpoint(client, project, CRM)
    response = client.post(
        f"{BASE}/{created['id']}/rotate-secret",
        json={"grace_seconds": 8 * 86400},
        headers=secret_auth(project),
    )
    assert response.status_code == 422
    assert "grace_seconds" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "/rotate-secret"),
        ("post", "/replay?since=2026-01-01T00:00:00Z"),
    ],
)
def test_another_projects_endpoint_is_not_found(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    method: str,
    suffix: str,
) -> None:
    created = create_endpoint(client, project, CRM)
    kwargs: dict[str, Any] = {"json": {}} if method == "patch" else {}
    response = client.request(
        method, f"{BASE}/{created['id']}{suffix}", headers=secret_auth(other_project), **kwargs
    )
    assert response.status_code == 404
    assert client.get(BASE, headers=secret_auth(other_project)).json()["data"] == []


def test_an_id_that_is_not_a_uuid_is_not_found(client: TestClient, project: CreatedProject) -> None:
    response = client.get(f"{BASE}/not-a-uuid", headers=secret_auth(project))
    assert response.status_code == 404


def test_the_write_key_cannot_manage_webhooks(client: TestClient, project: CreatedProject) -> None:
    response = client.get(BASE, headers=bearer_auth(project.write_key))
    assert response.status_code == 403


def test_no_key_cannot_manage_webhooks(client: TestClient) -> None:
    assert client.get(BASE).status_code == 401


def test_the_catalogue_lists_every_event_type_with_its_version(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.get("/api/v1/webhooks/event-types", headers=secret_auth(project))
    types = {entry["type"]: entry["version"] for entry in response.json()["data"]}
    assert types == {
        "survey.responded": 1,
        "survey.detractor": 1,
        "flow.completed": 1,
        "flow.dismissed": 1,
        "checklist.completed": 1,
        "person.identified": 1,
        "account.health_changed": 1,
        "event.tracked": 1,
    }
