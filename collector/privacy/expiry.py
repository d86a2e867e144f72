"""Retention: each project's events older than its ``retention_days`` are deleted.

Deletion goes in batches of ``batch_size`` events, each its own short transaction, so
ingestion waits at most one batch for the database (SQLite has one writer at a time;
PostgreSQL takes row locks only). ``waypost serve`` runs a sweep every
``retention_interval_seconds``; with several workers or hosts, a PostgreSQL advisory lock
lets one sweep run at a time and the others skip their turn. ``waypost retention`` runs
one sweep now.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select

from collector.kit.db.backends import backend_of
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.db.models import Event, Project, table_of
from collector.kit.metrics import record_retention
from collector.kit.project_settings import ProjectSettings
from collector.kit.settings import Settings
from collector.ratelimit.store import store_for

_events = table_of(Event)
_projects = table_of(Project)
SWEEP_LOCK = 0x5741_5950_0001  # any constant shared by every worker: "WAYP" 1
logger = logging.getLogger("waypost.retention")


def retention_periods(engine: Engine) -> dict[uuid.UUID, int]:
    """Projects with a retention period, and its length in days."""
    with read_transaction(engine) as connection:
        rows = connection.execute(select(_projects.c.id, _projects.c.settings)).all()
    periods = {row.id: ProjectSettings.from_stored(row.settings).retention_days for row in rows}
    return {project: days for project, days in periods.items() if days is not None}


def delete_older_events(
    engine: Engine, project_id: uuid.UUID, cutoff: datetime, batch_size: int
) -> int:
    """Delete the project's events before ``cutoff``, one bounded batch per transaction."""
    deleted = 0
    while True:
        oldest = (
            select(_events.c.id)
            .where(_events.c.project_id == project_id, _events.c.timestamp < cutoff)
            .order_by(_events.c.timestamp)
            .limit(batch_size)
        )
        with write_transaction(engine) as connection:
            count = connection.execute(
                delete(_events).where(_events.c.id.in_(oldest.scalar_subquery()))
            ).rowcount
        deleted += count
        if count < batch_size:
            return deleted


def apply_retention(engine: Engine, now: datetime, batch_size: int) -> dict[uuid.UUID, int]:
    """One sweep over every project with a retention period: events deleted per project."""
    deleted = {
        project_id: delete_older_events(engine, project_id, now - timedelta(days=days), batch_size)
        for project_id, days in sorted(retention_periods(engine).items())
    }
    record_retention(sum(deleted.values()))
    store_for(engine).sweep(time.time())
    return deleted


def sweep_turn(engine: Engine) -> AbstractContextManager[bool]:
    """Whether this process may sweep now: always on SQLite, one holder on PostgreSQL."""
    return backend_of(engine).advisory_turn(engine, SWEEP_LOCK)


def sweep_once(engine: Engine, settings: Settings, now: datetime) -> dict[uuid.UUID, int] | None:
    """A sweep if it is this process's turn (None if another one is sweeping)."""
    with sweep_turn(engine) as mine:
        return apply_retention(engine, now, settings.retention_batch_size) if mine else None


@asynccontextmanager
async def periodic_retention(settings: Settings, engine: Engine) -> AsyncIterator[None]:
    """Sweep every ``retention_interval_seconds`` while the app runs (0: never)."""
    if settings.retention_interval_seconds <= 0:
        yield
        return

    async def loop() -> None:
        while True:
            await asyncio.sleep(settings.retention_interval_seconds)
            try:
                await asyncio.to_thread(sweep_once, engine, settings, datetime.now(UTC))
            except Exception:
                logger.exception("retention sweep failed; retrying at the next interval")

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
