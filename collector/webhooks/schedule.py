"""When a failed delivery is tried again.

The published schedule (seconds after the previous try) follows what Svix and Stripe users
know: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; a message still failing after
its last try is marked failed. Each wait is spread by ±20% so that the deliveries held up by
one outage do not all return in the same second. A receiver's ``Retry-After`` (seconds or
an HTTP date) lengthens the wait, up to a day.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime

JITTER = 0.2
MAX_RETRY_AFTER_SECONDS = 24 * 3600.0


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_SECONDS)


def next_delay(
    schedule: Sequence[float],
    tries: int,
    *,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next try after ``tries`` failed ones; None when none is left.

    ``schedule[0]`` is the wait before the first try (0, immediately), so after ``tries``
    tries the next wait is ``schedule[tries]``.
    """
    if tries >= len(schedule):
        return None
    spread = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    delay = schedule[tries] * spread
    return max(delay, retry_after) if retry_after is not None else delay
