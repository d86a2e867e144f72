"""Identity verification: with it on, only the customer's server can say who a user is."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import (
    admin_get,
    define,
    message,
    report,
    reserved,
    tour,
    update_project,
    write_auth,
)


@pytest.fixture
def verified(client: TestClient, project: CreatedProject) -> dict[str, Any]:
    """A tour of a project that requires identity verification."""
    update_project(client, project, {"require_identity_verification": True})
    return define(client, project, "flow", tour())


def signed(client: TestClient, project: CreatedProject, user_id: str) -> str:
    """The identity hash the customer's server computes, as the docs show it."""
    secret = admin_get(client, project, "/api/v1/project")["identity_secret"]
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def ask(
    client: TestClient,
    project: CreatedProject,
    headers: dict[str, str] | None = None,
    **params: str,
) -> httpx2.Response:
    return client.get(
        "/v1/flows", params=params, headers={**write_auth(project), **(headers or {})}
    )


def assert_refused_naming(response: httpx2.Response, field: str) -> None:
    assert response.status_code == 403, response.text
    assert field in response.json()["error"]["fields"]


def test_user_id_without_a_hash_is_refused_naming_identity_hash(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    assert_refused_naming(ask(client, project, userId="user-1"), "identityHash")


@pytest.mark.parametrize(
    "wrong",
    ["", "0" * 64, "not hex", "é" * 64, "signature of user-2"],
    ids=["empty", "zeros", "not-hex", "not-ascii", "another-users"],
)
def test_user_id_with_a_wrong_hash_is_refused_naming_identity_hash(
    client: TestClient, project: CreatedProject, verified: dict[str, Any], wrong: str
) -> None:
    if wrong == "signature of user-2":
        wrong = signed(client, project, "user-2")
    response = ask(client, project, userId="user-1", identityHash=wrong)
    assert_refused_naming(response, "identityHash")


def test_hash_keyed_with_another_projects_secret_is_refused(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    verified: dict[str, Any],
) -> None:
    response = ask(
        client, project, userId="user-1", identityHash=signed(client, other_project, "user-1")
    )
    assert_refused_naming(response, "identityHash")


def test_valid_hash_in_the_query_is_accepted(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    response = ask(client, project, userId="user-1", identityHash=signed(client, project, "user-1"))
    assert response.status_code == 200, response.text
    assert [flow["id"] for flow in response.json()["flows"]] == [verified["id"]]


def test_valid_hash_in_the_header_is_accepted(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    header = {"X-Waypost-Identity-Hash": signed(client, project, "user-1")}
    assert ask(client, project, header, userId="user-1").status_code == 200


def test_header_that_is_not_ascii_is_refused_naming_identity_hash(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    response = client.get(
        "/v1/flows",
        params={"userId": "user-1"},
        headers={
            b"X-Waypost-Identity-Hash": "é".encode() * 32,
            **{name.encode(): value.encode() for name, value in write_auth(project).items()},
        },
    )
    assert_refused_naming(response, "identityHash")


def test_valid_hash_in_upper_case_is_accepted(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    digest = signed(client, project, "user-1").upper()
    assert ask(client, project, userId="user-1", identityHash=digest).status_code == 200


def test_anonymous_id_of_an_identified_person_is_refused(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    report(client, project, message("identify", userId="user-1", anonymousId="anon-1"))
    assert_refused_naming(ask(client, project, anonymousId="anon-1"), "userId")


def test_fresh_anonymous_id_is_accepted(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    response = ask(client, project, anonymousId="anon-new")
    assert response.status_code == 200, response.text
    assert [flow["id"] for flow in response.json()["flows"]] == [verified["id"]]


def test_anonymous_id_of_an_anonymous_visitor_is_accepted(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    report(client, project, message("page", anonymousId="anon-2"))
    assert ask(client, project, anonymousId="anon-2").status_code == 200


def test_without_verification_a_user_id_needs_no_hash(
    client: TestClient, project: CreatedProject
) -> None:
    assert ask(client, project, userId="user-1").status_code == 200


def test_turning_verification_off_again_accepts_a_user_id_alone(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    update_project(client, project, {"require_identity_verification": False})
    assert ask(client, project, userId="user-1").status_code == 200


def test_an_answer_as_a_user_without_their_hash_is_rejected_and_not_stored(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    answer = reserved("Flow Started", verified)
    body = report(client, project, answer)
    assert body["accepted"] == 0
    assert set(body["rejected"][0]["errors"]) == {"context.identityHash"}


def test_an_answer_carrying_the_users_hash_is_stored(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    answer = reserved(
        "Flow Started", verified, context={"identityHash": signed(client, project, "user-1")}
    )
    assert report(client, project, answer)["accepted"] == 1


def test_an_answer_signed_for_another_user_is_rejected(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    answer = reserved(
        "Flow Started", verified, context={"identityHash": signed(client, project, "user-2")}
    )
    assert report(client, project, answer)["accepted"] == 0


def test_an_anonymous_answer_needs_no_hash(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    answer = reserved("Flow Started", verified, userId=None, anonymousId="fresh-visitor")
    assert report(client, project, answer)["accepted"] == 1


def test_ordinary_events_need_no_hash(
    client: TestClient, project: CreatedProject, verified: dict[str, Any]
) -> None:
    assert report(client, project, message("track", userId="user-1"))["accepted"] == 1
