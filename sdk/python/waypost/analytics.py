"""What ``AdminClient`` reads from the analytics routes, as frozen dataclasses: funnels,
time to value, retention, survey scores, account health, and webhook endpoints.

Figures the collector may leave out (a median of nobody) are ``None``. Nested detail that
varies with the question (a survey type's figures, a health component's inputs) stays a
read-only mapping, so that a newer collector's additions reach you without an upgrade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from waypost.models import Json, frozen_mapping, optional_time

__all__ = [
    "AccountHealth",
    "Funnel",
    "FunnelStep",
    "Retention",
    "RetentionCohort",
    "SurveyScores",
    "TimeToValue",
    "WebhookEndpoint",
]


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """One step: who reached it, who went no further, and how long it took from the last."""

    event: str
    persons: int
    dropped: int
    conversion_from_first: float
    conversion_from_previous: float
    median_seconds_from_previous: float | None
    average_seconds_from_previous: float | None

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            event=data["event"],
            persons=data["persons"],
            dropped=data["dropped"],
            conversion_from_first=data["conversion_from_first"],
            conversion_from_previous=data["conversion_from_previous"],
            median_seconds_from_previous=data.get("median_seconds_from_previous"),
            average_seconds_from_previous=data.get("average_seconds_from_previous"),
        )


def _steps(items: list[Json]) -> tuple[FunnelStep, ...]:
    return tuple(FunnelStep.from_json(item) for item in items)


@dataclass(frozen=True, slots=True)
class Funnel:
    """Everyone's steps, and with ``breakdown`` the steps per value."""

    steps: tuple[FunnelStep, ...]
    breakdown: Mapping[str, tuple[FunnelStep, ...]]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        groups = data.get("breakdown") or {}
        return cls(_steps(data["steps"]), frozen_mapping({k: _steps(v) for k, v in groups.items()}))


@dataclass(frozen=True, slots=True)
class TimeToValue:
    """From the start event to the value event: how many got there, and how fast.

    ``within`` is the share that got there within ``1d``, ``7d``, …; ``cohorts`` the same
    figures per signup week; ``breakdown`` per value when asked."""

    persons_started: int
    persons_reached_value: int
    median_seconds: float | None
    p90_seconds: float | None
    average_seconds: float | None
    within: Mapping[str, Any]
    histogram: tuple[Mapping[str, Any], ...]
    cohorts: tuple[Mapping[str, Any], ...]
    breakdown: Mapping[str, Any]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            persons_started=data["persons_started"],
            persons_reached_value=data["persons_reached_value"],
            median_seconds=data.get("median_seconds"),
            p90_seconds=data.get("p90_seconds"),
            average_seconds=data.get("average_seconds"),
            within=frozen_mapping(data.get("within")),
            histogram=tuple(frozen_mapping(item) for item in data.get("histogram") or ()),
            cohorts=tuple(frozen_mapping(item) for item in data.get("cohorts") or ()),
            breakdown=frozen_mapping(data.get("breakdown")),
        )


@dataclass(frozen=True, slots=True)
class RetentionCohort:
    """Persons who started in a period, and per period since how many came back (``None``
    for periods that had not begun when the range ended)."""

    cohort: date
    persons: int
    returned: tuple[int | None, ...]
    shares: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class Retention:
    interval: str
    periods: int
    cohorts: tuple[RetentionCohort, ...]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        cohorts = tuple(
            RetentionCohort(
                date.fromisoformat(item["cohort"]),
                item["persons"],
                tuple(item["returned"]),
                tuple(item["shares"]),
            )
            for item in data["cohorts"]
        )
        return cls(data["interval"], data["periods"], cohorts)


@dataclass(frozen=True, slots=True)
class SurveyScores:
    """A survey's score over a range. ``figures`` is the block of its type (``nps``:
    ``score``, ``ci95``, promoters…; ``csat``: ``mean``, ``satisfied_share``…; ``ces``:
    ``mean``, ``high_effort_share``…); ``low_sample`` under 30 answers."""

    survey_id: str
    type: str
    n: int
    low_sample: bool
    figures: Mapping[str, Any]
    response_rate: Mapping[str, Any]
    excluded: Mapping[str, Any]
    trend: tuple[Mapping[str, Any], ...]
    segments: tuple[Mapping[str, Any], ...]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            survey_id=data["survey_id"],
            type=data["type"],
            n=data["n"],
            low_sample=data["low_sample"],
            figures=frozen_mapping(data.get(data["type"])),
            response_rate=frozen_mapping(data.get("response_rate")),
            excluded=frozen_mapping(data.get("excluded")),
            trend=tuple(frozen_mapping(item) for item in data.get("trend") or ()),
            segments=tuple(frozen_mapping(item) for item in data.get("segments") or ()),
        )


@dataclass(frozen=True, slots=True)
class AccountHealth:
    """An account's health, 0 to 100, ``status`` green, yellow or red, and the components
    (frequency, breadth, depth, sentiment) that made it."""

    account_id: str
    group_id: str
    name: str | None
    score: float | None
    status: str
    components: Mapping[str, Any]

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            account_id=data["account_id"],
            group_id=data["group_id"],
            name=data.get("name"),
            score=data.get("score"),
            status=data["status"],
            components=frozen_mapping(data.get("components")),
        )


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """Where webhooks go. ``secret`` is only known on creation and rotation (``None`` when
    read back later): keep it to verify signatures."""

    id: str
    url: str
    description: str
    event_types: tuple[str, ...]
    tracked_events: tuple[str, ...]
    filter: str | None
    traits: Mapping[str, Any]
    enabled: bool
    disabled_reason: str | None
    created_at: datetime | None
    updated_at: datetime | None
    secret: str | None

    @classmethod
    def from_json(cls, data: Json) -> Self:
        return cls(
            id=data["id"],
            url=data["url"],
            description=data.get("description") or "",
            event_types=tuple(data.get("event_types") or ()),
            tracked_events=tuple(data.get("tracked_events") or ()),
            filter=data.get("filter"),
            traits=frozen_mapping(data.get("traits")),
            enabled=data.get("enabled", True),
            disabled_reason=data.get("disabled_reason"),
            created_at=optional_time(data.get("created_at")),
            updated_at=optional_time(data.get("updated_at")),
            secret=data.get("secret"),
        )
