"""Account health, at-risk accounts and churn: run the statements, score, shape.

The database counts per account (activity, members, answers); scoring the counts is
pure (:mod:`collector.analytics.accounts.health_scoring`). Days of activity are UTC days, as
ingestion counts them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from collector.analytics.accounts import queries
from collector.analytics.accounts.health_scoring import (
    AccountUsage,
    account_health,
    seats_of,
)
from collector.analytics.accounts.results import AccountHealth, Health, ShownSettings
from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Project, table_of
from collector.kit.db.paging import Page, decode_cursor, encode_cursor
from collector.kit.project_settings import HealthSettings, ProjectSettings

_projects = table_of(Project)
HEALTH_COLUMNS = (
    "group_id",
    "name",
    "score",
    "status",
    "frequency",
    "breadth",
    "depth",
    "sentiment",
    "active_days",
    "active_users",
    "members",
    "seats",
    "features_used",
    "nps",
    "csat_satisfied_share",
)


@dataclass(frozen=True)
class Window:
    """The activity scored: ``[start, end)``, whole UTC days."""

    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return max(1, -(-(self.end - self.start) // timedelta(days=1)))


def window_of(start: datetime | None, end: datetime | None, settings: HealthSettings) -> Window:
    """The given range, or the project's window (30 days by default) up to ``end`` or now."""
    end = end or datetime.now(UTC)
    return Window(start or end - timedelta(days=settings.window_days), end)


def project_health_settings(connection: Connection, project_id: uuid.UUID) -> HealthSettings:
    stored = connection.execute(
        select(_projects.c.settings).where(_projects.c.id == project_id)
    ).scalar()
    return ProjectSettings.from_stored(stored).health


def _usage(row: Any, counts: dict[str, dict[uuid.UUID, Any]], window: Window, keys: int) -> Any:
    active, sentiment = counts["activity"].get(row.id), counts["sentiment"].get(row.id)
    return AccountUsage(
        active_days=active.active_days if active else 0,
        window_days=window.days,
        active_users=active.active_users if active else 0,
        members=counts["members"].get(row.id, 0),
        seats=seats_of(row.traits or {}),
        features_used=active.features_used if active else 0,
        key_features=keys,
        nps_promoters=int(sentiment.nps_promoters) if sentiment else 0,
        nps_detractors=int(sentiment.nps_detractors) if sentiment else 0,
        nps_answers=int(sentiment.nps_answers) if sentiment else 0,
        csat_satisfied=int(sentiment.csat_satisfied) if sentiment else 0,
        csat_answers=int(sentiment.csat_answers) if sentiment else 0,
    )


def _counts(
    connection: Connection,
    project_id: uuid.UUID,
    window: Window,
    settings: HealthSettings,
    account_id: uuid.UUID | None,
) -> dict[str, dict[uuid.UUID, Any]]:
    last_day = (window.end - timedelta(microseconds=1)).date()
    activity = queries.activity(
        project_id, window.start.date(), last_day, settings.key_features, account_id
    )
    members = queries.members(project_id, account_id)
    sentiment = queries.sentiment(project_id, window.end, account_id)
    return {
        "activity": {row.account_id: row for row in connection.execute(activity)},
        "members": {row.account_id: row.members for row in connection.execute(members)},
        "sentiment": {row.account_id: row for row in connection.execute(sentiment)},
    }


def accounts_health(
    engine: Engine,
    project_id: uuid.UUID,
    start: datetime | None,
    end: datetime | None,
    *,
    account_id: uuid.UUID | None = None,
) -> tuple[list[AccountHealth], ShownSettings]:
    """Every account's health (or only ``account_id``'s), least healthy first, and the
    settings it was scored with."""
    with read_transaction(engine) as connection:
        settings = project_health_settings(connection, project_id)
        window = window_of(start, end, settings)
        counts = _counts(connection, project_id, window, settings, account_id)
        rows = connection.execute(queries.accounts(project_id, account_id)).all()
    keys = len(settings.key_features)
    scored = [
        _scored(row, account_health(_usage(row, counts, window, keys), settings)) for row in rows
    ]
    scored.sort(key=lambda entry: (entry["score"] is None, entry["score"] or 0))
    shown_settings: ShownSettings = {
        "weights": dict(settings.weights),
        "thresholds": dict(settings.thresholds),
        "key_features": list(settings.key_features),
        "from": window.start,
        "to": window.end,
    }
    return scored, shown_settings


def _scored(row: Row[Any], health: Health) -> AccountHealth:
    return AccountHealth(
        account_id=row.id,
        group_id=row.group_id,
        name=(row.traits or {}).get("name"),
        score=health["score"],
        status=health["status"],
        components=health["components"],
    )


def page_of(
    entries: Sequence[AccountHealth], *, cursor: str | None, limit: int
) -> Page[AccountHealth]:
    """A page of a computed list; the cursor is the position after the page."""
    offset = decode_cursor(cursor)
    data = list(entries[offset : offset + limit])
    following = offset + len(data)
    return Page(
        data=data,
        has_more=following < len(entries),
        next_cursor=encode_cursor(following) if data else cursor or None,
    )


def health_rows(entries: Sequence[AccountHealth]) -> Iterator[dict[str, Any]]:
    """Accounts' health as flat rows for CSV."""
    for entry in entries:
        parts = entry["components"]
        yield {
            **{name: entry[name] for name in ("group_id", "name", "score", "status")},
            **{name: parts[name]["value"] for name in ("frequency", "breadth", "depth")},
            "sentiment": parts["sentiment"]["value"],
            "active_days": parts["frequency"]["active_days"],
            "active_users": parts["breadth"]["active_users"],
            "members": parts["breadth"]["members"],
            "seats": parts["breadth"]["seats"],
            "features_used": parts["depth"]["features_used"],
            "nps": parts["sentiment"]["nps"],
            "csat_satisfied_share": parts["sentiment"]["csat_satisfied_share"],
        }
