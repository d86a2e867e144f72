"""Key rotation over HTTP: ``POST /api/v1/project/keys/rotate`` and ``GET /api/v1/project/keys``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.db.engine import read_transaction
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject, KeyInfo, list_keys
from tests import factories

ROTATE = "/api/v1/project/keys/rotate"
KEYS = "/api/v1/project/keys"
HOUR = 3600


def rotate(
    client: TestClient, headers: dict[str, str], kinds: list[str], grace: int | None = HOUR
) -> httpx2.Response:
    body: dict[str, Any] = {"kinds": kinds}
    if grace is not None:
        body["grace_seconds"] = grace
    return client.post(ROTATE, json=body, headers=headers)


def rotated(
    client: TestClient, project: CreatedProject, kinds: list[str], grace: int | None = HOUR
) -> dict[str, Any]:
    """A rotation with the project's secret key that must succeed; the new keys."""
    response = rotate(client, factories.secret_auth(project), kinds, grace)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ingests(client: TestClient, write_key: str) -> int:
    body = {"batch": [factories.track()]}
    return client.post("/v1/batch", json=body, headers=factories.basic_auth(write_key)).status_code


def reads_project(client: TestClient, secret_key: str) -> int:
    return client.get("/api/v1/project", headers=factories.bearer_auth(secret_key)).status_code


def listed(client: TestClient, project: CreatedProject) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = factories.admin_get(client, project, KEYS)["data"]
    return found


def audit(client: TestClient, project: CreatedProject) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = factories.admin_get(client, project, "/api/v1/audit")["data"]
    return found


# Rotating the write key


def test_a_rotated_write_key_is_new_and_ingests(
    client: TestClient, project: CreatedProject
) -> None:
    new_key = rotated(client, project, ["write"])["write_key"]
    assert new_key.startswith("wk_") and new_key != project.write_key
    assert ingests(client, new_key) == 200


def test_rotating_the_write_key_answers_no_secret_key(
    client: TestClient, project: CreatedProject
) -> None:
    assert "secret_key" not in rotated(client, project, ["write"])


def test_the_old_write_key_still_ingests_during_the_grace_period(
    client: TestClient, project: CreatedProject
) -> None:
    rotated(client, project, ["write"], grace=HOUR)
    assert ingests(client, project.write_key) == 200


def test_the_old_write_key_is_refused_once_the_grace_period_is_over(
    client: TestClient, project: CreatedProject
) -> None:
    rotated(client, project, ["write"], grace=0)
    assert ingests(client, project.write_key) == 401


def test_a_write_key_in_use_is_refused_by_the_next_request_once_rotated_out(
    client: TestClient, project: CreatedProject
) -> None:
    """The app remembers the key's owner from the first batch; the rotation forgets it."""
    assert ingests(client, project.write_key) == 200
    rotated(client, project, ["write"], grace=0)
    assert ingests(client, project.write_key) == 401


def test_the_answer_says_when_the_old_keys_stop(
    client: TestClient, project: CreatedProject
) -> None:
    before = datetime.now(UTC)
    answer = rotated(client, project, ["write"], grace=HOUR)
    expires = datetime.fromisoformat(answer["old_keys_expire_at"])
    assert before + timedelta(seconds=HOUR) <= expires <= datetime.now(UTC) + timedelta(hours=1)


def test_without_a_grace_period_the_installations_applies(
    settings: Settings, project: CreatedProject
) -> None:
    with TestClient(create_app(settings.replace(key_grace_seconds=600))) as client:
        before = datetime.now(UTC)
        answer = rotated(client, project, ["write"], grace=None)
    expires = datetime.fromisoformat(answer["old_keys_expire_at"])
    assert before + timedelta(seconds=600) <= expires <= datetime.now(UTC) + timedelta(seconds=600)


# Rotating the secret key


def test_rotating_the_secret_key_with_itself_keeps_the_caller_working(
    client: TestClient, project: CreatedProject
) -> None:
    rotated(client, project, ["secret"], grace=HOUR)
    assert reads_project(client, project.secret_key) == 200


def test_the_new_secret_key_works(client: TestClient, project: CreatedProject) -> None:
    new_key = rotated(client, project, ["secret"])["secret_key"]
    assert new_key.startswith("sk_")
    assert reads_project(client, new_key) == 200


def test_the_old_secret_key_is_refused_once_the_grace_period_is_over(
    client: TestClient, project: CreatedProject
) -> None:
    rotated(client, project, ["secret"], grace=0)
    assert reads_project(client, project.secret_key) == 401


def test_both_keys_rotate_at_once(client: TestClient, project: CreatedProject) -> None:
    answer = rotated(client, project, ["write", "secret"], grace=0)
    assert ingests(client, answer["write_key"]) == 200
    assert reads_project(client, answer["secret_key"]) == 200


# Listing


def test_the_listing_shows_each_current_key_by_its_prefix(
    client: TestClient, project: CreatedProject
) -> None:
    keys = {(key["kind"], key["prefix"], key["expires_at"]) for key in listed(client, project)}
    assert keys == {
        ("write", project.write_key[:12], None),
        ("secret", project.secret_key[:12], None),
    }


def test_the_listing_never_shows_a_secret_key(client: TestClient, project: CreatedProject) -> None:
    new_secret = rotated(client, project, ["secret"])["secret_key"]
    text = client.get(KEYS, headers=factories.bearer_auth(new_secret)).text
    assert project.secret_key not in text
    assert new_secret not in text


def test_a_rotated_out_key_is_listed_with_its_end(
    client: TestClient, project: CreatedProject
) -> None:
    answer = rotated(client, project, ["write"], grace=HOUR)
    ends = {key["prefix"]: key["expires_at"] for key in listed(client, project)}
    assert ends[project.write_key[:12]] == answer["old_keys_expire_at"]
    assert ends[answer["write_key"][:12]] is None


def test_an_expired_key_is_no_longer_listed(engine: Engine, project: CreatedProject) -> None:
    rotated_at = datetime(2026, 1, 1, tzinfo=UTC)
    factories.rotate_keys(engine, project, "write", now=rotated_at, grace=timedelta(hours=1))
    with read_transaction(engine) as connection:
        during = list_keys(connection, project.id, now=rotated_at + timedelta(minutes=59))
        after = list_keys(connection, project.id, now=rotated_at + timedelta(hours=1))
    old = project.write_key[:12]
    assert old in prefixes(during)
    assert old not in prefixes(after)


def prefixes(keys: list[KeyInfo]) -> list[str]:
    return [key.prefix for key in keys]


# Who may rotate


def test_another_projects_key_rotates_only_its_own_project(
    client: TestClient, project: CreatedProject, other_project: CreatedProject
) -> None:
    rotated(client, other_project, ["write", "secret"], grace=0)
    assert ingests(client, project.write_key) == 200
    assert reads_project(client, project.secret_key) == 200
    assert ingests(client, other_project.write_key) == 401


def test_a_write_key_may_not_rotate(client: TestClient, project: CreatedProject) -> None:
    response = rotate(client, factories.bearer_auth(project.write_key), ["write"])
    assert response.status_code == 403


def test_no_key_may_not_rotate(client: TestClient) -> None:
    assert rotate(client, {}, ["write"]).status_code == 401


def test_a_member_rotates_from_a_dashboard_session(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    view = factories.sign_in(client, factories.create_dashboard_user(engine, project))
    headers = {"X-Waypost-Project": str(project.id), "X-CSRF-Token": view["csrf_token"]}
    response = rotate(client, headers, ["write"], grace=0)
    assert response.status_code == 200, response.text
    assert ingests(client, response.json()["write_key"]) == 200


def test_a_session_without_its_csrf_token_may_not_rotate(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.sign_in(client, factories.create_dashboard_user(engine, project))
    response = rotate(client, {"X-Waypost-Project": str(project.id)}, ["write"])
    assert response.status_code == 403
    assert ingests(client, project.write_key) == 200


def test_a_non_member_session_may_not_rotate_another_project(
    client: TestClient, engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    view = factories.sign_in(client, factories.create_dashboard_user(engine, other_project))
    headers = {"X-Waypost-Project": str(project.id), "X-CSRF-Token": view["csrf_token"]}
    response = rotate(client, headers, ["write"], grace=0)
    assert response.status_code == 403
    assert ingests(client, project.write_key) == 200


# The audit log


def test_a_rotation_is_in_the_audit_log_with_the_key_that_made_it(
    client: TestClient, project: CreatedProject
) -> None:
    new_key = rotated(client, project, ["secret"], grace=0)["secret_key"]
    response = client.get("/api/v1/audit", headers=factories.bearer_auth(new_key))
    [entry] = response.json()["data"]
    assert (entry["action"], entry["actor"]) == ("keys.rotated", project.secret_key[:12])
    assert entry["details"]["kinds"] == ["secret"]


def test_a_rotation_is_recorded_once_and_without_the_keys(
    client: TestClient, project: CreatedProject
) -> None:
    answer = rotated(client, project, ["write"], grace=HOUR)
    entries = audit(client, project)
    assert [entry["action"] for entry in entries] == ["keys.rotated"]
    assert answer["write_key"] not in str(entries)


def test_a_session_rotation_is_recorded_with_the_users_email(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    email = factories.create_dashboard_user(engine, project)
    view = factories.sign_in(client, email)
    headers = {"X-Waypost-Project": str(project.id), "X-CSRF-Token": view["csrf_token"]}
    assert rotate(client, headers, ["write"]).status_code == 200
    [entry] = audit(client, project)
    assert entry["actor"] == email


def test_a_rotation_from_the_command_line_is_in_the_audit_log(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.rotate_keys(
        engine, project, "write", now=datetime.now(UTC), grace=timedelta(seconds=HOUR)
    )
    [entry] = audit(client, project)
    assert (entry["action"], entry["actor"]) == ("keys.rotated", "cli")


# Bad input


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kinds": ["read"]}, "kinds"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["write", "write"]}, "kinds"),
        ({"kinds": "write"}, "kinds"),
        ({}, "kinds"),
        ({"kinds": ["write"], "grace_seconds": -1}, "grace_seconds"),
        ({"kinds": ["write"], "grace_seconds": "60"}, "grace_seconds"),
        ({"kinds": ["write"], "grace_seconds": 10**12}, "grace_seconds"),
        ({"kinds": ["write"], "expires": 1}, "expires"),
    ],
)
def test_a_bad_rotation_is_refused_naming_the_field(
    client: TestClient, project: CreatedProject, body: dict[str, Any], field: str
) -> None:
    response = client.post(ROTATE, json=body, headers=factories.secret_auth(project))
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_a_refused_rotation_leaves_the_keys_alone(
    client: TestClient, project: CreatedProject
) -> None:
    client.post(ROTATE, json={"kinds": ["read"]}, headers=factories.secret_auth(project))
    assert all(key["expires_at"] is None for key in listed(client, project))


def test_a_body_that_is_not_an_object_is_refused(
    client: TestClient, project: CreatedProject
) -> None:
    response = client.post(ROTATE, json=["write"], headers=factories.secret_auth(project))
    assert response.status_code == 400
