"""Trait merging: last write wins per trait, judged by the message timestamp.

Messages can arrive out of order (a mobile queue flushed late, a retried batch), so the
newest *timestamp* wins, not the newest arrival. Times are kept as ISO 8601 strings in
UTC, which sort in time order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

Traits = dict[str, Any]
TraitTimes = dict[str, str]


def stamp(moment: datetime) -> str:
    """``moment`` in UTC as fixed-width ISO 8601, so that stamps sort in time order.

    Converting matters: ``10:00+02:00`` is earlier than ``09:00+00:00`` but sorts after it.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def merge_traits(
    traits: Mapping[str, Any],
    times: Mapping[str, str],
    updates: Mapping[str, Any],
    at: datetime,
) -> tuple[Traits, TraitTimes]:
    """Apply ``updates`` made at ``at``; a trait already set later than that is kept."""
    when = stamp(at)
    return combine((traits, times), (updates, dict.fromkeys(updates, when)))


def combine(
    first: tuple[Mapping[str, Any], Mapping[str, str]],
    second: tuple[Mapping[str, Any], Mapping[str, str]],
) -> tuple[Traits, TraitTimes]:
    """Traits of two merged persons: per trait, the later one wins (``second`` on ties)."""
    merged, merged_times = dict(first[0]), dict(first[1])
    values, times = second
    for name, value in values.items():
        when = times.get(name, "")
        if merged_times.get(name, "") <= when:
            merged[name] = value
            merged_times[name] = when
    return merged, merged_times
