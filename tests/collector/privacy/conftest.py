"""Shared helpers of the privacy tests: a person with a history, erasure and export calls."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories


def erase(
    client: TestClient, project: CreatedProject, person: str, **params: str
) -> httpx2.Response:
    return client.delete(
        f"/api/v1/persons/{person}", params=params, headers=factories.secret_auth(project)
    )


def export(client: TestClient, project: CreatedProject, person: str) -> httpx2.Response:
    return client.get(f"/api/v1/persons/{person}/export", headers=factories.secret_auth(project))


def events_of(client: TestClient, project: CreatedProject) -> list[dict[str, Any]]:
    return factories.stored_events(client, project)


def history(user_id: str = "user-1", anonymous_id: str = "anon-1") -> list[dict[str, Any]]:
    """An anonymous visit, a sign-up that links it, traits, an account, a later event."""
    return [
        factories.track("Page Viewed", anonymousId=anonymous_id, userId=None),
        factories.message("identify", userId=user_id, anonymousId=anonymous_id),
        factories.message("group", userId=user_id, anonymousId=None),
        factories.track("Report Created", userId=user_id, anonymousId=None),
    ]


@pytest.fixture
def known_person(client: TestClient, project: CreatedProject) -> str:
    """``user-1`` (once ``anon-1``) with four events, traits and an account."""
    assert factories.report(client, project, *history())["accepted"] == 4
    return "user-1"
