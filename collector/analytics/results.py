"""What the funnel, time-to-value, retention and saved-funnel services answer.

Typed so that a misspelled key fails type checking where the answer is built, and so the
answer schemas in :mod:`collector.analytics.schemas` can require what is always there.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NotRequired, TypedDict


class FunnelStep(TypedDict):
    event: str
    persons: int
    dropped: int
    conversion_from_first: float
    conversion_from_previous: float
    median_seconds_from_previous: float | None
    average_seconds_from_previous: float | None


class FunnelFigures(TypedDict):
    steps: list[FunnelStep]
    breakdown: NotRequired[dict[str, list[FunnelStep]]]
    """Only when a breakdown was asked for."""


class FunnelPerson(TypedDict):
    person_id: uuid.UUID
    user_id: str | None
    breakdown: str | None
    step_times: list[datetime | None]


class FunnelPersonsPage(TypedDict):
    data: list[FunnelPerson]
    has_more: bool
    next_cursor: str | None


class Within(TypedDict):
    eligible: int
    reached: int
    share: float | None


class ValueFigures(TypedDict):
    persons_started: int
    persons_reached_value: int
    median_seconds: float | None
    p90_seconds: float | None
    average_seconds: float | None
    within: dict[str, Within]


class CohortValueFigures(ValueFigures):
    cohort: str


class HistogramBucket(TypedDict):
    from_seconds: int
    to_seconds: int | None
    persons: int


class TimeToValueFigures(ValueFigures):
    histogram: list[HistogramBucket]
    cohorts: list[CohortValueFigures]
    breakdown: NotRequired[dict[str, ValueFigures]]
    """Only when a breakdown was asked for."""


class RetentionCohort(TypedDict):
    cohort: str
    persons: int
    returned: list[int | None]
    shares: list[float | None]


class RetentionFigures(TypedDict):
    interval: str
    periods: int
    cohorts: list[RetentionCohort]


class SavedFunnel(TypedDict):
    id: uuid.UUID
    name: str
    definition: dict[str, Any]
    created_by: str | None
    updated_by: str | None
    created_at: datetime
    updated_at: datetime
