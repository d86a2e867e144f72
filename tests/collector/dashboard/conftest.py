"""Dashboard users and signed-in clients over the shared app and database."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories

SESSION_PATH = "/dashboard/api/session"


@pytest.fixture
def member(engine: Engine, project: CreatedProject) -> str:
    """The email of a dashboard user who belongs to ``project`` only."""
    return factories.create_dashboard_user(engine, project)


@pytest.fixture
def signed_in(client: TestClient, member: str) -> dict[str, Any]:
    """``client`` signed in as ``member``; the session view with its CSRF token."""
    return factories.sign_in(client, member)


def session_headers(project: CreatedProject, view: dict[str, Any] | None = None) -> dict[str, str]:
    """What the web app sends: the project it acts on and, for changes, the CSRF token."""
    headers = {"X-Waypost-Project": str(project.id)}
    if view is not None:
        headers["X-CSRF-Token"] = view["csrf_token"]
    return headers


def sign_in_attempt(
    client: TestClient, email: str, password: str, **headers: str
) -> httpx2.Response:
    """``POST /dashboard/api/session``, whatever it answers."""
    return client.post(SESSION_PATH, json={"email": email, "password": password}, headers=headers)
