"""What an analysis asks, as plain typed values: the schemas build them, the statement
builders read them. Nothing here touches a database."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

FunnelOrder = Literal["ordered", "strict", "unordered"]
ORDERS: tuple[FunnelOrder, ...] = ("ordered", "strict", "unordered")
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^([1-9][0-9]{0,5})([smhdw])$")
_UNSAFE_KEY = re.compile(r'["\\\x00-\x1f]')
MAX_WINDOW_SECONDS = 366 * 86400
NONE_VALUE = "(none)"
"""The breakdown value of persons who have no value for the breakdown property."""


def parse_duration(text: str) -> int:
    """Seconds of a duration such as ``"7d"``, ``"36h"``, ``"90m"``, ``"2w"``."""
    found = _DURATION.match(text)
    if found is None:
        raise ValueError("must be a whole number followed by s, m, h, d or w, like 14d")
    seconds = int(found.group(1)) * DURATION_UNITS[found.group(2)]
    if seconds > MAX_WINDOW_SECONDS:
        raise ValueError("must be at most 366 days")
    return seconds


@dataclass(frozen=True)
class PropertyPath:
    """Where a value lives: ``properties.plan`` of an event, ``person.plan`` (a person
    trait) or ``account.plan`` (a trait of the person's account)."""

    source: Literal["properties", "person", "account"]
    keys: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, sources: tuple[str, ...]) -> PropertyPath:
        source, _, rest = text.partition(".")
        keys = tuple(rest.split("."))
        if source not in sources or not all(keys) or any(_UNSAFE_KEY.search(k) for k in keys):
            named = ", ".join(f"{name}.<key>" for name in sources)
            raise ValueError(f"must look like {named}, keys without quotes or backslashes")
        return cls(source, keys)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return ".".join((self.source, *self.keys))


@dataclass(frozen=True)
class EventMatch:
    """An event name and property values it must have (each one of a list, if a list)."""

    event: str
    where: Mapping[PropertyPath, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Exclusion:
    """An event that, between the steps ``from_step`` and ``to_step`` (1-based) of the
    attributed attempt, takes the person out of the funnel."""

    match: EventMatch
    from_step: int
    to_step: int


@dataclass(frozen=True)
class Funnel:
    project_id: uuid.UUID
    steps: tuple[EventMatch, ...]
    window_seconds: int
    order: FunnelOrder
    range: TimeRange
    exclusions: tuple[Exclusion, ...] = ()
    breakdown: PropertyPath | None = None

    @property
    def size(self) -> int:
        return len(self.steps)

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_seconds)


Interval = Literal["day", "week", "month"]


@dataclass(frozen=True)
class TimeToValue:
    """From each person's start (their first ``start`` event, or first track event when
    ``start`` is None) to their first ``value`` event at or after it."""

    project_id: uuid.UUID
    start: EventMatch | None
    value: EventMatch
    range: TimeRange
    zone: ZoneInfo
    breakdown: PropertyPath | None = None


@dataclass(frozen=True)
class Retention:
    """Cohorts by the period of each person's start; in which later periods they return
    (with a ``returning`` event, or any track event when None)."""

    project_id: uuid.UUID
    start: EventMatch | None
    returning: EventMatch | None
    interval: Interval
    periods: int
    range: TimeRange
    zone: ZoneInfo
