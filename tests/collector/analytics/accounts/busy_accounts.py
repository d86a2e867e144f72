"""Projects whose accounts are busy for thirty days, for the health change tests.

``acme`` (plan pro) and ``globex`` (plan free) each have one member active every day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from collector.analytics.accounts.health_changes import evaluate_project
from collector.projects.service import CreatedProject
from collector.webhooks.service import create_endpoint
from tests import factories
from tests.collector.analytics.accounts.conftest import days, group, tracked_on

GREEN_AT = datetime(2026, 12, 1, tzinfo=UTC)
NOWHERE = "http://127.0.0.1:9/hooks"
"""A loopback port nothing listens on: messages to it stay in the outbox."""


def busy_accounts(engine: Engine, project: CreatedProject, first: date) -> None:
    """``acme`` and ``globex``, each with one member active for thirty days from ``first``."""
    factories.ingest_messages(
        engine,
        project,
        group("u1", "acme", name="Acme", plan="pro"),
        group("u2", "globex", name="Globex", plan="free"),
        *(
            tracked_on(user, "Report Created", day)
            for user in ("u1", "u2")
            for day in days(first, 30)
        ),
        received_at=datetime.combine(first + timedelta(days=30), datetime.min.time(), UTC),
    )


def endpoint(engine: Engine, project: CreatedProject, url: str = NOWHERE, **fields: Any) -> Any:
    body = {"url": url, "event_types": ["account.health_changed"], **fields}
    return create_endpoint(engine, project.id, body, allow_private=True, now=datetime.now(UTC))


def red_until_lately(engine: Engine) -> CreatedProject:
    """A project whose accounts were evaluated red two months ago and are busy now (by the
    clock, for code that evaluates at the current time)."""
    created = factories.create_project(engine)
    busy_accounts(engine, created, datetime.now(UTC).date() - timedelta(days=29))
    evaluate_project(engine, created.id, datetime.now(UTC) - timedelta(days=60))
    return created
