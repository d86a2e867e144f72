"""What several analyses ask of a person: when they started, which breakdown value they
have, and which period a moment falls in."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, String, case, func, literal, or_, select

from collector.analytics.definitions import EventMatch, PropertyPath, TimeRange
from collector.analytics.queries.common import Rows, matches, value_of
from collector.kit.db.models import Account, AccountMember, Event, Person, table_of

_events = table_of(Event)
_persons = table_of(Person)
_accounts = table_of(Account)
_members = table_of(AccountMember)


def person_starts(project_id: uuid.UUID, start: EventMatch | None, within: TimeRange) -> Rows:
    """``person_id, started``: each person's first ``start`` event (or, when None, first
    track event), for the persons whose start falls inside ``within``."""
    if start is None:
        first = _events.alias("first_event")
        started = (
            select(first.c.timestamp)
            .where(
                first.c.project_id == project_id,
                first.c.person_id == _persons.c.id,
                first.c.type == "track",
            )
            .order_by(first.c.timestamp)
            .limit(1)
            .scalar_subquery()
        )
        firsts = select(_persons.c.id.label("person_id"), started.label("started")).where(
            _persons.c.project_id == project_id
        )
    else:
        event = _events.alias("start_event")
        firsts = (
            select(event.c.person_id, func.min(event.c.timestamp).label("started"))
            .where(
                event.c.project_id == project_id,
                event.c.person_id.is_not(None),
                matches(event, start),
            )
            .group_by(event.c.person_id)
        )
    each = firsts.subquery("firsts")
    return select(each).where(each.c.started >= within.start, each.c.started < within.end)


def breakdown_value(
    project_id: uuid.UUID,
    path: PropertyPath | None,
    person: ColumnElement[object],
    started: ColumnElement[object],
    starting: Sequence[EventMatch | None],
) -> ColumnElement[object]:
    """A person trait, a trait of the person's first account, or a property of the event
    that started (one matching ``starting`` at ``started``; None: any track event)."""
    if path is None:
        return literal(None, String)
    if path.source == "person":
        return select(value_of(_persons, path)).where(_persons.c.id == person).scalar_subquery()
    if path.source == "account":
        return (
            select(value_of(_accounts, path))
            .join(_members, _members.c.account_id == _accounts.c.id)
            .where(_members.c.person_id == person)
            .order_by(_members.c.joined_at, _members.c.id)
            .limit(1)
            .scalar_subquery()
        )
    return _touch_property(project_id, path, person, started, starting)


def _touch_property(
    project_id: uuid.UUID,
    path: PropertyPath,
    person: ColumnElement[object],
    started: ColumnElement[object],
    starting: Sequence[EventMatch | None],
) -> ColumnElement[object]:
    touch = _events.alias("first_touch")
    kinds = [touch.c.type == "track" if step is None else matches(touch, step) for step in starting]
    return (
        select(value_of(touch, path))
        .where(
            touch.c.project_id == project_id,
            touch.c.person_id == person,
            touch.c.timestamp == started,
            or_(*kinds),
        )
        .order_by(touch.c.id)
        .limit(1)
        .scalar_subquery()
    )


def period_index(moment: ColumnElement[object], edges: Sequence[datetime]) -> ColumnElement[int]:
    """Which period ``[edges[i], edges[i+1])`` holds ``moment`` (None outside them all).
    The edges are exact instants computed in the reader's time zone."""
    return case(
        *((moment < edge, index) for index, edge in enumerate(edges[1:])),
        else_=None,
    )
