"""Statement builders for tour and checklist analytics; they never open a connection.

Tours are read from their reserved events (``Flow Started``, ``Flow Step Viewed``,
``Flow Completed``, ``Flow Dismissed``), found through the events index on
``(project, event, timestamp)``; checklists from the progress each person has with them.
A person's start is their first ``Flow Started``; the range selects who started in it,
and everything those people did afterwards counts, so late finishers are not lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    distinct,
    func,
    or_,
    select,
)

from collector.kit.db.backends.expressions import epoch_seconds, json_list_has
from collector.kit.db.models import Event, ExperienceState, Person, table_of

_events = table_of(Event)
_states = table_of(ExperienceState)
_persons = table_of(Person)

TOUR_EVENTS = ("Flow Started", "Flow Step Viewed", "Flow Completed", "Flow Dismissed")
NO_STEP = ""
OPEN_STATUSES = ("shown", "in_progress")


@dataclass(frozen=True)
class FlowFilter:
    project_id: uuid.UUID
    flow_id: uuid.UUID
    start: datetime | None = None
    end: datetime | None = None


def _in_range(column: Any, where: FlowFilter) -> list[ColumnElement[bool]]:
    conditions = []
    if where.start is not None:
        conditions.append(column >= where.start)
    if where.end is not None:
        conditions.append(column < where.end)
    return conditions


def median_of(values: Subquery, column: str) -> Select[Any]:
    """The median of a column (mean of the two middle values when their number is even).

    Window functions number the values; integer division picks the middle ones, the
    same SQL on both backends, with only the median leaving the database.
    """
    value = values.c[column]
    ranked = select(
        value.label("value"),
        func.row_number().over(order_by=value).label("position"),
        func.count().over().label("total"),
    ).subquery("ranked")
    middle = (ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2
    return select(func.avg(ranked.c.value)).where(ranked.c.position.in_(middle))


def tour_events(where: FlowFilter) -> Subquery:
    """The flow's reserved events: person, event, step and time."""
    return (
        select(
            _events.c.person_id,
            _events.c.event,
            func.coalesce(_events.c.properties["step"].as_string(), NO_STEP).label("step"),
            _events.c.timestamp,
        )
        .where(
            _events.c.project_id == where.project_id,
            _events.c.event.in_(TOUR_EVENTS),
            _events.c.properties["flow_id"].as_string() == str(where.flow_id),
        )
        .subquery("flow_events")
    )


def tour_cohort(flow_events: Subquery, where: FlowFilter) -> Subquery:
    """Persons whose first ``Flow Started`` lies in the range, with when."""
    first = (
        select(flow_events.c.person_id, func.min(flow_events.c.timestamp).label("started_at"))
        .where(flow_events.c.event == "Flow Started")
        .group_by(flow_events.c.person_id)
        .subquery("starts")
    )
    return select(first).where(*_in_range(first.c.started_at, where)).subquery("cohort")


def tour_counts(where: FlowFilter) -> Select[Any]:
    """Persons of the cohort per event and step (steps of viewing and of dismissing)."""
    flow_events = tour_events(where)
    cohort = tour_cohort(flow_events, where)
    return (
        select(
            flow_events.c.event,
            flow_events.c.step,
            func.count(distinct(flow_events.c.person_id)).label("persons"),
        )
        .join(cohort, cohort.c.person_id == flow_events.c.person_id)
        .where(flow_events.c.timestamp >= cohort.c.started_at)
        .group_by(flow_events.c.event, flow_events.c.step)
    )


def tour_totals(where: FlowFilter) -> Select[Any]:
    """Persons who started, completed, and dismissed (at any step)."""
    flow_events = tour_events(where)
    cohort = tour_cohort(flow_events, where)

    def persons(event: str) -> Any:
        person = case((flow_events.c.event == event, flow_events.c.person_id))
        return func.count(distinct(person))

    return (
        select(
            func.count(distinct(cohort.c.person_id)).label("started"),
            persons("Flow Completed").label("completed"),
            persons("Flow Dismissed").label("dismissed"),
        )
        .select_from(cohort)
        .outerjoin(
            flow_events,
            and_(
                flow_events.c.person_id == cohort.c.person_id,
                flow_events.c.timestamp >= cohort.c.started_at,
            ),
        )
    )


def tour_completion_seconds(where: FlowFilter) -> Select[Any]:
    """The median time from a person's start to their first completion after it."""
    flow_events = tour_events(where)
    cohort = tour_cohort(flow_events, where)
    durations = (
        select(
            (
                func.min(epoch_seconds(flow_events.c.timestamp))
                - epoch_seconds(cohort.c.started_at)
            ).label("seconds")
        )
        .join(cohort, cohort.c.person_id == flow_events.c.person_id)
        .where(
            flow_events.c.event == "Flow Completed",
            flow_events.c.timestamp >= cohort.c.started_at,
        )
        .group_by(flow_events.c.person_id, cohort.c.started_at)
        .subquery("durations")
    )
    return median_of(durations, "seconds")


def _checklist_states(where: FlowFilter) -> list[ColumnElement[bool]]:
    started = func.coalesce(_states.c.first_shown_at, _states.c.updated_at)
    return [
        _states.c.project_id == where.project_id,
        _states.c.experience_id == where.flow_id,
        *_in_range(started, where),
    ]


def checklist_counts(
    where: FlowFilter, items: Sequence[str], stuck_before: datetime
) -> Select[Any]:
    """Persons who started, completed the list, completed each item, and are stuck."""
    stuck = and_(_states.c.status.in_(OPEN_STATUSES), _states.c.updated_at < stuck_before)
    columns: list[ColumnElement[Any]] = [
        func.count().label("started"),
        func.sum(case((_states.c.status == "completed", 1), else_=0)).label("completed"),
        func.sum(case((stuck, 1), else_=0)).label("stuck"),
    ]
    for index, item in enumerate(items):
        done = case((json_list_has(_states.c.completed_items, item), 1), else_=0)
        columns.append(func.sum(done).label(f"item_{index}"))
    return select(*columns).where(*_checklist_states(where))


def _matches(item: Mapping[str, Any]) -> ColumnElement[bool] | None:
    """The ordinary events that complete an item: its event, with its property filters."""
    rule = item.get("completed_by")
    if not rule:
        return None
    conditions = [_events.c.event == rule["event"]]
    for key, value in (rule.get("where") or {}).items():
        field = _events.c.properties[key.removeprefix("properties.")]
        if isinstance(value, bool):
            conditions.append(field.as_boolean() == value)
        elif isinstance(value, int | float):
            conditions.append(field.as_float() == value)
        else:
            conditions.append(field.as_string() == str(value))
    return and_(*conditions)


def checklist_span_seconds(
    where: FlowFilter, items: Sequence[Mapping[str, Any]], live_since: datetime
) -> Select[Any]:
    """The median time from a finisher's first item to their last (when they finished).

    A person's first item is the earliest event that completes one of the items (or a
    manual tick) that arrived while the checklist existed.
    """
    ticked = and_(
        _events.c.event == "Checklist Item Completed",
        _events.c.properties["flow_id"].as_string() == str(where.flow_id),
    )
    completing = or_(ticked, *(m for m in map(_matches, items) if m is not None))
    finishers = (
        select(_states.c.person_id, _states.c.completed_at)
        .where(*_checklist_states(where), _states.c.status == "completed")
        .subquery("finishers")
    )
    durations = (
        select(
            (
                epoch_seconds(finishers.c.completed_at)
                - func.min(epoch_seconds(_events.c.timestamp))
            ).label("seconds")
        )
        .join(finishers, finishers.c.person_id == _events.c.person_id)
        .where(
            _events.c.project_id == where.project_id,
            _events.c.received_at >= live_since,
            _events.c.timestamp <= finishers.c.completed_at,
            completing,
        )
        .group_by(finishers.c.person_id, finishers.c.completed_at)
        .subquery("durations")
    )
    return median_of(durations, "seconds")


def stuck_page(
    where: FlowFilter, stuck_before: datetime, *, after_id: int, limit: int
) -> Select[Any]:
    """Persons who started the checklist and made no progress since ``stuck_before``."""
    return (
        select(
            _states.c.id,
            _states.c.person_id,
            _persons.c.user_id,
            _states.c.status,
            _states.c.completed_items,
            _states.c.first_shown_at,
            _states.c.updated_at.label("last_progress_at"),
        )
        .join(_persons, _persons.c.id == _states.c.person_id)
        .where(
            *_checklist_states(where),
            _states.c.status.in_(OPEN_STATUSES),
            _states.c.updated_at < stuck_before,
            _states.c.id > after_id,
        )
        .order_by(_states.c.id)
        .limit(limit)
    )
