"""No key of one project reaches another project's data, on any route.

The routes are read from the application's route table, so a route added later is walked
too: every route with a path parameter is called with project A's keys and each of
project B's ids (persons, flows, surveys, and whatever B's listings show), and must be
refused exactly as it is for an id that exists nowhere (mostly 404; a route that
validates its body first refuses both alike). A route without a path parameter carries
no id to misuse and must be named in ``NO_PROJECT_ID`` (its queries are covered by their
own tests); a new one fails here until someone decides it belongs there.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from collector.kit.settings import Settings
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.test_openapi import routes_of

NO_PROJECT_ID = {
    "/health",
    "/ready",
    "/metrics",
    "/openapi.json",
    *(f"/v1/{call}" for call in ("batch", "track", "identify", "group", "page", "screen", "alias")),
    "/v1/flows",
    "/api/v1/events",
    "/api/v1/flows",
    "/api/v1/surveys",
    "/api/v1/project",
    "/api/v1/project/keys",
    "/api/v1/project/keys/rotate",
    "/api/v1/audit",
    "/api/v1/accounts/health",
    "/api/v1/accounts/at-risk",
    "/api/v1/accounts/churn",
    "/api/v1/webhooks/event-types",
    "/api/v1/webhooks/endpoints",
    "/api/v1/webhooks/messages",
    "/api/v1/analytics/funnel",
    "/api/v1/analytics/funnel/persons",
    "/api/v1/analytics/ttv",
    "/api/v1/analytics/retention",
    "/api/v1/analytics/funnels",
    "/dashboard",
    "/dashboard/api/session",
    "/dashboard/{page}",
}
"""Routes whose path names no object of a project."""
CONTROLS = {
    "/api/v1/persons/{id}",
    "/api/v1/flows/{id}",
    "/api/v1/surveys/{id}",
    "/api/v1/accounts/{id}",
    "/api/v1/analytics/funnels/{id}",
}
"""Routes B's own key must read with one of B's ids: proof the ids are real."""
FIXED_PARAMETERS = {"version": "1"}
NOWHERE = "00000000-0000-4000-8000-00000000dead"
_PARAMETER = re.compile(r"\{(\w+)\}")


@pytest.fixture
def settings(db_url: str) -> Settings:
    """The walk makes hundreds of admin calls: no rate limit in the way."""
    return Settings(database_url=db_url, db_pool_size=5, rate_limit_secret_key=0)


def scoped_routes(app: Starlette) -> Iterator[tuple[str, str]]:
    for path, method in routes_of(app.routes):
        if "{" in path and path not in NO_PROJECT_ID:
            yield path, method


def listed_ids(client: TestClient, owner: CreatedProject, app: Starlette) -> set[str]:
    """Every ``id`` in the answers of owner's parameterless admin listings."""
    found: set[str] = set()
    for path, method in routes_of(app.routes):
        if method != "get" or not path.startswith("/api/") or "{" in path:
            continue
        answer = client.get(path, headers=factories.secret_auth(owner))
        data = answer.json().get("data") if answer.status_code == 200 else None
        if isinstance(data, list):
            found |= {str(item["id"]) for item in data if isinstance(item, dict) and "id" in item}
    return found


@pytest.fixture
def victim_ids(client: TestClient, app: Starlette, other_project: CreatedProject) -> list[str]:
    """Project B (``other_project``) with a person, a flow, a survey and an answer."""
    factories.lift_project_caps(client, other_project)
    flow = factories.define(client, other_project, "flow", factories.tour())
    survey = factories.define(client, other_project, "survey", factories.nps())
    factories.report(
        client,
        other_project,
        factories.message("identify", userId="user-b", anonymousId="anon-b"),
        factories.reserved("Survey Responded", survey, {"score": 2}, userId="user-b"),
    )
    person = factories.admin_get(client, other_project, "/api/v1/persons/user-b")
    return sorted(
        {"user-b", "anon-b", str(person["id"]), flow["id"], survey["id"]}
        | account_and_funnel_ids(client, other_project)
        | listed_ids(client, other_project, app)
    )


def account_and_funnel_ids(client: TestClient, owner: CreatedProject) -> set[str]:
    """An account of owner's (listings name it ``account_id``) and a saved funnel."""
    factories.report(
        client, owner, factories.message("group", userId="user-b", groupId="b-corp", traits={})
    )
    funnel = client.post(
        "/api/v1/analytics/funnels",
        json={"name": "B's funnel", "definition": {"steps": ["a", "b"]}},
        headers=factories.secret_auth(owner),
    )
    assert funnel.status_code == 201, funnel.text
    accounts = factories.admin_get(client, owner, "/api/v1/accounts/health")["data"]
    return {str(funnel.json()["id"])} | {str(entry["account_id"]) for entry in accounts}


def lookalike(candidate: str) -> str:
    """An id of the same form (a UUID, or a text id) that no project has."""
    try:
        uuid.UUID(candidate)
    except ValueError:
        return "nobody-anywhere"
    return NOWHERE


def concrete(path: str, candidate: str) -> str:
    return _PARAMETER.sub(lambda m: FIXED_PARAMETERS.get(m.group(1), candidate), path)


def call(client: TestClient, method: str, path: str, project: CreatedProject) -> httpx2.Response:
    headers = (
        factories.write_auth(project) if path.startswith("/v1/") else factories.secret_auth(project)
    )
    body: dict[str, Any] | None = {} if method in ("post", "patch", "put") else None
    return client.request(method.upper(), path, headers=headers, json=body)


def test_every_route_either_names_an_object_or_is_listed(app: Starlette) -> None:
    unlisted = [(p, m) for p, m in routes_of(app.routes) if "{" not in p and p not in NO_PROJECT_ID]
    assert unlisted == []


def test_the_ids_of_project_b_are_real(
    client: TestClient, other_project: CreatedProject, victim_ids: list[str]
) -> None:
    for path in sorted(CONTROLS):
        statuses = {
            call(client, "get", concrete(path, i), other_project).status_code for i in victim_ids
        }
        assert 200 in statuses, path


def refusal(response: httpx2.Response) -> tuple[int, Any]:
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else None
    )
    return response.status_code, (body or {}).get("error", {}).get("code")


def test_project_a_keys_never_reach_project_b_objects(
    client: TestClient, app: Starlette, project: CreatedProject, victim_ids: list[str]
) -> None:
    leaks = []
    for path, method in scoped_routes(app):
        for candidate in victim_ids:
            answer = refusal(call(client, method, concrete(path, candidate), project))
            nowhere = refusal(call(client, method, concrete(path, lookalike(candidate)), project))
            if answer[0] < 400 or answer != nowhere:
                leaks.append((method, path, candidate, answer, nowhere))
    assert leaks == []


def test_project_a_cannot_read_project_b_events_by_person(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    victim_ids: list[str],
) -> None:
    person = factories.admin_get(client, other_project, "/api/v1/persons/user-b")["id"]
    page = factories.admin_get(client, project, "/api/v1/events", personId=str(person))
    assert page["data"] == []
