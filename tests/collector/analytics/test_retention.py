"""Retention triangles, against hand-computed expectations, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from collector.analytics import retention
from collector.analytics.results import RetentionFigures
from collector.projects.service import CreatedProject
from tests.collector.analytics.conftest import Store, at, did

NOW = datetime(2026, 6, 1, tzinfo=UTC)
Ask = Callable[..., RetentionFigures]


@pytest.fixture
def ask(engine: Engine, project: CreatedProject) -> Ask:
    """Weekly retention over three periods, cohorts of the first two weeks of March."""

    def run(**options: Any) -> RetentionFigures:
        params = {
            "interval": "week",
            "periods": 3,
            "from_": datetime.fromisoformat(at(0)),
            "to": datetime.fromisoformat(at(14)),
            "tz": ZoneInfo("UTC"),
            **options,
        }
        return retention.run(engine, params, project.id, NOW)

    return run


@pytest.fixture
def visits(store: Store) -> None:
    store(
        did("ada", "Signed Up", at(0)),
        did("ada", "Report Created", at(8)),
        did("bob", "Signed Up", at(1)),
        did("bob", "Page Viewed", at(1, hours=3)),
        did("cy", "Signed Up", at(9)),
        did("cy", "Report Created", at(16)),
        did("old", "Signed Up", at(-3)),
        did("old", "Page Viewed", at(2)),
    )


def triangle(result: RetentionFigures) -> list[tuple[str, int, list[int | None]]]:
    return [(c["cohort"], c["persons"], c["returned"]) for c in result["cohorts"]]


@pytest.mark.usefixtures("visits")
def test_cohorts_by_first_seen_week_returning_with_any_event(ask: Ask) -> None:
    assert triangle(ask()) == [
        ("2026-03-02", 2, [2, 1, None]),
        ("2026-03-09", 1, [1, None, None]),
    ]


@pytest.mark.usefixtures("visits")
def test_returning_with_a_named_event(ask: Ask) -> None:
    result = ask(returning={"event": "Report Created"})
    assert triangle(result) == [
        ("2026-03-02", 2, [0, 1, None]),
        ("2026-03-09", 1, [0, None, None]),
    ]


@pytest.mark.usefixtures("visits")
def test_shares_are_fractions_of_the_cohort(ask: Ask) -> None:
    assert ask()["cohorts"][0]["shares"] == [1.0, 0.5, None]


@pytest.mark.usefixtures("visits")
def test_cohorts_by_a_start_event(ask: Ask) -> None:
    result = ask(start={"event": "Report Created"})
    assert triangle(result) == [
        ("2026-03-02", 0, [0, 0, None]),
        ("2026-03-09", 1, [1, None, None]),
    ]


@pytest.mark.usefixtures("visits")
def test_daily_periods(ask: Ask) -> None:
    result = ask(interval="day", periods=2, to=datetime.fromisoformat(at(2)))
    assert triangle(result) == [("2026-03-02", 1, [1, 0]), ("2026-03-03", 1, [1, None])]


@pytest.mark.usefixtures("visits")
def test_periods_begin_in_the_readers_time_zone(ask: Ask) -> None:
    result = ask(tz=ZoneInfo("America/New_York"))
    assert [c["cohort"] for c in result["cohorts"]] == ["2026-02-23", "2026-03-02", "2026-03-09"]
    # Cohorts are whole weeks: the one holding the start of the range began on 23 February
    # in New York, so it counts whoever started that week, before the range too.
    assert result["cohorts"][0]["persons"] == 2


def test_no_one_answers_empty_cohorts(ask: Ask) -> None:
    assert triangle(ask()) == [("2026-03-02", 0, [0, 0, None]), ("2026-03-09", 0, [0, None, None])]
