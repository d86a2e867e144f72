"""Accounts worked out by hand, stored through ingestion on each backend.

Key features: Report Created, Invite Sent, Dashboard Shared, Export Run. Window: the 30
days before 2026-11-26 (Oct 27 to Nov 25).

| account | seats | members | activity in the window | answers | health |
|---|---|---|---|---|---|
| acme | 10 | u1, u2, u3 | u1 Report Created Nov 1-15; u2 Invite Sent Nov 1-3 | NPS 10, 6 | 42.5 |
| globex | | u4, u5 | u4 Report Created every day; the other three once | CSAT 5 | 87.5 |
| initech | "5" | u6 | u6 on Oct 1 only (outside) | | 0 |

Another project has an ``acme`` too, busy every day, which must never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.kit.db.engine import write_transaction
from collector.projects.service import CreatedProject, update_settings
from tests import factories

END = datetime(2026, 11, 26, tzinfo=UTC)
KEY_FEATURES = ["Report Created", "Invite Sent", "Dashboard Shared", "Export Run"]


@dataclass(frozen=True)
class AccountData:
    project: CreatedProject
    other: CreatedProject


def tracked_on(user: str, event: str, day: date, hour: int = 9) -> Any:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    return factories.tracked(event, userId=user, timestamp=factories.iso(at))


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def group(user: str, group_id: str, **traits: Any) -> Any:
    return factories.message(
        "group", userId=user, anonymousId=None, groupId=group_id, traits=traits
    )


def answered(survey: dict[str, Any], user: str, score: int) -> Any:
    return factories.reserved(
        "Survey Responded",
        survey,
        {"score": score},
        userId=user,
        timestamp="2026-11-02T10:00:00Z",
    )


def _activity() -> list[Any]:
    return [
        *(tracked_on("u1", "Report Created", d) for d in days(date(2026, 11, 1), 15)),
        *(tracked_on("u2", "Invite Sent", d) for d in days(date(2026, 11, 1), 3)),
        *(tracked_on("u4", "Report Created", d) for d in days(date(2026, 10, 27), 30)),
        *(tracked_on("u4", e, date(2026, 11, 2), 11) for e in KEY_FEATURES[1:]),
        tracked_on("u6", "Report Created", date(2026, 10, 1)),
    ]


def _groups() -> list[Any]:
    return [
        group("u1", "acme", seats=10, name="Acme"),
        group("u2", "acme"),
        group("u3", "acme"),
        group("u4", "globex", name="Globex"),
        group("u5", "globex"),
        group("u6", "initech", seats="5"),
    ]


def _configure(engine: Engine, project: CreatedProject) -> None:
    with write_transaction(engine) as connection:
        update_settings(connection, project.id, {"health": {"key_features": KEY_FEATURES}})


@pytest.fixture(scope="module")
def account_data(engine: Engine) -> AccountData:
    project = factories.create_project(engine)
    other = factories.create_project(engine, name="Other Co")
    _configure(engine, project)
    nps = factories.create_survey(engine, project)
    csat = factories.create_survey(engine, project, type="csat")
    factories.ingest_messages(
        engine,
        project,
        *_groups(),
        *_activity(),
        answered(nps, "u1", 10),
        answered(nps, "u2", 6),
        answered(csat, "u4", 5),
    )
    busy = [
        tracked_on(u, e, d)
        for u in ("u1", "u2")
        for e in KEY_FEATURES
        for d in days(date(2026, 10, 27), 30)
    ]
    factories.ingest_messages(
        engine, other, group("u1", "acme", seats=2), group("u2", "acme"), *busy
    )
    return AccountData(project=project, other=other)


def health_of(client: TestClient, project: CreatedProject, **params: str) -> dict[str, Any]:
    return factories.admin_get(client, project, "/api/v1/accounts/health", **params)
