"""The plain values that targeting decides on, filled by the caller from the database.

Keeping the facts as frozen dataclasses, apart from the decision logic, is what lets the
delivery endpoint, the "why not shown" endpoint and the tests share one set of pure
functions: nothing in ``collector.targeting`` reads a clock, a database or a request. Every datetime
is timezone-aware (the database's ``UtcDateTime`` columns give aware UTC values).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

Kind = Literal["flow", "survey"]
Reason = Literal[
    "not_in_audience",
    "sampled_out",
    "throttled",
    "reask_interval",
    "dismissed_too_often",
    "completed",
    "shown_once",
    "wrong_page",
    "wrong_locale",
]


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What targeting knows about the person asking."""

    traits: Mapping[str, Any]
    account_traits: Sequence[Mapping[str, Any]]
    """One mapping of traits per account the person belongs to."""
    first_seen_at: datetime | None
    event_days: Mapping[str, Mapping[date, int]]
    """Event name → UTC day → how many times the person did it that day."""
    sampling_key: str
    """The user id, else the anonymous id: what keeps sampling stable for one person."""


@dataclass(frozen=True, slots=True)
class PageFacts:
    """Where the person is now, as the SDK reports it."""

    url: str | None = None
    locale: str | None = None
    """A BCP 47 tag such as ``he-IL``."""
    session_id: str | None = None


@dataclass(frozen=True, slots=True)
class ExperienceHistory:
    """One person's history with one experience."""

    status: str
    """``shown``, ``in_progress``, ``completed``, ``dismissed`` or ``responded``."""
    shown_count: int
    dismiss_count: int
    last_shown_at: datetime | None = None
    last_dismissed_at: datetime | None = None
    last_responded_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Impression:
    """An experience started (flow) or shown (survey) to the person."""

    experience_id: uuid.UUID
    kind: str
    """``flow`` or ``survey``."""
    session_id: str | None
    shown_at: datetime
    type: str | None = None
    """The experience's type when known; impressions of resource centers are never counted."""


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether to show a candidate now, and if not, why and until when."""

    eligible: bool
    reason: Reason | None = None
    rule: Mapping[str, Any] | None = None
    """The failing audience rule, for ``not_in_audience``, ``wrong_page``, ``wrong_locale``."""
    until: datetime | None = None
    """When it may be shown again, for ``throttled`` and ``reask_interval`` when known."""

    @classmethod
    def yes(cls) -> Decision:
        return _YES  # immutable, so one serves every candidate

    @classmethod
    def no(
        cls, reason: Reason, rule: Mapping[str, Any] | None = None, until: datetime | None = None
    ) -> Decision:
        return cls(eligible=False, reason=reason, rule=rule, until=until)


_YES = Decision(eligible=True)
