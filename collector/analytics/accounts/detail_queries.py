"""Statement builders for one account's page: the account, its users, its weekly activity
and its health history. They never open a connection.

Activity is what a person does in the product: ``track``, ``page`` and ``screen`` calls.
``identify`` and ``group`` calls say who someone is, not that they used anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, distinct, func, select

from collector.analytics.queries.persons import period_index
from collector.kit.db.models import (
    Account,
    AccountHealthChange,
    AccountMember,
    Event,
    Person,
    table_of,
)

_accounts = table_of(Account)
_members = table_of(AccountMember)
_events = table_of(Event)
_persons = table_of(Person)
_history = table_of(AccountHealthChange)

ACTIVITY_TYPES = ("track", "page", "screen")


def account(project_id: uuid.UUID, account_id: uuid.UUID) -> Select[Any]:
    return select(_accounts).where(
        _accounts.c.project_id == project_id, _accounts.c.id == account_id
    )


def _activity_of(events: Any, project_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [events.c.project_id == project_id, events.c.type.in_(ACTIVITY_TYPES)]


def weekly_activity(
    project_id: uuid.UUID, account_id: uuid.UUID, edges: Sequence[datetime], end: datetime
) -> Select[Any]:
    """``week, active_users, events``: per week ``[edges[i], edges[i+1])`` up to ``end``,
    the members who did something and how much, in one pass over the members' events."""
    dated = (
        select(
            _events.c.person_id,
            period_index(_events.c.timestamp, edges).label("week"),
        )
        .join(_members, _members.c.person_id == _events.c.person_id)
        .where(
            *_activity_of(_events, project_id),
            _members.c.project_id == project_id,
            _members.c.account_id == account_id,
            _events.c.timestamp >= edges[0],
            _events.c.timestamp < end,
        )
        .subquery("dated")
    )
    # Grouped by the subquery's column: a CASE repeated in GROUP BY would bind its edges
    # twice, and PostgreSQL would not see the two as the same expression.
    return select(
        dated.c.week,
        func.count(distinct(dated.c.person_id)).label("active_users"),
        func.count().label("events"),
    ).group_by(dated.c.week)


def users_page(
    project_id: uuid.UUID,
    account_id: uuid.UUID,
    within: tuple[datetime, datetime],
    *,
    after_id: int,
    limit: int,
) -> Select[Any]:
    """The account's members after membership ``after_id``, with when each was last active
    and how many activity events they sent ``within`` the range."""
    seen = _events.alias("seen")
    last_seen = (
        select(func.max(seen.c.timestamp))
        .where(*_activity_of(seen, project_id), seen.c.person_id == _members.c.person_id)
        .scalar_subquery()
    )
    counted = _events.alias("counted")
    events = (
        select(func.count())
        .where(
            *_activity_of(counted, project_id),
            counted.c.person_id == _members.c.person_id,
            counted.c.timestamp >= within[0],
            counted.c.timestamp < within[1],
        )
        .scalar_subquery()
    )
    return (
        select(
            _members.c.id,
            _members.c.person_id,
            _members.c.joined_at,
            _persons.c.user_id,
            _persons.c.traits,
            last_seen.label("last_seen"),
            events.label("events"),
        )
        .join(_persons, _persons.c.id == _members.c.person_id)
        .where(
            _members.c.project_id == project_id,
            _members.c.account_id == account_id,
            _members.c.id > after_id,
        )
        .order_by(_members.c.id)
        .limit(limit)
    )


def health_history(project_id: uuid.UUID, account_id: uuid.UUID, limit: int) -> Select[Any]:
    """The account's recorded colours, newest first."""
    return (
        select(_history.c.at, _history.c.colour, _history.c.previous, _history.c.score)
        .where(_history.c.project_id == project_id, _history.c.account_id == account_id)
        .order_by(_history.c.at.desc(), _history.c.id.desc())
        .limit(limit)
    )
