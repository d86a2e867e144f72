"""A signed-in session stands in for the secret key on the admin API, for member projects
only, and changes need the session's CSRF token."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.dashboard.conftest import session_headers

THROTTLE = {"settings": {"throttle": {"max_per_session": 2}}}


def test_a_session_reads_its_project_through_the_admin_api(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject
) -> None:
    response = client.get("/api/v1/project", headers=session_headers(project))
    assert response.status_code == 200
    assert response.json()["id"] == str(project.id)


def test_a_session_never_receives_the_identity_secret(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject
) -> None:
    read = client.get("/api/v1/project", headers=session_headers(project))
    changed = client.patch(
        "/api/v1/project", json=THROTTLE, headers=session_headers(project, signed_in)
    )
    assert "identity_secret" not in read.json()
    assert "identity_secret" not in changed.json()


def test_a_session_without_membership_is_403(
    client: TestClient, signed_in: dict[str, Any], other_project: CreatedProject
) -> None:
    response = client.get("/api/v1/project", headers=session_headers(other_project))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "you are not a member of this project"


def test_a_session_that_names_no_project_is_told_which_header(
    client: TestClient, signed_in: dict[str, Any]
) -> None:
    response = client.get("/api/v1/project")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "X-Waypost-Project": ["must be the id of one of your projects"]
    }


def test_a_change_with_the_csrf_token_is_made(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject
) -> None:
    response = client.patch(
        "/api/v1/project", json=THROTTLE, headers=session_headers(project, signed_in)
    )
    assert response.status_code == 200
    assert response.json()["settings"]["throttle"]["max_per_session"] == 2


def test_a_change_without_the_csrf_token_is_refused(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject
) -> None:
    response = client.patch("/api/v1/project", json=THROTTLE, headers=session_headers(project))
    assert response.status_code == 403
    assert response.json()["error"]["fields"] == {
        "X-CSRF-Token": ["must be the token of the signed-in session"]
    }


def test_a_change_with_another_sessions_csrf_token_is_refused(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject, engine: Engine
) -> None:
    with TestClient(client.app) as other_browser:
        other = factories.sign_in(other_browser, factories.create_dashboard_user(engine, project))
    response = client.patch(
        "/api/v1/project", json=THROTTLE, headers=session_headers(project, other)
    )
    assert response.status_code == 403


def test_a_cross_site_form_post_is_refused(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject
) -> None:
    """What a page on another site can make a browser send: the cookie, a form, no token."""
    response = client.post(
        "/api/v1/surveys",
        data={"name": "Hijacked", "type": "nps"},
        headers={**session_headers(project), "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    listed = client.get("/api/v1/surveys", headers=session_headers(project)).json()["data"]
    assert [survey["name"] for survey in listed] == []


def test_the_secret_key_works_as_before_beside_a_session_cookie(
    client: TestClient, signed_in: dict[str, Any], other_project: CreatedProject
) -> None:
    response = client.get("/api/v1/project", headers=factories.secret_auth(other_project))
    assert response.status_code == 200
    assert response.json()["id"] == str(other_project.id)


def test_an_ended_session_is_401_on_the_admin_api(
    client: TestClient, signed_in: dict[str, Any], project: CreatedProject
) -> None:
    kept = client.cookies["waypost_session"]
    client.delete("/dashboard/api/session", headers={"X-CSRF-Token": signed_in["csrf_token"]})
    client.cookies.set("waypost_session", kept)
    response = client.get("/api/v1/project", headers=session_headers(project))
    assert response.status_code == 401


def test_without_key_or_session_the_admin_api_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/project").status_code == 401
