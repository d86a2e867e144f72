"""Days, ISO weeks and months of the reader's time zone, as UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from collector.kit import periods
from collector.kit.errors import ValidationFailed

UTC_ZONE = ZoneInfo("UTC")
TOKYO = ZoneInfo("Asia/Tokyo")
PARIS = ZoneInfo("Europe/Paris")


def test_weeks_begin_on_monday() -> None:
    sunday = datetime(2026, 11, 1, 12, tzinfo=UTC)
    assert periods.period_start(sunday, "week", UTC_ZONE) == date(2026, 10, 26)


def test_months_begin_on_the_first() -> None:
    moment = datetime(2026, 11, 17, tzinfo=UTC)
    assert periods.period_start(moment, "month", UTC_ZONE) == date(2026, 11, 1)


def test_a_day_is_read_in_the_time_zone() -> None:
    evening_utc = datetime(2026, 11, 2, 16, tzinfo=UTC)
    assert periods.period_start(evening_utc, "day", TOKYO) == date(2026, 11, 3)


def test_december_is_followed_by_january() -> None:
    assert periods.next_period(date(2026, 12, 1), "month") == date(2027, 1, 1)


def test_periods_cover_the_range_oldest_first() -> None:
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC)
    assert periods.periods(start, end, "week", UTC_ZONE) == [
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
    ]


def test_a_range_ending_at_midnight_has_no_empty_last_day() -> None:
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)
    assert periods.periods(start, end, "day", UTC_ZONE) == [date(2026, 11, 1), date(2026, 11, 2)]


def test_boundaries_follow_daylight_saving_time() -> None:
    days = [date(2026, 10, 25), date(2026, 10, 26)]
    assert periods.boundaries(days, PARIS) == [
        datetime(2026, 10, 24, 22, tzinfo=UTC),
        datetime(2026, 10, 25, 23, tzinfo=UTC),
    ]


def test_more_periods_than_the_limit_are_refused_naming_from() -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 10, tzinfo=UTC)
    with pytest.raises(ValidationFailed) as refused:
        periods.periods(start, end, "day", UTC_ZONE, limit=5)
    assert "from" in (refused.value.fields or {})
