"""The ``waypost`` command: serve, migrate, and manage projects and their keys."""

from __future__ import annotations

import dataclasses
import json
import logging.config
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import click
import uvicorn
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from starlette.applications import Starlette

from collector import app as application
from collector.analytics.accounts.health_changes import Evaluation, evaluate_projects
from collector.app import create_app
from collector.dashboard.users import add_membership, create_user, normalise_email
from collector.demo.experiences import seed_demo_experiences
from collector.demo.population import DemoSize
from collector.demo.seed import ensure_demo_user, seed_population
from collector.kit.auth.keys import KeyKind
from collector.kit.db.engine import build_engine, read_transaction, write_transaction
from collector.kit.db.migrate import current_revision, head_revision, upgrade
from collector.kit.db.models import Project
from collector.kit.errors import WaypostError
from collector.kit.logs import log_config
from collector.kit.metrics import prepare_metrics_directory
from collector.kit.settings import Settings, SettingsError
from collector.privacy.expiry import apply_retention
from collector.projects.service import (
    CreatedProject,
    create_project,
    list_projects,
    rotate_project_keys,
)
from collector.worker import run_worker

DEMO_PROJECT_NAME = "Demo"


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _database(database_url: str | None, *, migrated: bool = True) -> Iterator[Engine]:
    """An engine for one command; failures become one-line errors instead of tracebacks.

    ``migrated`` commands refuse a database whose schema is not current, naming the fix,
    rather than failing later on a missing table.
    """
    try:
        engine = build_engine(database_url or _settings().database_url)
    except (SQLAlchemyError, ValueError) as exc:
        raise click.ClickException(f"invalid database URL: {exc}") from None
    try:
        if migrated:
            _require_current_schema(engine)
        yield engine
    except WaypostError as exc:
        raise click.ClickException(_describe(exc)) from None
    except SQLAlchemyError as exc:
        reason = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip().splitlines()
        raise click.ClickException(f"database error: {reason[0] if reason else exc}") from None
    finally:
        engine.dispose()


def _require_current_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        current = current_revision(connection)
    head = head_revision(engine)
    if current != head:
        raise click.ClickException(
            f"the database schema is at revision {current or 'none'}, not {head}; "
            "run `waypost migrate` first"
        )


def _describe(error: WaypostError) -> str:
    """An error's message with the fields it names: ``invalid project name (name: …)``."""
    if not error.fields:
        return error.message
    details = "; ".join(
        f"{field}: {', '.join(map(str, reasons)) if isinstance(reasons, list) else reasons}"
        for field, reasons in error.fields.items()
    )
    return f"{error.message} ({details})"


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


def _created(project: CreatedProject) -> dict[str, str]:
    return {
        "id": str(project.id),
        "name": project.name,
        "write_key": project.write_key,
        "secret_key": project.secret_key,
        "identity_secret": project.identity_secret,
    }


def app_from_env() -> Starlette:
    """Factory for uvicorn workers: each process builds its app from ``WAYPOST_*``."""
    return create_app(Settings.from_env())


database_option = click.option(
    "--database-url",
    envvar="WAYPOST_DATABASE_URL",
    help="SQLAlchemy URL (default sqlite:///./var/waypost.db).",
)


@click.group()
def main() -> None:
    """Waypost collector: onboarding, surveys and Segment-compatible ingestion."""


@main.command()
@click.option("--host", envvar="WAYPOST_HOST", help="Interface to bind (default 127.0.0.1).")
@click.option("--port", envvar="WAYPOST_PORT", type=int, help="Port (default 8000).")
@click.option("--workers", envvar="WAYPOST_WORKERS", type=int, help="Worker processes (default 1).")
@database_option
@click.option(
    "--log-level",
    envvar="WAYPOST_LOG_LEVEL",
    type=click.Choice(["critical", "error", "warning", "info", "debug", "trace"]),
    help="Log level (default info).",
)
def serve(
    host: str | None,
    port: int | None,
    workers: int | None,
    database_url: str | None,
    log_level: str | None,
) -> None:
    """Serve the collector with uvicorn."""
    flags = {
        "host": host,
        "port": port,
        "workers": workers,
        "database_url": database_url,
        "log_level": log_level,
    }
    try:
        settings = _settings().replace(**{k: v for k, v in flags.items() if v is not None})
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    # Worker processes rebuild the settings from the environment; hand them the flags.
    for field in dataclasses.fields(Settings):
        if field.name in flags:
            os.environ[f"WAYPOST_{field.name.upper()}"] = str(getattr(settings, field.name))
    prepare_metrics_directory(settings.workers)
    uvicorn.run(
        "collector.cli:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
        log_config=log_config(settings.log_level),
        access_log=False,
    )


@main.command()
@database_option
@click.option(
    "--log-level",
    envvar="WAYPOST_LOG_LEVEL",
    type=click.Choice(["critical", "error", "warning", "info", "debug", "trace"]),
    help="Log level (default info).",
)
def worker(database_url: str | None, log_level: str | None) -> None:
    """Deliver webhooks until SIGTERM: sign, send, retry, and record every attempt."""
    flags = {"database_url": database_url, "log_level": log_level}
    try:
        settings = _settings().replace(**{k: v for k, v in flags.items() if v is not None})
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    # The same one-line error as other commands for an unreachable or unmigrated database.
    with _database(settings.database_url):
        pass
    logging.config.dictConfig(log_config(settings.log_level))
    run_worker(settings)


@main.command()
@database_option
def migrate(database_url: str | None) -> None:
    """Bring the database schema up to date."""
    with _database(database_url, migrated=False) as engine:
        upgrade(engine)
    click.echo("database is up to date")


@main.command("openapi")
def openapi_document() -> None:
    """Print the API's OpenAPI document, as ``/openapi.json`` answers it, without a server:
    what the dashboard's TypeScript types are generated from."""
    click.echo(json.dumps(application.openapi_document(Settings()), indent=2))


@main.command()
@database_option
def retention(database_url: str | None) -> None:
    """Delete events older than each project's retention period, in bounded batches."""
    settings = _settings()
    with _database(database_url) as engine:
        deleted = apply_retention(engine, datetime.now(UTC), settings.retention_batch_size)
    _echo_json({"deleted_events": {str(project): count for project, count in deleted.items()}})


@main.group()
def project() -> None:
    """Create and list projects."""


@project.command("create")
@click.option("--name", required=True, help="Project name.")
@database_option
def project_create(name: str, database_url: str | None) -> None:
    """Create a project; prints its keys. The secret key is shown only this once."""
    with _database(database_url) as engine, write_transaction(engine) as connection:
        created = create_project(connection, name, now=datetime.now(UTC))
    _echo_json(_created(created))


@project.command("list")
@database_option
def project_list(database_url: str | None) -> None:
    """List projects as JSON."""
    with _database(database_url) as engine, read_transaction(engine) as connection:
        projects = list_projects(connection)
    _echo_json(
        [
            {"id": str(p.id), "name": p.name, "created_at": p.created_at.isoformat()}
            for p in projects
        ]
    )


@main.group()
def keys() -> None:
    """Rotate API keys."""


@keys.command("rotate")
@click.option("--project", "project_id", required=True, type=click.UUID, help="Project id.")
@click.option(
    "--kind",
    type=click.Choice(["write", "secret", "both"]),
    default="both",
    show_default=True,
    help="Which key to replace.",
)
@click.option(
    "--grace-seconds",
    type=click.IntRange(min=0),
    envvar="WAYPOST_KEY_GRACE_SECONDS",
    help="How long the old key keeps working (default 86400).",
)
@database_option
def keys_rotate(
    project_id: uuid.UUID, kind: str, grace_seconds: int | None, database_url: str | None
) -> None:
    """Issue new keys; the old ones keep working for the grace period."""
    grace = timedelta(
        seconds=grace_seconds if grace_seconds is not None else _settings().key_grace_seconds
    )
    kinds: tuple[KeyKind, ...] = ("write", "secret") if kind == "both" else (cast(KeyKind, kind),)
    now = datetime.now(UTC)
    with _database(database_url) as engine, write_transaction(engine) as connection:
        new_keys = rotate_project_keys(connection, project_id, kinds, now=now, grace=grace)
    _echo_json(
        {
            "project_id": str(project_id),
            **{f"{k}_key": v for k, v in new_keys.items()},
            "old_keys_expire_at": (now + grace).isoformat(),
        }
    )


@main.command()
@click.option(
    "--keys-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("var/demo-project.json"),
    show_default=True,
    help="Where the demo project's keys are kept between runs.",
)
@click.option(
    "--persons",
    type=click.IntRange(min=0),
    default=0,
    envvar="WAYPOST_DEMO_PERSONS",
    show_default=True,
    help="Persons to simulate over 90 days when the project is created (make run: 3000).",
)
@database_option
def demo(keys_file: Path, persons: int, database_url: str | None) -> None:
    """Create the demo project if it does not exist yet, and print its keys."""
    with _database(database_url) as engine:
        saved = _saved_demo(engine, keys_file)
        if saved is None:
            with write_transaction(engine) as connection:
                saved = _created(
                    create_project(connection, DEMO_PROJECT_NAME, now=datetime.now(UTC))
                )
            _write_private(keys_file, json.dumps(saved, indent=2))
            _seed_demo(engine, uuid.UUID(saved["id"]), persons, keys_file)
        else:
            # Experiences added to the demo since the project was made.
            seed_demo_experiences(engine, uuid.UUID(saved["id"]), now=datetime.now(UTC))
    _echo_json(saved)


def _seed_demo(engine: Engine, project_id: uuid.UUID, persons: int, keys_file: Path) -> None:
    """A dashboard user for the demo project and, if asked, its simulated population.

    The population answers the project's live flows and surveys: seed those first. The
    user's password is kept beside the keys (``demo-dashboard.json``), readable by its owner.
    """
    now = datetime.now(UTC)
    seed_demo_experiences(engine, project_id, now=now)
    if persons:
        size = DemoSize(persons=persons, accounts=max(1, persons // 10))
        click.echo(f"simulating {persons} persons over 90 days…", err=True)
        seed_population(engine, project_id, now=now, size=size)
    user = ensure_demo_user(engine, project_id, now=now)
    if "dashboard_password" in user:
        _write_private(keys_file.with_name("demo-dashboard.json"), json.dumps(user, indent=2))
    click.echo(f"dashboard user: {user['dashboard_email']}", err=True)


def _saved_demo(engine: Engine, keys_file: Path) -> dict[str, str] | None:
    """The saved demo keys, if that project still exists in this database."""
    if not keys_file.exists():
        return None
    try:
        saved: dict[str, str] = json.loads(keys_file.read_text())
        project_id = uuid.UUID(saved["id"])
    except (ValueError, KeyError, TypeError):
        raise click.ClickException(
            f"{keys_file} is not a demo keys file; remove it to create a new demo project"
        ) from None
    with read_transaction(engine) as connection:
        found = connection.execute(select(Project.id).where(Project.id == project_id)).first()
    return saved if found is not None else None


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, from its first byte (it holds a secret key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)


@main.group()
def user() -> None:
    """Create dashboard users and give them projects."""


@user.command("create")
@click.option("--email", required=True, help="The address the user signs in with.")
@click.password_option("--password", help="At least 10 characters; asked for when not given.")
@database_option
def user_create(email: str, password: str, database_url: str | None) -> None:
    """Create a dashboard user; they see no project until added to one."""
    with _database(database_url) as engine, write_transaction(engine) as connection:
        user_id = create_user(connection, email, password, now=datetime.now(UTC))
    _echo_json({"id": str(user_id), "email": normalise_email(email)})


@user.command("add-project")
@click.option("--email", required=True, help="The dashboard user's email.")
@click.option("--project", "project_id", required=True, type=click.UUID, help="Project id.")
@database_option
def user_add_project(email: str, project_id: uuid.UUID, database_url: str | None) -> None:
    """Let a dashboard user see and manage a project."""
    with _database(database_url) as engine, write_transaction(engine) as connection:
        add_membership(connection, email, project_id, now=datetime.now(UTC))
    _echo_json({"email": normalise_email(email), "project_id": str(project_id)})


@main.group()
def health() -> None:
    """Account health: colours and their ``account.health_changed`` webhooks."""


@health.command("evaluate")
@click.option("--project", "project_id", type=click.UUID, help="Only this project (default: all).")
@database_option
def health_evaluate(project_id: uuid.UUID | None, database_url: str | None) -> None:
    """Evaluate account health now and send a webhook for each account that changed colour."""
    with _database(database_url) as engine:
        found = evaluate_projects(engine, datetime.now(UTC), [project_id] if project_id else None)
    _echo_json({"projects": [_evaluated(evaluation) for evaluation in found]})


def _evaluated(evaluation: Evaluation) -> dict[str, Any]:
    shown: dict[str, Any] = {"project_id": str(evaluation.project_id)}
    if evaluation.skipped:
        return {**shown, "skipped": True}
    changes = [
        {"group_id": c.group_id, "previous": c.previous, "current": c.current, "score": c.score}
        for c in evaluation.changes
    ]
    return {**shown, "accounts": evaluation.accounts, "changes": changes}
