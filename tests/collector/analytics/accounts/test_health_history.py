"""``account_health_history``: an evaluation records each account's first colour and every
change, in the transaction that stores the colour, and nothing when a colour stays.

``acme`` and ``globex`` are green on December 1st 2026 and red on February 1st 2027.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from collector.analytics.accounts.health_changes import evaluate_project
from collector.kit.db.engine import build_engine, read_transaction, write_transaction
from collector.kit.db.migrate import upgrade
from collector.kit.db.models import (
    Account,
    AccountHealthChange,
    AccountHealthState,
    table_of,
)
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.accounts.busy_accounts import GREEN_AT, busy_accounts

RED_AT = datetime(2027, 2, 1, tzinfo=UTC)
BEFORE_HISTORY = "0009_rate_buckets_unlogged"
_history = table_of(AccountHealthChange)
_accounts = table_of(Account)
_states = table_of(AccountHealthState)


def history(engine: Engine, project: CreatedProject) -> list[tuple[Any, ...]]:
    """``(group_id, previous, colour, at)`` per entry, oldest first."""
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_accounts.c.group_id, _history.c.previous, _history.c.colour, _history.c.at)
            .join(_accounts, _accounts.c.id == _history.c.account_id)
            .where(_history.c.project_id == project.id)
            .order_by(_history.c.at, _accounts.c.group_id)
        )
        return [tuple(row) for row in rows]


@pytest.fixture
def project(engine: Engine) -> CreatedProject:
    created = factories.create_project(engine)
    busy_accounts(engine, created, date(2026, 11, 1))
    return created


def test_a_first_evaluation_records_each_accounts_colour(
    engine: Engine, project: CreatedProject
) -> None:
    evaluate_project(engine, project.id, GREEN_AT)
    assert history(engine, project) == [
        ("acme", None, "green", GREEN_AT),
        ("globex", None, "green", GREEN_AT),
    ]


def test_an_unchanged_colour_adds_nothing(engine: Engine, project: CreatedProject) -> None:
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, project.id, GREEN_AT + timedelta(hours=6))
    assert len(history(engine, project)) == 2


def test_a_change_is_recorded_with_the_colour_before(
    engine: Engine, project: CreatedProject
) -> None:
    evaluate_project(engine, project.id, GREEN_AT)
    evaluate_project(engine, project.id, RED_AT)
    assert history(engine, project)[2:] == [
        ("acme", "green", "red", RED_AT),
        ("globex", "green", "red", RED_AT),
    ]


def test_another_projects_evaluation_writes_nothing_here(
    engine: Engine, project: CreatedProject
) -> None:
    other = factories.create_project(engine, name="Other Co")
    busy_accounts(engine, other, date(2026, 11, 1))
    evaluate_project(engine, other.id, GREEN_AT)
    assert history(engine, project) == []


def test_the_migration_starts_each_history_with_the_stored_colour(empty_db_url: str) -> None:
    engine = build_engine(empty_db_url, pool_size=2)
    try:
        upgrade(engine, BEFORE_HISTORY)
        project = factories.create_project(engine)
        busy_accounts(engine, project, date(2026, 11, 1))
        with write_transaction(engine) as connection:
            accounts = connection.execute(select(_accounts.c.id, _accounts.c.group_id)).all()
            connection.execute(
                insert(_states),
                [
                    {
                        "account_id": row.id,
                        "project_id": project.id,
                        "colour": "yellow",
                        "score": 50.0,
                        "evaluated_at": GREEN_AT,
                    }
                    for row in accounts
                ],
            )
        upgrade(engine)
        assert history(engine, project) == [
            ("acme", None, "yellow", GREEN_AT),
            ("globex", None, "yellow", GREEN_AT),
        ]
    finally:
        engine.dispose()
