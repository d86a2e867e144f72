"""Period edges in the reader's time zone, as UTC instants the database compares with."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from collector.analytics.definitions import Interval, TimeRange
from collector.kit.errors import ValidationFailed
from collector.kit.periods import local_midnight, next_period, period_start

MAX_PERIODS = 400
"""Cohorts and periods an answer may hold (a weekly triangle of over seven years)."""


def period_days(
    within: TimeRange, interval: Interval, zone: ZoneInfo, *, more: int = 0
) -> list[date]:
    """The first day of every period from the one holding ``within.start`` to the one
    holding the last moment before ``within.end``, then ``more`` periods after."""
    days = [period_start(within.start, interval, zone)]
    while local_midnight(next_period(days[-1], interval), zone) < within.end:
        days.append(next_period(days[-1], interval))
        _check(len(days) + more)
    for _ in range(more + 1):
        days.append(next_period(days[-1], interval))
    _check(len(days))
    return days


def _check(count: int) -> None:
    if count > MAX_PERIODS:
        raise ValidationFailed(
            "too many periods",
            fields={"from": [f"the range must hold at most {MAX_PERIODS} periods"]},
        )


def edges(days: list[date], zone: ZoneInfo) -> list[datetime]:
    return [local_midnight(day, zone) for day in days]
