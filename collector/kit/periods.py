"""Calendar periods (days, ISO weeks, months) in a time zone, as UTC instants.

Trends bucket answers by the periods of the reader's time zone: a day in Tokyo begins at
15:00 UTC the day before, and a day with a daylight-saving change lasts 23 or 25 hours.
The boundaries are computed here, exactly, so the database only compares instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from collector.kit.errors import ValidationFailed

Interval = Literal["day", "week", "month"]
INTERVALS: tuple[Interval, ...] = ("day", "week", "month")


def period_start(moment: datetime, interval: Interval, zone: ZoneInfo) -> date:
    """The first day of the period holding ``moment``, as a date in ``zone``."""
    day = moment.astimezone(zone).date()
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def next_period(start: date, interval: Interval) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """When ``day`` begins in ``zone``, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def periods(
    start: datetime, end: datetime, interval: Interval, zone: ZoneInfo, *, limit: int = 400
) -> list[date]:
    """The first day of every period that overlaps ``[start, end)``, oldest first.

    More than ``limit`` periods is refused (naming ``from``): a trend that long is not
    readable, and each period costs the query a comparison.
    """
    first = period_start(start, interval, zone)
    days = [first]
    while local_midnight(next_period(days[-1], interval), zone) < end:
        days.append(next_period(days[-1], interval))
        if len(days) > limit:
            raise ValidationFailed(
                "too many periods",
                fields={"from": [f"the range must hold at most {limit} {interval}s"]},
            )
    return days


def boundaries(days: list[date], zone: ZoneInfo) -> list[datetime]:
    """Where each period begins, in UTC (the first may lie before the range)."""
    return [local_midnight(day, zone) for day in days]
