"""Properties every funnel keeps, on random event histories (hypothesis), on SQLite and
PostgreSQL: counts never increase along the steps, strict ≤ ordered ≤ unordered, a wider
window never lowers a count, and every order agrees with the definitions in Python."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from collector.analytics.definitions import EventMatch, Funnel, FunnelOrder, TimeRange
from collector.analytics.funnels import run_funnel
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.conftest import DAY0, at, did
from tests.collector.analytics.oracle import Tracked, figures

STEPS = ("A", "B", "C")
RANGE = TimeRange(DAY0, DAY0 + timedelta(days=15))
History = list[tuple[int, str, int]]
"""``(person, event, hour)``: person 0, 1 or 2 did the event that many hours after ``DAY0``."""

histories = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from((*STEPS, "X")), st.integers(-24, 20 * 24)),
    min_size=1,
    max_size=20,
)
windows = st.integers(1, 8 * 24)
examples = settings(max_examples=20, deadline=None)


def load(engine: Engine, history: History) -> CreatedProject:
    project = factories.create_project(engine)
    factories.ingest_messages(
        engine,
        project,
        *(did(f"p{person}", event, at(hours=hour)) for person, event, hour in history),
    )
    return project


def funnel(project: CreatedProject, order: FunnelOrder, hours: int) -> Funnel:
    steps = tuple(EventMatch(step) for step in STEPS)
    return Funnel(project.id, steps, hours * 3600, order, RANGE)


def counts(engine: Engine, project: CreatedProject, order: FunnelOrder, hours: int) -> list[int]:
    steps = run_funnel(engine, funnel(project, order, hours))["steps"]
    return [step["persons"] for step in steps]


def at_most(smaller: list[int], larger: list[int]) -> bool:
    return all(a <= b for a, b in zip(smaller, larger, strict=True))


@examples
@given(history=histories, hours=windows)
def test_counts_never_increase_along_the_steps(
    engine: Engine, history: History, hours: int
) -> None:
    project = load(engine, history)
    for order in ("ordered", "strict", "unordered"):
        found = counts(engine, project, order, hours)
        assert found == sorted(found, reverse=True), order


@examples
@given(history=histories, hours=windows)
def test_ordered_never_exceeds_unordered(engine: Engine, history: History, hours: int) -> None:
    project = load(engine, history)
    assert at_most(
        counts(engine, project, "ordered", hours), counts(engine, project, "unordered", hours)
    )


@examples
@given(history=histories, hours=windows)
def test_strict_never_exceeds_ordered(engine: Engine, history: History, hours: int) -> None:
    project = load(engine, history)
    assert at_most(
        counts(engine, project, "strict", hours), counts(engine, project, "ordered", hours)
    )


@examples
@given(history=histories, hours=windows, wider=st.integers(1, 8 * 24))
def test_a_wider_window_never_lowers_a_count(
    engine: Engine, history: History, hours: int, wider: int
) -> None:
    project = load(engine, history)
    for order in ("ordered", "strict", "unordered"):
        narrow, wide = (
            counts(engine, project, order, hours),
            counts(engine, project, order, hours + wider),
        )
        assert at_most(narrow, wide), order


@examples
@given(history=histories, hours=windows)
def test_every_order_agrees_with_the_definitions(
    engine: Engine, history: History, hours: int
) -> None:
    project = load(engine, history)
    persons: dict[int, list[Tracked]] = {}
    for index, (person, event, hour) in enumerate(history):
        moment = DAY0 + timedelta(hours=hour)
        persons.setdefault(person, []).append(Tracked(event, moment, {}, index))
    for order in ("ordered", "strict", "unordered"):
        asked = funnel(project, order, hours)
        expected = [n for n, _ in figures(persons, asked)]
        assert counts(engine, project, order, hours) == expected, order
