"""The seeded reference dataset: every order of funnel agrees with the definitions
transcribed in Python (``oracle.py``), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from collector.analytics.definitions import EventMatch, Funnel, FunnelOrder, PropertyPath, TimeRange
from collector.analytics.funnels import run_funnel
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Event, table_of
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.oracle import Tracked, figures
from tests.collector.analytics.reference_data import (
    FUNNEL,
    START,
    ReferenceSpec,
    reference_messages,
)

RANGE = TimeRange(START, START + timedelta(days=28))
BATCH = 400


@pytest.fixture(scope="module")
def reference(engine: Engine) -> tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]]:
    """Two projects loaded from the generator; the first one's events, per person."""
    projects = [factories.create_project(engine), factories.create_project(engine, name="Other")]
    for seed, project in zip((7, 8), projects, strict=True):
        messages = list(reference_messages(ReferenceSpec(seed=seed, persons=150)))
        for first in range(0, len(messages), BATCH):
            factories.ingest_messages(engine, project, *messages[first : first + BATCH])
    events = table_of(Event)
    persons: dict[uuid.UUID, list[Tracked]] = defaultdict(list)
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(
                events.c.person_id,
                events.c.event,
                events.c.timestamp,
                events.c.properties,
                events.c.id,
            ).where(events.c.project_id == projects[0].id, events.c.type == "track")
        )
        for row in rows:
            persons[row.person_id].append(Tracked(row.event, row.timestamp, row.properties, row.id))
    return projects[0], persons


def check(
    engine: Engine,
    reference: tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]],
    **options: Any,
) -> None:
    project, persons = reference
    funnel = Funnel(
        project_id=project.id,
        steps=tuple(EventMatch(event) for event in FUNNEL),
        window_seconds=14 * 86400,
        order="ordered",
        range=RANGE,
    )
    funnel = replace(funnel, **options)
    steps = run_funnel(engine, funnel)["steps"]
    found = [(s["persons"], s["median_seconds_from_previous"]) for s in steps]
    expected = figures(persons, funnel)
    assert [n for n, _ in found] == [n for n, _ in expected]
    assert [m for _, m in found] == pytest.approx([m for _, m in expected], abs=1e-3)


@pytest.mark.parametrize("order", ["ordered", "strict", "unordered"])
def test_reference_funnel_agrees_with_the_definitions(
    engine: Engine,
    reference: tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]],
    order: FunnelOrder,
) -> None:
    check(engine, reference, order=order)


@pytest.mark.parametrize("days", [1, 7, 14])
def test_reference_funnel_agrees_at_every_window(
    engine: Engine, reference: tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]], days: int
) -> None:
    check(engine, reference, window_seconds=days * 86400)


def test_reference_funnel_agrees_with_a_property_filter(
    engine: Engine, reference: tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]]
) -> None:
    report = EventMatch(FUNNEL[2], {PropertyPath("properties", ("type",)): ("funnel",)})
    check(engine, reference, steps=(EventMatch(FUNNEL[0]), report, EventMatch(FUNNEL[3])))


def test_reference_funnel_agrees_on_part_of_the_range(
    engine: Engine, reference: tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]]
) -> None:
    check(engine, reference, range=TimeRange(START + timedelta(days=5), START + timedelta(days=12)))


def test_reference_projects_never_mix(
    engine: Engine, reference: tuple[CreatedProject, dict[uuid.UUID, list[Tracked]]]
) -> None:
    project, persons = reference
    funnel = Funnel(
        project.id, (EventMatch(FUNNEL[0]), EventMatch(FUNNEL[1])), 86400, "ordered", RANGE
    )
    assert run_funnel(engine, funnel)["steps"][0]["persons"] == figures(persons, funnel)[0][0]
    assert len(persons) <= 150
