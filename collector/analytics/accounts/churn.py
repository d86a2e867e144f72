"""Churn over a period: accounts whose ``status`` trait became ``churned``.

An account churns at the time its ``status`` trait was set to ``churned`` (the message
timestamp of that ``group`` call). The rate of a period is the accounts that churned in
it among the accounts at its start: those Waypost knew of before the start and that had
not churned yet. Accounts first seen during the period are listed when they churn, but
are not in the rate, whose denominator never had them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from collector.analytics.accounts import queries
from collector.analytics.accounts.results import Churn, ChurnedAccount, ChurnPeriod, ChurnRate
from collector.analytics.surveys.scoring import share
from collector.kit import periods
from collector.kit.db.engine import read_transaction

DEFAULT_DAYS = 30
CHURN_COLUMNS = ("group_id", "name", "churned_at", "known_at_start")


@dataclass(frozen=True)
class Churned:
    account_id: uuid.UUID
    group_id: str
    name: Any
    created_at: datetime
    churned_at: datetime


def _churned_at(times: Mapping[str, str] | None, fallback: datetime) -> datetime:
    stamp = (times or {}).get("status")
    return datetime.fromisoformat(stamp) if stamp else fallback


def _rate(
    churned: Sequence[Churned], known_before_start: int, start: datetime, end: datetime
) -> ChurnRate:
    gone_before = sum(1 for c in churned if c.churned_at < start)
    counted = [c for c in churned if start <= c.churned_at < end and c.created_at < start]
    at_start = known_before_start - gone_before
    return {
        "accounts_at_start": at_start,
        "churned": len(counted),
        "churn_rate": share(len(counted), at_start),
    }


def _listing(churned: Sequence[Churned], start: datetime, end: datetime) -> list[ChurnedAccount]:
    return [
        {
            "account_id": c.account_id,
            "group_id": c.group_id,
            "name": c.name,
            "churned_at": c.churned_at,
            "known_at_start": c.created_at < start,
        }
        for c in churned
        if start <= c.churned_at < end
    ]


def account_churn(
    engine: Engine,
    project_id: uuid.UUID,
    *,
    start: datetime | None,
    end: datetime | None,
    zone: ZoneInfo,
    interval: periods.Interval | None = None,
) -> Churn:
    """The churn rate of ``[start, end)`` (the last 30 days by default), with the accounts
    that churned and, with ``interval``, the rate of each period."""
    end = end or datetime.now(UTC)
    start = start or end - timedelta(days=DEFAULT_DAYS)
    starts = _period_starts(start, end, zone, interval)
    with read_transaction(engine) as connection:
        churned = [
            Churned(
                row.id,
                row.group_id,
                (row.traits or {}).get("name"),
                row.created_at,
                _churned_at(row.trait_times, row.created_at),
            )
            for row in connection.execute(queries.churned_accounts(project_id))
        ]
        known = connection.execute(queries.accounts_known_before(project_id, starts)).one()
    known_counts = [int(value or 0) for value in known]
    rate = _rate(churned, known_counts[0], start, end)
    result: Churn = {
        "from": start,
        "to": end,
        "accounts_at_start": rate["accounts_at_start"],
        "churned": rate["churned"],
        "churn_rate": rate["churn_rate"],
        "churned_accounts": _listing(churned, start, end),
    }
    if interval is not None:
        result["trend"] = list(_trend(churned, starts, known_counts, end))
    return result


def _period_starts(
    start: datetime, end: datetime, zone: ZoneInfo, interval: periods.Interval | None
) -> list[datetime]:
    """``start``, then where each later period of ``interval`` begins inside the range."""
    if interval is None:
        return [start]
    later = periods.boundaries(periods.periods(start, end, interval, zone), zone)[1:]
    return [start, *later]


def _trend(
    churned: Sequence[Churned], starts: Sequence[datetime], known: Sequence[int], end: datetime
) -> Iterator[ChurnPeriod]:
    for index, start in enumerate(starts):
        until = starts[index + 1] if index + 1 < len(starts) else end
        yield {"start": start, "end": until, **_rate(churned, known[index], start, until)}
