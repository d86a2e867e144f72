"""Signing in and out of the dashboard: the cookie, the session view, the refusals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.dashboard.conftest import SESSION_PATH, sign_in_attempt


def test_signing_in_answers_the_users_projects_and_a_csrf_token(
    client: TestClient, member: str, project: CreatedProject
) -> None:
    view = factories.sign_in(client, member)
    assert view["email"] == member
    assert view["projects"] == [{"id": str(project.id), "name": project.name}]
    assert len(view["csrf_token"]) >= 32


def test_the_session_cookie_is_http_only_same_site_lax_and_expires(
    client: TestClient, member: str
) -> None:
    response = sign_in_attempt(client, member, factories.DASHBOARD_PASSWORD)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("waypost_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "max-age=43200" in cookie
    assert "path=/" in cookie


def test_the_session_cookie_is_secure_over_https(member: str, client: TestClient) -> None:
    with TestClient(client.app, base_url="https://testserver") as secure:
        response = sign_in_attempt(secure, member, factories.DASHBOARD_PASSWORD)
    assert "secure" in response.headers["set-cookie"].lower()


def test_the_session_view_is_read_back_with_the_cookie(
    client: TestClient, signed_in: dict[str, Any]
) -> None:
    response = client.get(SESSION_PATH)
    assert response.status_code == 200
    assert response.json() == signed_in


def test_without_a_cookie_the_session_view_is_401(client: TestClient) -> None:
    response = client.get(SESSION_PATH)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_required"


def test_a_wrong_password_is_401_without_a_cookie(client: TestClient, member: str) -> None:
    response = sign_in_attempt(client, member, "wrong password!")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "invalid_credentials",
        "message": "wrong email or password",
    }
    assert "set-cookie" not in response.headers


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(
    client: TestClient, member: str
) -> None:
    unknown = sign_in_attempt(client, "nobody@example.com", "wrong password!")
    wrong = sign_in_attempt(client, member, "wrong password!")
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_the_address_is_matched_whatever_its_case(client: TestClient, member: str) -> None:
    response = sign_in_attempt(client, member.upper(), factories.DASHBOARD_PASSWORD)
    assert response.status_code == 200


def test_a_missing_password_is_named(client: TestClient) -> None:
    response = client.post(SESSION_PATH, json={"email": "a@example.com"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"password": ["Missing data for required field."]}


def test_a_body_that_is_not_an_object_is_refused(client: TestClient) -> None:
    response = client.post(SESSION_PATH, json=["a@example.com"])
    assert response.status_code == 400


def test_a_form_post_cannot_sign_in(client: TestClient, member: str) -> None:
    response = client.post(
        SESSION_PATH, data={"email": member, "password": factories.DASHBOARD_PASSWORD}
    )
    assert response.status_code == 415


def test_signing_in_from_another_site_is_refused(client: TestClient, member: str) -> None:
    response = sign_in_attempt(
        client, member, factories.DASHBOARD_PASSWORD, origin="https://evil.example"
    )
    assert response.status_code == 403
    assert response.json()["error"]["fields"] == {"Origin": ["https://evil.example"]}


def test_signing_out_ends_the_session_even_for_a_kept_copy_of_the_cookie(
    client: TestClient, signed_in: dict[str, Any]
) -> None:
    kept = client.cookies["waypost_session"]
    response = client.delete(SESSION_PATH, headers={"X-CSRF-Token": signed_in["csrf_token"]})
    assert response.status_code == 204
    assert 'waypost_session=""' in response.headers["set-cookie"]
    client.cookies.set("waypost_session", kept)
    assert client.get(SESSION_PATH).status_code == 401


def test_signing_out_without_the_csrf_token_is_refused(
    client: TestClient, signed_in: dict[str, Any]
) -> None:
    response = client.delete(SESSION_PATH)
    assert response.status_code == 403
    assert client.get(SESSION_PATH).status_code == 200


def test_signing_out_without_a_session_is_401(client: TestClient) -> None:
    assert client.delete(SESSION_PATH).status_code == 401


def test_a_forged_cookie_is_refused(client: TestClient) -> None:
    client.cookies.set("waypost_session", "forged-token.AAAA.BBBB")
    assert client.get(SESSION_PATH).status_code == 401


def test_a_user_without_projects_signs_in_and_sees_none(client: TestClient, engine: Engine) -> None:
    view = factories.sign_in(client, factories.create_dashboard_user(engine))
    assert view["projects"] == []
