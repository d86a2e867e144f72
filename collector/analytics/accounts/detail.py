"""One account's page: its traits, current health, users, weekly activity and the history
of its health colours.

Weeks are ISO weeks (Monday first) in the reader's time zone, as in every other analysis;
the last one ends at ``to`` (default now). Health is scored exactly as in the list
(:func:`collector.analytics.accounts.health.accounts_health`), over the window ending at ``to``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Row

from collector.analytics.accounts import detail_queries as queries
from collector.analytics.accounts.health import accounts_health
from collector.analytics.accounts.results import (
    AccountActivity,
    AccountDetail,
    AccountUser,
    CurrentHealth,
    HealthChange,
    HealthHistory,
)
from collector.kit.db.engine import read_transaction
from collector.kit.db.paging import Page, decode_cursor, encode_cursor
from collector.kit.errors import NotFound
from collector.kit.periods import boundaries, period_start

MAX_HISTORY = 100
"""Colour changes shown, newest first: a page to read, not an export."""


@dataclass(frozen=True)
class Weeks:
    """``count`` weeks in ``zone`` whose last one holds the moment before ``end``."""

    end: datetime
    zone: ZoneInfo
    count: int

    def edges(self) -> list[datetime]:
        last = period_start(self.end - timedelta(microseconds=1), "week", self.zone)
        first = last - timedelta(weeks=self.count - 1)
        return boundaries([first + timedelta(weeks=n) for n in range(self.count + 1)], self.zone)


def parse_account_id(text: str) -> uuid.UUID:
    """An account id from a path; anything else names no account (404, as an unknown one)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _missing(text) from None


def _missing(identifier: object) -> NotFound:
    return NotFound(f"no account with id {identifier} in this project")


def _user(row: Row[Any]) -> AccountUser:
    """Of the person's traits only ``name`` and ``email``: the person's page has them all."""
    traits = row.traits or {}
    return {
        "person_id": row.person_id,
        "user_id": row.user_id,
        "name": _text(traits.get("name")),
        "email": _text(traits.get("email")),
        "joined_at": row.joined_at,
        "last_seen": row.last_seen,
        "events": row.events,
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _users(
    connection: Connection,
    project_id: uuid.UUID,
    account_id: uuid.UUID,
    within: tuple[datetime, datetime],
    *,
    cursor: str | None,
    limit: int,
) -> Page[AccountUser]:
    statement = queries.users_page(
        project_id, account_id, within, after_id=decode_cursor(cursor), limit=limit + 1
    )
    rows = connection.execute(statement).all()
    shown, more = rows[:limit], len(rows) > limit
    return Page(
        data=[_user(row) for row in shown],
        has_more=more,
        next_cursor=encode_cursor(shown[-1].id) if shown else cursor or None,
    )


def _activity(
    connection: Connection, project_id: uuid.UUID, account_id: uuid.UUID, weeks: Weeks
) -> AccountActivity:
    edges = weeks.edges()
    rows = connection.execute(queries.weekly_activity(project_id, account_id, edges, weeks.end))
    counted = {row.week: row for row in rows}
    return {
        "interval": "week",
        "tz": weeks.zone.key,
        "from": edges[0],
        "to": weeks.end,
        "weeks": [
            {
                "week": edge.astimezone(weeks.zone).date().isoformat(),
                "active_users": counted[index].active_users if index in counted else 0,
                "events": counted[index].events if index in counted else 0,
            }
            for index, edge in enumerate(edges[:-1])
        ],
    }


def _history(connection: Connection, project_id: uuid.UUID, account_id: uuid.UUID) -> HealthHistory:
    rows = connection.execute(queries.health_history(project_id, account_id, MAX_HISTORY + 1))
    entries: list[HealthChange] = [
        {"at": row.at, "status": row.colour, "previous": row.previous, "score": row.score}
        for row in rows
    ]
    return {"data": entries[:MAX_HISTORY], "has_more": len(entries) > MAX_HISTORY}


def _health(
    engine: Engine, project_id: uuid.UUID, account_id: uuid.UUID, end: datetime
) -> CurrentHealth:
    entries, settings = accounts_health(engine, project_id, None, end, account_id=account_id)
    if not entries:
        raise _missing(account_id)
    entry = entries[0]
    return {
        "score": entry["score"],
        "status": entry["status"],
        "components": entry["components"],
        "from": settings["from"],
        "to": settings["to"],
    }


def account_detail(
    engine: Engine,
    project_id: uuid.UUID,
    account_id: uuid.UUID,
    weeks: Weeks,
    *,
    cursor: str | None,
    limit: int,
) -> AccountDetail:
    """The account's page; 404 for an account of no project or of another one."""
    with read_transaction(engine) as connection:
        found = connection.execute(queries.account(project_id, account_id)).first()
        if found is None:
            raise _missing(account_id)
        activity = _activity(connection, project_id, account_id, weeks)
        within = (activity["from"], weeks.end)
        users = _users(connection, project_id, account_id, within, cursor=cursor, limit=limit)
        history = _history(connection, project_id, account_id)
    return {
        "id": found.id,
        "group_id": found.group_id,
        "name": _text((found.traits or {}).get("name")),
        "traits": found.traits or {},
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "health": _health(engine, project_id, account_id, weeks.end),
        "activity": activity,
        "users": users.as_dict(),
        "health_history": history,
    }
