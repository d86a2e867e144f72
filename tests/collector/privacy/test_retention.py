"""Retention: events older than a project's period are deleted in bounded batches."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.cli import main
from collector.kit.db.engine import build_engine
from collector.kit.settings import Settings
from collector.privacy.expiry import (
    apply_retention,
    delete_older_events,
    periodic_retention,
    sweep_once,
    sweep_turn,
)
from collector.projects.service import CreatedProject
from tests import factories
from tests.factories import RECEIVED_AT, iso


def aged(days: float) -> dict[str, str]:
    """A track event that happened ``days`` before the service tests' fixed instant."""
    return factories.track(timestamp=iso(RECEIVED_AT - timedelta(days=days)))


def keep_for(client: TestClient, project: CreatedProject, days: int) -> None:
    factories.update_project(client, project, {"retention_days": days})


def test_events_older_than_the_period_are_deleted(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.ingest_messages(engine, project, aged(40), aged(31), aged(2))
    keep_for(client, project, 30)
    deleted = apply_retention(engine, RECEIVED_AT, batch_size=100)
    assert deleted[project.id] == 2
    assert len(factories.stored_events(client, project)) == 1


def test_deletion_goes_in_batches_until_none_is_left(
    engine: Engine, project: CreatedProject
) -> None:
    factories.ingest_messages(engine, project, *(aged(10 + i) for i in range(7)))
    cutoff = RECEIVED_AT - timedelta(days=5)
    assert delete_older_events(engine, project.id, cutoff, batch_size=3) == 7
    assert delete_older_events(engine, project.id, cutoff, batch_size=3) == 0


def test_a_project_without_a_period_keeps_everything(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    factories.ingest_messages(engine, project, aged(4000))
    assert project.id not in apply_retention(engine, RECEIVED_AT, batch_size=100)
    assert len(factories.stored_events(client, project)) == 1


def test_a_period_can_be_removed_again(
    client: TestClient, engine: Engine, project: CreatedProject
) -> None:
    keep_for(client, project, 30)
    factories.update_project(client, project, {"retention_days": None})
    factories.ingest_messages(engine, project, aged(400))
    assert project.id not in apply_retention(engine, RECEIVED_AT, batch_size=100)


def test_a_period_of_zero_days_is_refused(client: TestClient, project: CreatedProject) -> None:
    response = client.patch(
        "/api/v1/project",
        json={"settings": {"retention_days": 0}},
        headers=factories.secret_auth(project),
    )
    assert response.status_code == 422


def test_a_second_sweeper_waits_its_turn_on_postgresql_only(engine: Engine) -> None:
    """SQLite writers take turns anyway; PostgreSQL workers would sweep side by side."""
    with sweep_turn(engine) as first, sweep_turn(engine) as second:
        assert (first, second) == (True, engine.dialect.name != "postgresql")


def test_a_sweep_skipped_for_another_sweeper_reports_nothing(
    engine: Engine, settings: Settings
) -> None:
    with sweep_turn(engine):
        skipped = sweep_once(engine, settings, RECEIVED_AT)
    assert (skipped is None) == (engine.dialect.name == "postgresql")


def test_the_cli_command_sweeps_and_prints_what_it_deleted(
    client: TestClient, engine: Engine, db_url: str, project: CreatedProject
) -> None:
    factories.ingest_messages(engine, project, aged(4000))
    keep_for(client, project, 1)
    result = CliRunner().invoke(main, ["retention", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    assert f'"{project.id}": 1' in result.output


def test_the_server_sweeps_periodically(
    client: TestClient, engine: Engine, settings: Settings, project: CreatedProject
) -> None:
    factories.ingest_messages(engine, project, aged(4000))
    keep_for(client, project, 1)
    quick = dataclasses.replace(settings, retention_interval_seconds=1)

    async def run_one_interval() -> None:
        async with periodic_retention(quick, engine):
            await asyncio.sleep(1.5)

    asyncio.run(run_one_interval())
    assert factories.stored_events(client, project) == []


def test_an_interval_of_zero_never_sweeps(engine: Engine, settings: Settings) -> None:
    never = dataclasses.replace(settings, retention_interval_seconds=0)

    async def run_a_while() -> int:
        async with periodic_retention(never, engine):
            await asyncio.sleep(0.1)
        return len(asyncio.all_tasks())

    assert asyncio.run(run_a_while()) == 1


def test_a_failed_sweep_is_logged_and_retried_later(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    unmigrated = build_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    quick = dataclasses.replace(settings, retention_interval_seconds=1)

    async def run_one_interval() -> None:
        async with periodic_retention(quick, unmigrated):
            await asyncio.sleep(1.5)

    with caplog.at_level(logging.ERROR, logger="waypost.retention"):
        asyncio.run(run_one_interval())
    unmigrated.dispose()
    assert "retention sweep failed" in caplog.text
