"""Fixtures of the analytics tests: a project with a few persons' events on a fixed
calendar, and small builders that read like the behaviour under test."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.analytics.definitions import (
    EventMatch,
    Exclusion,
    Funnel,
    FunnelOrder,
    PropertyPath,
    TimeRange,
)
from collector.analytics.funnels import run_funnel
from collector.analytics.results import FunnelFigures
from collector.projects.service import CreatedProject
from tests import factories

DAY0 = datetime(2026, 3, 2, tzinfo=UTC)
"""A Monday: the first day of the ranges the tests ask about."""
RANGE = TimeRange(DAY0, DAY0 + timedelta(days=14))
STEPS = ("Signed Up", "Project Created", "Report Created")


def at(days: float = 0, *, hours: float = 0, seconds: float = 0) -> str:
    """An ISO timestamp that many days, hours and seconds after ``DAY0``."""
    return factories.iso(DAY0 + timedelta(days=days, hours=hours, seconds=seconds))


def did(user: str, event: str, when: str, **properties: Any) -> dict[str, Any]:
    """``user`` tracked ``event`` at ``when`` (from :func:`at`), with ``properties``."""
    return factories.track(
        event,
        userId=user,
        anonymousId=None,
        timestamp=when,
        properties=properties,
        messageId=str(uuid.uuid4()),
    )


def funnel_of(
    project: CreatedProject,
    *steps: str | EventMatch,
    window_days: float = 14,
    order: FunnelOrder = "ordered",
    within: TimeRange = RANGE,
    exclusions: tuple[Exclusion, ...] = (),
    breakdown: str | None = None,
) -> Funnel:
    matches = tuple(EventMatch(step) if isinstance(step, str) else step for step in steps or STEPS)
    path = (
        None
        if breakdown is None
        else PropertyPath.parse(breakdown, ("person", "account", "properties"))
    )
    return Funnel(
        project_id=project.id,
        steps=matches,
        window_seconds=int(window_days * 86400),
        order=order,
        range=within,
        exclusions=exclusions,
        breakdown=path,
    )


Store = Callable[..., None]
Counts = Callable[..., list[int]]


@pytest.fixture
def store(engine: Engine, project: CreatedProject) -> Store:
    """Ingest messages into ``project`` (as one batch, through the ingestion service)."""

    def ingest(*messages: dict[str, Any]) -> None:
        result = factories.ingest_messages(engine, project, *messages)
        assert result.rejected == []

    return ingest


@pytest.fixture
def counts(engine: Engine, project: CreatedProject) -> Counts:
    """Persons per step of a funnel of ``project`` (arguments as :func:`funnel_of`)."""

    def persons(*steps: str | EventMatch, **options: Any) -> list[int]:
        answer = run_funnel(engine, funnel_of(project, *steps, **options))
        return [step["persons"] for step in answer["steps"]]

    return persons


@pytest.fixture
def answer(engine: Engine, project: CreatedProject) -> Callable[..., FunnelFigures]:
    """The whole funnel answer of ``project`` (arguments as :func:`funnel_of`)."""

    def run(*steps: str | EventMatch, **options: Any) -> FunnelFigures:
        return run_funnel(engine, funnel_of(project, *steps, **options))

    return run


def post(client: TestClient, project: CreatedProject, path: str, body: Any, **headers: str) -> Any:
    """``POST /api/v1/analytics/<path>`` with the project's secret key and ``headers``."""
    return client.post(
        f"/api/v1/analytics/{path}",
        json=body,
        headers={**factories.secret_auth(project), **headers},
    )
