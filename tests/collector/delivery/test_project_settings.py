"""``GET`` and ``PATCH /api/v1/project``: the settings delivery reads, and the identity secret."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    admin_get,
    bearer_auth,
    define,
    delivered_ids,
    secret_auth,
    tour,
    update_project,
    write_auth,
)


def patch(client: TestClient, project: CreatedProject, body: Any) -> httpx2.Response:
    return client.patch("/api/v1/project", json=body, headers=secret_auth(project))


def refused_fields(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    fields: dict[str, Any] = response.json()["error"]["fields"]
    return fields


def test_project_shows_its_name_settings_and_identity_secret(
    client: TestClient, project: CreatedProject
) -> None:
    shown = admin_get(client, project, "/api/v1/project")
    assert {key: shown[key] for key in ("id", "name", "settings", "identity_secret")} == {
        "id": str(project.id),
        "name": project.name,
        "settings": {},
        "identity_secret": project.identity_secret,
    }


def test_project_shows_the_health_settings_that_apply_by_default(
    client: TestClient, project: CreatedProject
) -> None:
    defaults = admin_get(client, project, "/api/v1/project")["defaults"]["health"]
    assert defaults["thresholds"] == {"green": 70, "yellow": 40}
    assert sum(defaults["weights"].values()) == pytest.approx(1)
    assert defaults["window_days"] == 30


def test_project_never_shows_its_keys(client: TestClient, project: CreatedProject) -> None:
    text = client.get("/api/v1/project", headers=secret_auth(project)).text
    assert project.secret_key not in text
    assert project.write_key not in text


def test_each_project_shows_its_own_details(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    assert admin_get(client, other_project, "/api/v1/project")["id"] == str(other_project.id)


def test_patch_answers_the_updated_project(client: TestClient, project: CreatedProject) -> None:
    updated = update_project(client, project, {"require_identity_verification": True})
    assert updated["settings"] == {"require_identity_verification": True}
    assert admin_get(client, project, "/api/v1/project")["settings"] == updated["settings"]


def test_throttle_merges_key_by_key(client: TestClient, project: CreatedProject) -> None:
    update_project(client, project, {"throttle": {"max_per_session": 2, "max_per_day": 5}})
    updated = update_project(client, project, {"throttle": {"max_per_day": 3}})
    assert updated["settings"]["throttle"] == {"max_per_session": 2, "max_per_day": 3}


def test_null_removes_a_cap(client: TestClient, project: CreatedProject) -> None:
    updated = update_project(client, project, {"throttle": {"max_per_session": None}})
    assert updated["settings"]["throttle"] == {"max_per_session": None}


def test_settings_not_named_are_kept(client: TestClient, project: CreatedProject) -> None:
    update_project(client, project, {"require_identity_verification": True})
    updated = update_project(client, project, {"throttle": {"survey_gap_days": 7}})
    assert updated["settings"] == {
        "require_identity_verification": True,
        "throttle": {"survey_gap_days": 7},
    }


def test_lifted_session_cap_is_what_delivery_reads(
    client: TestClient, project: CreatedProject
) -> None:
    define(client, project, "flow", tour(name="One"))
    define(client, project, "flow", tour(name="Two"))
    update_project(client, project, {"throttle": {"max_per_session": None}})
    assert len(delivered_ids(client, project, userId="user-1")) == 2


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"settings": {"colour": "blue"}}, ("settings", "colour")),
        ({"settings": {"throttle": {"max_per_week": 3}}}, ("settings", "throttle", "max_per_week")),
        ({"settings": {}, "name": "Renamed"}, ("name",)),
    ],
    ids=["setting", "throttle-key", "top-level"],
)
def test_unknown_keys_are_refused_naming_them(
    client: TestClient, project: CreatedProject, body: dict[str, Any], path: tuple[str, ...]
) -> None:
    node: Any = refused_fields(patch(client, project, body))
    for key in path:
        node = node[key]
    assert node


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ({"require_identity_verification": "yes"}, ("require_identity_verification",)),
        ({"require_identity_verification": 1}, ("require_identity_verification",)),
        ({"require_identity_verification": None}, ("require_identity_verification",)),
        ({"throttle": {"max_per_session": "2"}}, ("throttle", "max_per_session")),
        ({"throttle": {"max_per_session": 1.5}}, ("throttle", "max_per_session")),
        ({"throttle": {"max_per_day": True}}, ("throttle", "max_per_day")),
        ({"throttle": {"max_per_day": -1}}, ("throttle", "max_per_day")),
        ({"throttle": {"survey_gap_days": 100_000}}, ("throttle", "survey_gap_days")),
        ({"throttle": []}, ("throttle",)),
        ({"throttle": None}, ("throttle",)),
    ],
)
def test_wrong_types_are_refused_naming_the_field(
    client: TestClient, project: CreatedProject, given: dict[str, Any], path: tuple[str, ...]
) -> None:
    node: Any = refused_fields(patch(client, project, {"settings": given}))["settings"]
    for key in path:
        node = node[key]
    assert node


def test_refused_patch_changes_nothing(client: TestClient, project: CreatedProject) -> None:
    update_project(client, project, {"throttle": {"max_per_day": 5}})
    patch(client, project, {"settings": {"throttle": {"max_per_day": 1, "max_per_week": 3}}})
    assert admin_get(client, project, "/api/v1/project")["settings"] == {
        "throttle": {"max_per_day": 5}
    }


@pytest.mark.parametrize("body", [{}, {"settings": None}, [], "settings"])
def test_body_without_a_settings_object_is_refused(
    client: TestClient, project: CreatedProject, body: Any
) -> None:
    response = patch(client, project, body)
    assert response.status_code in (400, 422), response.text


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_write_key_is_forbidden(client: TestClient, project: CreatedProject, method: str) -> None:
    response = client.request(
        method,
        "/api/v1/project",
        json={"settings": {"require_identity_verification": False}},
        headers=bearer_auth(project.write_key),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_write_key_in_basic_auth_is_unauthorised(
    client: TestClient, project: CreatedProject
) -> None:
    assert client.get("/api/v1/project", headers=write_auth(project)).status_code == 401


def test_missing_key_is_unauthorised(client: TestClient) -> None:
    assert client.get("/api/v1/project").status_code == 401
