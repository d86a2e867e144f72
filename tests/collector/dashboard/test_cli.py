"""``waypost user create`` and ``waypost user add-project``."""

from __future__ import annotations

import json
import uuid

from click.testing import CliRunner, Result
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.cli import main
from collector.projects.service import CreatedProject
from tests import factories


def waypost(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"WAYPOST_DATABASE_URL": database_url})


def fresh_email() -> str:
    return f"cli-{uuid.uuid4().hex[:8]}@Example.com"


def test_a_user_created_and_added_to_a_project_signs_in_and_sees_it(
    db_url: str, client: TestClient, project: CreatedProject
) -> None:
    email = fresh_email()
    created = waypost(db_url, "user", "create", "--email", email, "--password", "a long password")
    assert created.exit_code == 0, created.output
    assert json.loads(created.output)["email"] == email.lower()
    added = waypost(db_url, "user", "add-project", "--email", email, "--project", str(project.id))
    assert added.exit_code == 0, added.output
    view = factories.sign_in(client, email, "a long password")
    assert [p["id"] for p in view["projects"]] == [str(project.id)]


def test_the_password_is_asked_for_when_not_given(db_url: str) -> None:
    result = CliRunner().invoke(
        main,
        ["user", "create", "--email", fresh_email()],
        env={"WAYPOST_DATABASE_URL": db_url},
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output


def test_a_short_password_is_refused_in_one_line(db_url: str) -> None:
    result = waypost(db_url, "user", "create", "--email", fresh_email(), "--password", "short")
    assert result.exit_code == 1
    assert "password: must be at least 10 characters" in result.output
    assert "Traceback" not in result.output


def test_adding_a_project_to_an_unknown_user_is_refused(
    db_url: str, project: CreatedProject
) -> None:
    result = waypost(
        db_url, "user", "add-project", "--email", fresh_email(), "--project", str(project.id)
    )
    assert result.exit_code == 1
    assert "no dashboard user with the email" in result.output


def test_the_same_email_twice_is_refused(db_url: str, engine: Engine) -> None:
    email = factories.create_dashboard_user(engine)
    result = waypost(db_url, "user", "create", "--email", email, "--password", "a long password")
    assert result.exit_code == 1
    assert "already exists" in result.output
