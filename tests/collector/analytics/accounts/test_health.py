"""Account health of the hand-worked accounts (see conftest), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from collector.analytics.accounts.health import accounts_health
from tests.collector.analytics.accounts.conftest import END, AccountData


def by_group(engine: Engine, data: AccountData, **window: datetime) -> dict[str, Mapping[str, Any]]:
    entries, _ = accounts_health(
        engine, data.project.id, window.get("start"), window.get("end", END)
    )
    return {entry["group_id"]: entry for entry in entries}


def test_scores_and_statuses_of_each_account(engine: Engine, account_data: AccountData) -> None:
    health = by_group(engine, account_data)
    assert {g: (round(h["score"], 6), h["status"]) for g, h in health.items()} == {
        "acme": (42.5, "yellow"),
        "globex": (87.5, "green"),
        "initech": (0.0, "red"),
    }


def test_accounts_come_least_healthy_first(engine: Engine, account_data: AccountData) -> None:
    entries, _ = accounts_health(engine, account_data.project.id, None, END)
    assert [entry["group_id"] for entry in entries] == ["initech", "acme", "globex"]


def test_components_show_what_the_score_came_from(
    engine: Engine, account_data: AccountData
) -> None:
    parts = by_group(engine, account_data)["acme"]["components"]
    assert parts["frequency"] == {"value": 0.5, "active_days": 15, "window_days": 30}
    assert parts["breadth"] == {"value": 0.2, "active_users": 2, "members": 3, "seats": 10.0}
    assert parts["depth"] == {"value": 0.5, "features_used": 2, "key_features": 4}
    assert (parts["sentiment"]["value"], parts["sentiment"]["nps"]) == (0.5, 0.0)


def test_breadth_without_seats_is_the_share_of_members(
    engine: Engine, account_data: AccountData
) -> None:
    assert by_group(engine, account_data)["globex"]["components"]["breadth"]["value"] == 0.5


def test_csat_counts_in_sentiment(engine: Engine, account_data: AccountData) -> None:
    sentiment = by_group(engine, account_data)["globex"]["components"]["sentiment"]
    assert (sentiment["csat_satisfied_share"], sentiment["value"]) == (1.0, 1.0)


def test_activity_before_the_window_does_not_count(
    engine: Engine, account_data: AccountData
) -> None:
    parts = by_group(engine, account_data)["initech"]["components"]
    assert (parts["frequency"]["active_days"], parts["breadth"]["seats"]) == (0, 5.0)


def test_a_given_range_is_the_window(engine: Engine, account_data: AccountData) -> None:
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 11, tzinfo=UTC)
    frequency = by_group(engine, account_data, start=start, end=end)["acme"]["components"][
        "frequency"
    ]
    assert frequency == {"value": 1.0, "active_days": 10, "window_days": 10}


def test_another_projects_accounts_never_count(engine: Engine, account_data: AccountData) -> None:
    health = by_group(engine, account_data)
    assert health["acme"]["components"]["breadth"]["active_users"] == 2
    assert len(health) == 3
