"""One project never sees nor edits another's flows and surveys: to it they do not exist."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.experiences.helpers import delete, get, ok, patch


@pytest.fixture
def theirs(engine: Engine, other_project: CreatedProject) -> dict[str, Any]:
    """A survey of the other project."""
    return factories.create_survey(engine, other_project, name="Theirs")


def test_other_project_s_experience_is_not_found(
    client: TestClient, project: CreatedProject, theirs: dict[str, Any]
) -> None:
    assert get(client, project, f"/api/v1/surveys/{theirs['id']}").status_code == 404


def test_other_project_s_experience_is_not_listed(
    client: TestClient, project: CreatedProject, theirs: dict[str, Any]
) -> None:
    assert ok(get(client, project, "/api/v1/surveys"))["data"] == []


def test_other_project_s_version_is_not_found(
    client: TestClient, project: CreatedProject, theirs: dict[str, Any]
) -> None:
    path = f"/api/v1/surveys/{theirs['id']}/versions/1"
    assert get(client, project, path).status_code == 404


def test_other_project_s_experience_cannot_be_edited(
    client: TestClient, project: CreatedProject, theirs: dict[str, Any]
) -> None:
    response = patch(client, project, f"/api/v1/surveys/{theirs['id']}", {"name": "Mine"})
    assert response.status_code == 404


def test_refused_edit_leaves_the_owner_s_experience_unchanged(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    theirs: dict[str, Any],
) -> None:
    patch(client, project, f"/api/v1/surveys/{theirs['id']}", {"question": "Mine?"})
    assert ok(get(client, other_project, f"/api/v1/surveys/{theirs['id']}")) == theirs


def test_other_project_s_experience_cannot_be_archived(
    client: TestClient,
    project: CreatedProject,
    other_project: CreatedProject,
    theirs: dict[str, Any],
) -> None:
    assert delete(client, project, f"/api/v1/surveys/{theirs['id']}").status_code == 404
    assert ok(get(client, other_project, f"/api/v1/surveys/{theirs['id']}"))["status"] == "live"


def test_owner_still_sees_its_experience(
    client: TestClient, other_project: CreatedProject, theirs: dict[str, Any]
) -> None:
    assert [s["id"] for s in ok(get(client, other_project, "/api/v1/surveys"))["data"]] == [
        theirs["id"]
    ]
