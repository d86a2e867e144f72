"""Time to value, against hand-computed expectations, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from collector.analytics import ttv
from collector.analytics.results import TimeToValueFigures
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.conftest import Store, at, did

A, C = "Signed Up", "Report Created"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
Ask = Callable[..., TimeToValueFigures]


@pytest.fixture
def ask(engine: Engine, project: CreatedProject) -> Ask:
    """Time to ``Report Created`` over the first two weeks of March (options override)."""

    def run(**options: Any) -> TimeToValueFigures:
        params = {
            "value": {"event": C},
            "from_": datetime.fromisoformat(at(0)),
            "to": datetime.fromisoformat(at(14)),
            "tz": ZoneInfo("UTC"),
            **options,
        }
        return ttv.run(engine, params, project.id, NOW)

    return run


@pytest.fixture
def journeys(store: Store) -> None:
    """ada 2 h, bob 2 days, cy never, dee 1 h (starting late); eve started before the range."""
    store(
        did("ada", A, at(1), plan="pro"),
        did("ada", C, at(1, hours=2)),
        did("bob", A, at(2), plan="free"),
        did("bob", C, at(4)),
        did("cy", A, at(3), plan="free"),
        did("dee", A, at(12), plan="pro"),
        did("dee", C, at(12, hours=1)),
        did("eve", A, at(-1)),
        did("eve", C, at(1)),
    )


@pytest.mark.usefixtures("journeys")
def test_persons_started_in_the_range_and_reaching_value(ask: Ask) -> None:
    result = ask()
    assert (result["persons_started"], result["persons_reached_value"]) == (4, 3)


@pytest.mark.usefixtures("journeys")
def test_median_and_p90_are_over_persons_who_reached_value(ask: Ask) -> None:
    result = ask()
    assert result["median_seconds"] == 7200
    # p90 of 3600, 7200, 172800: 1.8 ranks in, 7200 + 0.8 x (172800 - 7200).
    assert result["p90_seconds"] == pytest.approx(139680)


@pytest.mark.usefixtures("journeys")
def test_share_within_n_days_counts_only_persons_who_started_n_days_before_the_end(
    ask: Ask,
) -> None:
    within = ask()["within"]
    assert within["1d"] == {"eligible": 4, "reached": 2, "share": 0.5}
    assert within["7d"] == {"eligible": 3, "reached": 2, "share": pytest.approx(2 / 3)}
    assert within["30d"] == {"eligible": 0, "reached": 0, "share": None}


@pytest.mark.usefixtures("journeys")
def test_histogram_buckets_persons_by_time_to_value(ask: Ask) -> None:
    histogram = ask()["histogram"]
    assert [bucket["persons"] for bucket in histogram] == [0, 2, 1, 0, 0, 0, 0]
    assert histogram[1]["from_seconds"] == 3600 and histogram[-1]["to_seconds"] is None


@pytest.mark.usefixtures("journeys")
def test_cohorts_are_signup_weeks(ask: Ask) -> None:
    cohorts = ask()["cohorts"]
    assert [(c["cohort"], c["persons_started"], c["persons_reached_value"]) for c in cohorts] == [
        ("2026-03-02", 3, 2),
        ("2026-03-09", 1, 1),
    ]


@pytest.mark.usefixtures("journeys")
def test_cohort_weeks_begin_in_the_readers_time_zone(ask: Ask) -> None:
    cohorts = ask(tz=ZoneInfo("Pacific/Auckland"))["cohorts"]
    # The range ends on Monday 16 March at 13:00 in Auckland: a third week has begun.
    assert [c["cohort"] for c in cohorts] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    cohorts = ask(tz=ZoneInfo("America/New_York"))["cohorts"]
    # In New York the range begins on Sunday 1 March, in the week of 23 February.
    assert [c["cohort"] for c in cohorts] == ["2026-02-23", "2026-03-02", "2026-03-09"]


@pytest.mark.usefixtures("journeys")
def test_breakdown_by_a_property_of_the_start_event(ask: Ask) -> None:
    breakdown = ask(breakdown="properties.plan")["breakdown"]
    assert {value: f["persons_reached_value"] for value, f in breakdown.items()} == {
        "free": 1,
        "pro": 2,
    }
    assert breakdown["pro"]["median_seconds"] == 5400


def test_a_named_start_event_starts_at_its_first_occurrence(store: Store, ask: Ask) -> None:
    store(
        did("ada", "Page Viewed", at(0)),
        did("ada", "Trial Started", at(1)),
        did("ada", "Trial Started", at(2)),
        did("ada", C, at(3)),
    )
    result = ask(start={"event": "Trial Started"})
    assert (result["persons_started"], result["median_seconds"]) == (1, 2 * 86400)


def test_a_value_event_before_the_start_does_not_count(store: Store, ask: Ask) -> None:
    store(did("ada", C, at(0)), did("ada", "Trial Started", at(1)))
    result = ask(start={"event": "Trial Started"})
    assert (result["persons_started"], result["persons_reached_value"]) == (1, 0)


def test_value_filters_match_properties(store: Store, ask: Ask) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", C, at(2), type="table"),
        did("ada", C, at(3), type="funnel"),
    )
    result = ask(value={"event": C, "where": {"properties.type": "funnel"}})
    assert result["median_seconds"] == 2 * 86400


def test_breakdown_by_a_person_trait(store: Store, ask: Ask) -> None:
    store(
        factories.message(
            "identify", userId="ada", anonymousId=None, timestamp=at(1), traits={"plan": "pro"}
        ),
        did("ada", C, at(1, hours=1)),
    )
    breakdown = ask(breakdown="person.plan")["breakdown"]
    assert breakdown["pro"]["persons_reached_value"] == 1


def test_no_one_started_answers_zeros(ask: Ask) -> None:
    result = ask()
    assert (result["persons_started"], result["median_seconds"]) == (0, None)
    assert result["within"]["1d"]["share"] is None
