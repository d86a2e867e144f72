"""The retry schedule: published waits, spread by jitter, lengthened by ``Retry-After``."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from collector.kit.webhook_settings import DEFAULT_SCHEDULE
from collector.webhooks.schedule import (
    MAX_RETRY_AFTER_SECONDS,
    next_delay,
    parse_retry_after,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_the_default_schedule_is_the_published_one() -> None:
    assert DEFAULT_SCHEDULE == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


@pytest.mark.parametrize(("tries", "base"), [(1, 5), (2, 300), (7, 36000)])
def test_each_wait_is_the_scheduled_one_within_twenty_percent(tries: int, base: float) -> None:
    delays = [next_delay(DEFAULT_SCHEDULE, tries, rng=random.Random(seed)) for seed in range(50)]
    assert all(d is not None and base * 0.8 <= d <= base * 1.2 for d in delays)
    assert len(set(delays)) > 1


def test_no_try_is_left_after_the_last_one() -> None:
    assert next_delay(DEFAULT_SCHEDULE, len(DEFAULT_SCHEDULE)) is None


def test_retry_after_lengthens_a_shorter_wait() -> None:
    assert next_delay(DEFAULT_SCHEDULE, 1, retry_after=120.0) == 120.0


def test_retry_after_never_shortens_the_schedule() -> None:
    delay = next_delay(DEFAULT_SCHEDULE, 2, retry_after=1.0, rng=random.Random(1))
    assert delay is not None and delay >= 240


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after(" 30 ", NOW) == 30.0


def test_retry_after_as_an_http_date() -> None:
    assert parse_retry_after("Wed, 25 Nov 2026 12:01:00 GMT", NOW) == 60.0


def test_retry_after_in_the_past_means_now() -> None:
    assert parse_retry_after("Wed, 25 Nov 2026 11:00:00 GMT", NOW) == 0.0


def test_retry_after_is_capped_at_a_day() -> None:
    assert parse_retry_after("99999999", NOW) == MAX_RETRY_AFTER_SECONDS


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "Wed, 25 Nov 2026 12:01:00"])
def test_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None
