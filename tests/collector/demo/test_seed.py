"""Seeding the demo project on SQLite and PostgreSQL, and ``waypost demo --persons``."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.cli import main
from collector.demo.experiences import seed_demo_experiences
from collector.demo.population import DemoSize
from collector.demo.seed import DEMO_SURVEYS, ensure_demo_user, seed_population
from collector.projects.service import CreatedProject
from tests import factories

NOW = datetime.now(UTC)
TINY = DemoSize(persons=12, accounts=3)


def test_every_demo_message_is_accepted(engine: Engine, project: CreatedProject) -> None:
    seeded = seed_population(engine, project.id, now=NOW, size=TINY)
    assert seeded.rejected == []
    assert seeded.accepted > TINY.persons * 3


def test_the_demo_checklist_is_completed_by_some_and_left_half_done_by_others(
    engine: Engine, client: TestClient
) -> None:
    project = factories.create_project(engine)
    seed_demo_experiences(engine, project.id, now=NOW)
    seed_population(engine, project.id, now=NOW, size=DemoSize(persons=60, accounts=6))
    [checklist] = [
        flow
        for flow in factories.admin_get(client, project, "/api/v1/flows")["data"]
        if flow["type"] == "checklist"
    ]
    path = f"/api/v1/flows/{checklist['id']}/progress"
    summary = factories.admin_get(client, project, path)["summary"]
    assert summary.get("completed", 0) > 0
    assert summary.get("in_progress", 0) > 0


def test_a_survey_of_each_type_is_created_when_missing(
    engine: Engine, project: CreatedProject, client: TestClient
) -> None:
    seed_population(engine, project.id, now=NOW, size=TINY)
    surveys = factories.admin_get(client, project, "/api/v1/surveys")["data"]
    assert sorted(s["type"] for s in surveys) == sorted(DEMO_SURVEYS)


def test_the_projects_own_live_survey_is_answered_rather_than_a_new_one(
    engine: Engine, project: CreatedProject, client: TestClient
) -> None:
    own = factories.create_survey(engine, project, name="Our NPS")
    seed_population(engine, project.id, now=NOW, size=TINY)
    surveys = factories.admin_get(client, project, "/api/v1/surveys", type="nps")["data"]
    assert [s["id"] for s in surveys] == [own["id"]]


def test_the_demo_user_signs_in_to_the_demo_project(
    engine: Engine, project: CreatedProject, client: TestClient
) -> None:
    email = f"demo-{uuid.uuid4().hex[:8]}@example.com"
    created = ensure_demo_user(engine, project.id, now=NOW, email=email)
    view = factories.sign_in(client, email, created["dashboard_password"])
    assert [p["id"] for p in view["projects"]] == [str(project.id)]


def test_an_existing_demo_user_joins_a_new_demo_project_keeping_its_password(
    engine: Engine, project: CreatedProject, other_project: CreatedProject, client: TestClient
) -> None:
    email = f"demo-{uuid.uuid4().hex[:8]}@example.com"
    first = ensure_demo_user(engine, project.id, now=NOW, email=email)
    again = ensure_demo_user(engine, other_project.id, now=NOW, email=email)
    assert again == {"dashboard_email": email}
    view = factories.sign_in(client, email, first["dashboard_password"])
    assert len(view["projects"]) == 2


def test_waypost_demo_simulates_persons_and_prints_the_dashboard_user(
    db_url: str, tmp_path: Path, client: TestClient
) -> None:
    result = CliRunner().invoke(
        main,
        ["demo", "--persons", "10", "--keys-file", str(tmp_path / "demo.json")],
        env={"WAYPOST_DATABASE_URL": db_url},
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert "dashboard user: demo@example.com" in result.stderr
    events = client.get(
        "/api/v1/events", headers=factories.bearer_auth(printed["secret_key"])
    ).json()
    assert len(events["data"]) > 10
