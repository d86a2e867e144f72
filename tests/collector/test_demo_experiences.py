"""The demo project's experiences: what the demo SaaS app shows, on which of its pages."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.demo.experiences import seed_demo_experiences
from collector.projects.service import CreatedProject
from tests.factories import admin_get, flows_for


def names(client: TestClient, project: CreatedProject, url: str) -> list[str]:
    body = flows_for(client, project, userId="visitor", url=url, sessionId="s1")
    return [entry["name"] for entry in [*body["flows"], *body["surveys"]]]


def test_a_new_visitor_is_offered_the_tour_the_checklist_and_the_survey(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    seed_demo_experiences(engine, project.id, now=datetime.now(UTC))
    assert names(client, project, "http://127.0.0.1:8001/") == [
        "Welcome tour",
        "Get started",
        "NPS",
    ]


def test_the_survey_waits_for_the_team_page(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    seed_demo_experiences(engine, project.id, now=datetime.now(UTC))
    [survey] = flows_for(client, project, userId="visitor")["surveys"]
    assert survey["trigger"] == {"type": "page_load", "url": "/team"}


def test_seeding_again_creates_nothing_new(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    seed_demo_experiences(engine, project.id, now=datetime.now(UTC))
    seed_demo_experiences(engine, project.id, now=datetime.now(UTC))
    flows = admin_get(client, project, "/api/v1/flows")["data"]
    surveys = admin_get(client, project, "/api/v1/surveys")["data"]
    assert sorted(entry["name"] for entry in flows + surveys) == [
        "Get started",
        "NPS",
        "Welcome tour",
    ]


def test_demo_project_shows_every_experience_in_one_visit(
    engine: Engine, client: TestClient, project: CreatedProject
) -> None:
    seed_demo_experiences(engine, project.id, now=datetime.now(UTC))
    throttle = admin_get(client, project, "/api/v1/project")["settings"]["throttle"]
    assert (throttle["max_per_session"], throttle["survey_gap_days"]) == (None, None)
