"""Dashboard sessions under the admin rate limit: counted per session with the
``secret_key`` limit of the project they name, refused with 429 and Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.app import create_app
from collector.kit.settings import Settings
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.ops.conftest import limited_client


@pytest.fixture
def session_client(
    settings: Settings, engine: Engine, project: CreatedProject
) -> Iterator[TestClient]:
    """Signed in as a member of ``project``, under two admin calls per second, bursts of two."""
    for client in limited_client(settings, rate_limit_secret_key=2, rate_limit_burst_seconds=1):
        factories.sign_in(client, factories.create_dashboard_user(engine, project))
        yield client


def read_project(client: TestClient, project: CreatedProject, count: int) -> httpx2.Response:
    """``count`` reads of the project as the dashboard makes them; the last answer."""
    headers = {"X-Waypost-Project": str(project.id)}
    responses = [client.get("/api/v1/project", headers=headers) for _ in range(count)]
    return responses[-1]


def test_a_session_past_the_limit_is_answered_429(
    session_client: TestClient, project: CreatedProject
) -> None:
    response = read_project(session_client, project, 3)
    assert response.status_code == 429
    assert response.json()["error"]["fields"] == {"limit": ["secret_key"]}


def test_a_sessions_refusal_says_when_to_retry_and_which_limit(
    session_client: TestClient, project: CreatedProject
) -> None:
    response = read_project(session_client, project, 3)
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-waypost-rate-limit"] == "secret_key"


def test_a_session_within_the_limit_is_answered(
    session_client: TestClient, project: CreatedProject
) -> None:
    assert read_project(session_client, project, 2).status_code == 200


def test_the_projects_own_limit_applies_to_its_sessions(
    session_client: TestClient, project: CreatedProject
) -> None:
    factories.update_project(session_client, project, {"rate_limits": {"secret_key": 100}})
    assert read_project(session_client, project, 6).status_code == 200


def test_each_session_has_a_bucket_of_its_own(
    engine: Engine, session_client: TestClient, project: CreatedProject
) -> None:
    read_project(session_client, project, 3)
    # Signing in again replaces the cookie: the same client, a new session.
    factories.sign_in(session_client, factories.create_dashboard_user(engine, project))
    assert read_project(session_client, project, 1).status_code == 200


def test_a_flooding_session_leaves_the_secret_key_alone(
    session_client: TestClient, project: CreatedProject
) -> None:
    read_project(session_client, project, 3)
    response = session_client.get("/api/v1/project", headers=factories.secret_auth(project))
    assert response.status_code == 200


def test_a_session_naming_no_project_is_limited_by_the_default(
    settings: Settings, engine: Engine, project: CreatedProject
) -> None:
    app = create_app(settings.replace(rate_limit_secret_key=1, rate_limit_burst_seconds=1))
    with TestClient(app) as client:
        factories.sign_in(client, factories.create_dashboard_user(engine, project))
        statuses = [client.get("/api/v1/project").status_code for _ in range(2)]
    assert statuses == [400, 429]
