"""The ``waypost`` command: migrate, projects, key rotation, the demo project, and clear
errors (never a traceback) for bad flags and unusable databases."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from collector.cli import main
from collector.kit.db.engine import build_engine, read_transaction
from collector.kit.db.migrate import is_current
from collector.kit.db.models import ApiKey, Project, table_of
from tests import factories
from tests.conftest import ROOT

UNREACHABLE_DATABASE = "postgresql+psycopg://waypost@127.0.0.1:1/waypost?connect_timeout=2"


def waypost(database_url: str, *args: str) -> Result:
    """Run ``waypost ARGS`` in-process with ``WAYPOST_DATABASE_URL`` set."""
    return CliRunner().invoke(main, list(args), env={"WAYPOST_DATABASE_URL": database_url})


def assert_clean_failure(result: Result, exit_code: int, expected: str) -> None:
    """A one-line error naming the problem: no traceback, no unhandled exception."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit)
    assert expected in result.output
    assert "Traceback" not in result.output


@dataclass(frozen=True)
class PrintedProject:
    """What ``project create`` and ``demo`` print."""

    id: uuid.UUID
    name: str
    write_key: str
    secret_key: str


def created(result: Result) -> PrintedProject:
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    return PrintedProject(
        id=uuid.UUID(printed["id"]),
        name=printed["name"],
        write_key=printed["write_key"],
        secret_key=printed["secret_key"],
    )


def rotated(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    printed: dict[str, Any] = json.loads(result.stdout)
    return printed


def can_ingest(client: TestClient, write_key: str) -> bool:
    body = {"batch": [factories.track()]}
    response = client.post("/v1/batch", json=body, headers=factories.basic_auth(write_key))
    return response.status_code == 200


def can_read_events(client: TestClient, secret_key: str) -> bool:
    response = client.get("/api/v1/events", headers=factories.bearer_auth(secret_key))
    return response.status_code == 200


# --- migrate -------------------------------------------------------------------------


def test_migrate_brings_an_empty_database_to_the_newest_schema(empty_db_url: str) -> None:
    result = waypost(empty_db_url, "migrate")
    assert (result.exit_code, result.stdout.strip()) == (0, "database is up to date")
    engine = build_engine(empty_db_url)
    try:
        assert is_current(engine)
    finally:
        engine.dispose()


def test_migrate_on_a_current_database_changes_nothing(db_url: str, engine: Engine) -> None:
    assert waypost(db_url, "migrate").exit_code == 0
    assert is_current(engine)


def test_migrate_takes_the_database_url_flag_over_the_environment(
    empty_db_url: str, tmp_path: Path
) -> None:
    unused = f"sqlite:///{tmp_path / 'unused.db'}"
    result = waypost(unused, "migrate", "--database-url", empty_db_url)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "unused.db").exists()


# --- projects ------------------------------------------------------------------------


def test_project_create_prints_its_id_name_and_keys_as_json(db_url: str) -> None:
    result = waypost(db_url, "project", "create", "--name", "Acme Analytics")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert set(printed) == {"id", "name", "write_key", "secret_key", "identity_secret"}
    assert uuid.UUID(printed["id"])
    assert printed["name"] == "Acme Analytics"
    assert printed["write_key"].startswith("wk_")
    assert printed["secret_key"].startswith("sk_")
    assert printed["identity_secret"].startswith("ik_")


def test_project_create_stores_the_secret_key_only_as_its_hash(db_url: str, engine: Engine) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    keys = table_of(ApiKey)
    with read_transaction(engine) as connection:
        rows = connection.execute(select(keys).where(keys.c.project_id == project.id)).all()
    stored = [str(value) for row in rows for value in row]
    assert not any(project.secret_key in value for value in stored)
    assert hashlib.sha256(project.secret_key.encode()).hexdigest() in stored


def test_created_project_keys_work_over_http(db_url: str, client: TestClient) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    assert can_ingest(client, project.write_key)
    assert can_read_events(client, project.secret_key)


def test_project_list_shows_every_created_project(db_url: str) -> None:
    first = created(waypost(db_url, "project", "create", "--name", "First"))
    second = created(waypost(db_url, "project", "create", "--name", "Second"))
    result = waypost(db_url, "project", "list")
    assert result.exit_code == 0, result.output
    listed = {entry["id"]: entry for entry in json.loads(result.stdout)}
    assert listed[str(first.id)]["name"] == "First"
    assert listed[str(second.id)]["name"] == "Second"


def test_project_list_gives_creation_times_in_iso_8601(db_url: str) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    listed = {entry["id"]: entry for entry in json.loads(waypost(db_url, "project", "list").stdout)}
    when = datetime.fromisoformat(listed[str(project.id)]["created_at"])
    assert when.utcoffset() == timedelta(0)


def test_project_list_does_not_show_keys(db_url: str) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    output = waypost(db_url, "project", "list").stdout
    assert project.write_key not in output
    assert project.secret_key not in output


# --- key rotation --------------------------------------------------------------------


def test_keys_rotate_prints_new_keys_and_when_the_old_ones_expire(db_url: str) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    printed = rotated(waypost(db_url, "keys", "rotate", "--project", str(project.id)))
    assert printed["project_id"] == str(project.id)
    assert printed["write_key"] not in (project.write_key, None)
    assert printed["secret_key"] not in (project.secret_key, None)
    expires = datetime.fromisoformat(printed["old_keys_expire_at"])
    assert timedelta(hours=23) < expires - datetime.now(expires.tzinfo) <= timedelta(hours=24)


def test_old_and_new_keys_both_work_during_the_grace_period(
    db_url: str, client: TestClient
) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    new = rotated(waypost(db_url, "keys", "rotate", "--project", str(project.id)))
    assert can_ingest(client, project.write_key)
    assert can_ingest(client, new["write_key"])
    assert can_read_events(client, project.secret_key)
    assert can_read_events(client, new["secret_key"])


def test_old_keys_stop_at_once_with_no_grace_period(db_url: str, client: TestClient) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    args = ("keys", "rotate", "--project", str(project.id), "--grace-seconds", "0")
    new = rotated(waypost(db_url, *args))
    assert not can_ingest(client, project.write_key)
    assert not can_read_events(client, project.secret_key)
    assert can_ingest(client, new["write_key"])
    assert can_read_events(client, new["secret_key"])


def test_rotating_only_the_write_key_keeps_the_secret_key(db_url: str, client: TestClient) -> None:
    project = created(waypost(db_url, "project", "create", "--name", "Acme"))
    args = ("keys", "rotate", "--project", str(project.id), "--kind", "write")
    new = rotated(waypost(db_url, *args, "--grace-seconds", "0"))
    assert "secret_key" not in new
    assert can_read_events(client, project.secret_key)
    assert can_ingest(client, new["write_key"])


# --- demo ----------------------------------------------------------------------------


def test_demo_prints_the_same_keys_every_time(db_url: str, tmp_path: Path) -> None:
    keys_file = str(tmp_path / "demo.json")
    first = waypost(db_url, "demo", "--keys-file", keys_file)
    second = waypost(db_url, "demo", "--keys-file", keys_file)
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert set(json.loads(first.stdout)) == {
        "id",
        "name",
        "write_key",
        "secret_key",
        "identity_secret",
    }


def test_demo_creates_one_project_however_often_it_runs(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    keys_file = str(tmp_path / "demo.json")
    ids = {json.loads(waypost(db_url, "demo", "--keys-file", keys_file).stdout)["id"]}
    ids.add(json.loads(waypost(db_url, "demo", "--keys-file", keys_file).stdout)["id"])
    with read_transaction(engine) as connection:
        found = connection.execute(select(Project.id).where(Project.id == uuid.UUID(*ids))).all()
    assert len(ids) == len(found) == 1


def test_demo_keys_file_is_readable_only_by_its_owner(db_url: str, tmp_path: Path) -> None:
    keys_file = tmp_path / "var" / "demo.json"
    assert waypost(db_url, "demo", "--keys-file", str(keys_file)).exit_code == 0
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600


def test_demo_keys_work_over_http(db_url: str, client: TestClient, tmp_path: Path) -> None:
    keys_file = str(tmp_path / "demo.json")
    demo = created(waypost(db_url, "demo", "--keys-file", keys_file))
    assert can_ingest(client, demo.write_key)
    assert can_read_events(client, demo.secret_key)


def test_demo_makes_a_new_project_when_the_saved_one_is_not_in_this_database(
    db_url: str, tmp_path: Path
) -> None:
    keys_file = tmp_path / "demo.json"
    elsewhere = {"id": str(uuid.uuid4()), "name": "Demo", "write_key": "wk_", "secret_key": "sk_"}
    keys_file.write_text(json.dumps(elsewhere))
    demo = created(waypost(db_url, "demo", "--keys-file", str(keys_file)))
    assert str(demo.id) != elsewhere["id"]
    assert json.loads(keys_file.read_text())["id"] == str(demo.id)


def test_a_demo_keys_file_that_is_not_json_is_a_clear_error(db_url: str, tmp_path: Path) -> None:
    keys_file = tmp_path / "demo.json"
    keys_file.write_text("{not json")
    result = waypost(db_url, "demo", "--keys-file", str(keys_file))
    assert_clean_failure(result, 1, "is not a demo keys file")


# --- bad flags and unusable databases -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "exit_code", "expected"),
    [
        (("project", "create"), 2, "Missing option '--name'"),
        (("project", "create", "--name", ""), 1, "invalid project name"),
        (("project", "create", "--name", "x" * 201), 1, "invalid project name"),
        (("keys", "rotate"), 2, "Missing option '--project'"),
        (("keys", "rotate", "--project", "acme"), 2, "is not a valid UUID"),
        (("keys", "rotate", "--project", str(uuid.UUID(int=1))), 1, "no project with id"),
        (
            ("keys", "rotate", "--project", str(uuid.UUID(int=1)), "--grace-seconds", "-1"),
            2,
            "--grace-seconds",
        ),
        (("keys", "rotate", "--project", str(uuid.UUID(int=1)), "--kind", "all"), 2, "--kind"),
        (("serve", "--port", "70000"), 1, "WAYPOST_PORT must be between 1 and 65535"),
        (("serve", "--log-level", "loud"), 2, "--log-level"),
        (("frobnicate",), 2, "No such command"),
    ],
)
def test_bad_flags_get_a_clear_error_not_a_traceback(
    db_url: str, args: tuple[str, ...], exit_code: int, expected: str
) -> None:
    assert_clean_failure(waypost(db_url, *args), exit_code, expected)


@pytest.mark.parametrize(
    "args",
    [
        ("project", "list"),
        ("project", "create", "--name", "Acme"),
        ("keys", "rotate", "--project", str(uuid.UUID(int=1))),
    ],
)
def test_commands_on_an_unmigrated_database_say_to_run_migrate(
    empty_db_url: str, args: tuple[str, ...]
) -> None:
    assert_clean_failure(waypost(empty_db_url, *args), 1, "run `waypost migrate`")


def test_demo_on_an_unmigrated_database_says_to_run_migrate(
    empty_db_url: str, tmp_path: Path
) -> None:
    result = waypost(empty_db_url, "demo", "--keys-file", str(tmp_path / "demo.json"))
    assert_clean_failure(result, 1, "run `waypost migrate`")
    assert not (tmp_path / "demo.json").exists()


@pytest.mark.parametrize("url", ["nosuchdb://localhost/x", "not a url"])
def test_a_malformed_database_url_is_a_clear_error(url: str) -> None:
    assert_clean_failure(waypost(url, "migrate"), 1, "invalid database URL")


@pytest.mark.parametrize("command", [("migrate",), ("project", "list")])
def test_an_unreachable_database_is_a_clear_error(command: tuple[str, ...]) -> None:
    assert_clean_failure(waypost(UNREACHABLE_DATABASE, *command), 1, "database error")


def test_an_invalid_setting_in_the_environment_is_a_clear_error(db_url: str) -> None:
    result = CliRunner().invoke(
        main,
        ["keys", "rotate", "--project", str(uuid.UUID(int=1))],
        env={"WAYPOST_DATABASE_URL": db_url, "WAYPOST_KEY_GRACE_SECONDS": "soon"},
    )
    assert_clean_failure(result, 2, "--grace-seconds")


# --- the installed entry point -------------------------------------------------------


def test_python_m_collector_runs_the_cli_in_a_fresh_process(db_url: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "collector", "project", "create", "--name", "Subprocess"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "WAYPOST_DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["name"] == "Subprocess"


def test_openapi_prints_the_document_the_collector_serves(client: TestClient) -> None:
    result = CliRunner().invoke(main, ["openapi"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == client.get("/openapi.json").json()
