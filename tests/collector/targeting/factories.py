"""Typed builders for targeting facts, so each test names only what it is about."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from collector.targeting.candidates import Candidate
from collector.targeting.facts import ExperienceHistory, Impression, Kind, PersonFacts

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
PROJECT_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
SESSION = "session-now"
SURVEY_TYPES = frozenset({"nps", "csat", "ces"})


def person(
    *,
    traits: Mapping[str, Any] | None = None,
    account_traits: Sequence[Mapping[str, Any]] = (),
    first_seen_at: datetime | None = None,
    event_days: Mapping[str, Mapping[date, int]] | None = None,
    sampling_key: str = "user-1",
) -> PersonFacts:
    return PersonFacts(
        traits=traits or {},
        account_traits=account_traits,
        first_seen_at=first_seen_at,
        event_days=event_days or {},
        sampling_key=sampling_key,
    )


def experience_id(number: int) -> uuid.UUID:
    return uuid.UUID(int=number)


def history(
    status: str = "in_progress",
    *,
    shown_count: int = 1,
    dismiss_count: int = 0,
    last_responded_at: datetime | None = None,
) -> ExperienceHistory:
    return ExperienceHistory(
        status=status,
        shown_count=shown_count,
        dismiss_count=dismiss_count,
        last_shown_at=NOW - timedelta(days=1) if shown_count else None,
        last_responded_at=last_responded_at,
    )


def candidate(
    type_: str = "tour",
    *,
    number: int = 1,
    priority: int = 0,
    definition: Mapping[str, Any] | None = None,
    history: ExperienceHistory | None = None,
) -> Candidate:
    kind: Kind = "survey" if type_ in SURVEY_TYPES else "flow"
    return Candidate(
        id=experience_id(number),
        kind=kind,
        type=type_,
        priority=priority,
        definition=definition or {},
        history=history,
    )


def impression(
    number: int,
    *,
    kind: str = "flow",
    ago: timedelta = timedelta(hours=1),
    session_id: str | None = SESSION,
    type_: str | None = None,
) -> Impression:
    return Impression(
        experience_id=experience_id(number),
        kind=kind,
        session_id=session_id,
        shown_at=NOW - ago,
        type=type_,
    )
