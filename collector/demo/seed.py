"""Seeding the demo project: its surveys when it has none, the population's messages
through ingestion, and a dashboard user to look at it with."""

from __future__ import annotations

import itertools
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine

from collector.dashboard.users import add_membership, create_user, find_user
from collector.demo.population import (
    DEFAULT_SIZE,
    FEATURES,
    DemoSize,
    Experiences,
    demo_messages,
)
from collector.experiences.service import create_experience, list_experiences
from collector.ingest.results import RejectionAnswer
from collector.ingest.service import ingest
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.http.responses import dumps
from collector.kit.messages import BatchDefaults
from collector.projects.service import update_settings

BATCH_SIZE = 500
DEMO_EMAIL = "demo@example.com"
DEMO_SURVEYS: dict[str, dict[str, Any]] = {
    "nps": {"name": "NPS", "type": "nps"},
    "csat": {"name": "Support satisfaction", "type": "csat", "trigger": {"type": "manual"}},
    "ces": {"name": "Setup effort", "type": "ces", "trigger": {"type": "manual"}},
}


@dataclass
class Seeded:
    accepted: int = 0
    rejected: list[RejectionAnswer] = field(default_factory=list)


def _shown(resource: dict[str, Any]) -> dict[str, Any]:
    """An experience as the admin API shows it (ids as strings)."""
    shown: dict[str, Any] = orjson.loads(dumps(resource))
    return shown


def demo_experiences(engine: Engine, project_id: uuid.UUID, *, now: datetime) -> Experiences:
    """The project's live tours, checklists and surveys; a survey of each type it lacks."""
    flows = [_shown(flow) for flow in list_experiences(engine, project_id, "flow", status="live")]
    surveys: dict[str, dict[str, Any]] = {}
    for survey in list_experiences(engine, project_id, "survey", status="live"):
        surveys.setdefault(survey["type"], _shown(survey))
    for kind, body in DEMO_SURVEYS.items():
        if kind not in surveys:
            surveys[kind] = _shown(create_experience(engine, project_id, "survey", body, now=now))
    return Experiences(
        tours=[flow for flow in flows if flow["type"] == "tour"],
        checklists=[flow for flow in flows if flow["type"] == "checklist"],
        surveys=surveys,
    )


def seed_population(
    engine: Engine, project_id: uuid.UUID, *, now: datetime, size: DemoSize = DEFAULT_SIZE
) -> Seeded:
    """Ingest the demo population into the project, a batch at a time."""
    experiences = demo_experiences(engine, project_id, now=now)
    with write_transaction(engine) as connection:
        # Depth in account health: the share of these features an account uses.
        features = [event for event, _ in FEATURES]
        update_settings(connection, project_id, {"health": {"key_features": features}})
    seeded = Seeded()
    messages = demo_messages(experiences, now=now, size=size)
    while batch := list(itertools.islice(messages, BATCH_SIZE)):
        result = ingest(
            engine, project_id, batch, defaults=BatchDefaults(sent_at=None), received_at=now
        )
        seeded.accepted += result.accepted
        seeded.rejected += result.as_dict()["rejected"]
    return seeded


def ensure_demo_user(
    engine: Engine, project_id: uuid.UUID, *, now: datetime, email: str = DEMO_EMAIL
) -> dict[str, str]:
    """The demo dashboard user, made a member of the project; its password when new."""
    with read_transaction(engine) as connection:
        exists = find_user(connection, email) is not None
    password = None if exists else secrets.token_urlsafe(12)
    with write_transaction(engine) as connection:
        if password is not None:
            create_user(connection, email, password, now=now)
        add_membership(connection, email, project_id, now=now)
    shown = {"dashboard_email": email}
    return shown if password is None else {**shown, "dashboard_password": password}
