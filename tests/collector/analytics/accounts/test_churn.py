"""Churn from the ``status`` trait, worked out by hand, on SQLite and PostgreSQL.

First seen Oct 1: a1 (churns Nov 5), a2 (churned Sep 20), a3 (stays), a4 (churns
Nov 20). First seen Nov 3: a5 (churns Nov 10). In Nov 1-15, three accounts were there at
the start (a1, a3, a4) and one of them churned: 1/3. a5 churned too, but was not there.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from collector.analytics.accounts.churn import account_churn
from collector.analytics.accounts.results import Churn
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.accounts.conftest import group

START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


def status(group_id: str, value: str, at: str) -> Any:
    return {**group("admin", group_id, status=value), "timestamp": at}


@pytest.fixture(scope="module")
def churn_project(engine: Engine) -> CreatedProject:
    project = factories.create_project(engine)
    factories.ingest_messages(
        engine,
        project,
        status("a1", "active", "2026-09-01T00:00:00Z"),
        status("a2", "churned", "2026-09-20T00:00:00Z"),
        status("a3", "active", "2026-09-01T00:00:00Z"),
        status("a4", "active", "2026-09-01T00:00:00Z"),
        received_at=datetime(2026, 10, 1, tzinfo=UTC),
    )
    factories.ingest_messages(
        engine,
        project,
        status("a5", "trial", "2026-11-03T00:00:00Z"),
        received_at=datetime(2026, 11, 3, 1, tzinfo=UTC),
    )
    factories.ingest_messages(
        engine,
        project,
        status("a1", "churned", "2026-11-05T00:00:00Z"),
        status("a5", "churned", "2026-11-10T00:00:00Z"),
        status("a4", "churned", "2026-11-20T00:00:00Z"),
    )
    return project


def churn(engine: Engine, project: CreatedProject, **options: Any) -> Churn:
    return account_churn(engine, project.id, start=START, end=END, zone=UTC_ZONE, **options)


def test_churn_rate_is_churned_among_the_accounts_at_the_start(
    engine: Engine, churn_project: CreatedProject
) -> None:
    result = churn(engine, churn_project)
    assert (result["accounts_at_start"], result["churned"]) == (3, 1)
    assert result["churn_rate"] == pytest.approx(1 / 3)


def test_every_account_that_churned_in_the_range_is_listed(
    engine: Engine, churn_project: CreatedProject
) -> None:
    listed = churn(engine, churn_project)["churned_accounts"]
    assert [(a["group_id"], a["known_at_start"]) for a in listed] == [
        ("a1", True),
        ("a5", False),
    ]
    assert listed[0]["churned_at"] == datetime(2026, 11, 5, tzinfo=UTC)


def test_weekly_churn_rates(engine: Engine, churn_project: CreatedProject) -> None:
    trend = churn(engine, churn_project, interval="week")["trend"]
    assert [(t["start"].day, t["accounts_at_start"], t["churned"]) for t in trend] == [
        (1, 3, 0),
        (2, 3, 1),
        (9, 3, 1),
    ]


def test_churn_of_a_project_without_accounts_has_no_rate(
    engine: Engine, project: CreatedProject
) -> None:
    result = account_churn(engine, project.id, start=None, end=None, zone=UTC_ZONE)
    assert (result["accounts_at_start"], result["churn_rate"]) == (0, None)


def test_churn_over_http_exports_the_churned_accounts_as_csv(
    client: TestClient, churn_project: CreatedProject
) -> None:
    response = client.get(
        "/api/v1/accounts/churn",
        params={"from": "2026-11-01", "to": "2026-11-15", "format": "csv"},
        headers=factories.secret_auth(churn_project),
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["group_id"], r["known_at_start"]) for r in rows] == [
        ("a1", "true"),
        ("a5", "false"),
    ]


def test_churn_over_http_answers_json(client: TestClient, churn_project: CreatedProject) -> None:
    body = factories.admin_get(
        client,
        churn_project,
        "/api/v1/accounts/churn",
        **{"from": "2026-11-01", "to": "2026-11-15"},
    )
    assert (body["accounts_at_start"], body["churned"], body["from"]) == (
        3,
        1,
        "2026-11-01T00:00:00Z",
    )


def test_another_projects_key_sees_none_of_the_churn(
    client: TestClient, churn_project: CreatedProject, other_project: CreatedProject
) -> None:
    body = factories.admin_get(
        client,
        other_project,
        "/api/v1/accounts/churn",
        **{"from": "2026-11-01", "to": "2026-11-15"},
    )
    assert (body["accounts_at_start"], body["churned_accounts"]) == (0, [])
