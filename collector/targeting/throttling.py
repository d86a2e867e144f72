"""Throttling: how often one person may be interrupted, per experience and per project.

Two layers. :func:`own_decision` applies one experience's own rules to the person's history
with it (completed, show once, dismissal cap, survey re-ask interval). :func:`apply_global_caps`
then walks the still-eligible candidates from the highest priority down and lets through only
as many *new* interruptions as the project's caps allow. What the person is already in the
middle of in this session (a multi-page tour being resumed, an open checklist or survey) is
not new and stays; resource centers are launchers the person opens, never an interruption,
so they neither count against the caps nor are limited by them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from collector.kit.project_settings import ProjectThrottle, is_count
from collector.targeting.candidates import Candidate
from collector.targeting.facts import (
    Decision,
    ExperienceHistory,
    Impression,
    PageFacts,
)

SHOW_ONCE_TYPES = frozenset({"tour", "announcement", "hotspot"})
COMPLETABLE_TYPES = frozenset({"tour", "checklist"})
"""Types that are never shown again once completed."""
OPEN_STATUSES = frozenset({"shown", "in_progress"})
"""Statuses of an experience the person has not finished with."""
LAUNCHER_TYPE = "resource_center"
DEFAULT_MAX_DISMISSALS = 3
DEFAULT_REASK_DAYS = 90
DAY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class ExperienceThrottle:
    """One experience's ``throttle``, with the defaults of its type; None means no limit."""

    show_once: bool
    max_dismissals: int | None
    reask_days: int | None

    @classmethod
    def of(cls, candidate: Candidate) -> ExperienceThrottle:
        """Read ``definition["throttle"]``: a missing or malformed key keeps its default."""
        given = candidate.definition.get("throttle")
        throttle: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        show_once = throttle.get("show_once")
        if not isinstance(show_once, bool):
            show_once = candidate.type in SHOW_ONCE_TYPES
        # A resource center is a launcher: closing it is not a refusal to be counted.
        dismissals = None if candidate.type == LAUNCHER_TYPE else DEFAULT_MAX_DISMISSALS
        return cls(
            show_once=show_once,
            max_dismissals=_limit(throttle, "max_dismissals", dismissals, minimum=1),
            reask_days=_limit(throttle, "reask_days", DEFAULT_REASK_DAYS, minimum=0),
        )


def _limit(
    throttle: Mapping[str, Any], key: str, default: int | None, *, minimum: int
) -> int | None:
    value = throttle.get(key, default)
    if value is None:
        return None
    return value if is_count(value) and value >= minimum else default


def own_decision(candidate: Candidate, *, now: datetime) -> Decision:
    """One experience's own rules against the person's history with it.

    Lasting reasons come before the passing one, so "why not shown" names the one that
    matters: completed, then shown once, then dismissed too often, then the re-ask interval.
    """
    history = candidate.history
    if history is None:
        return Decision.yes()
    throttle = ExperienceThrottle.of(candidate)
    if candidate.type in COMPLETABLE_TYPES and history.status == "completed":
        return Decision.no("completed")
    # An in-progress flow is resumed, not shown again: multi-page tours need it.
    if throttle.show_once and history.shown_count > 0 and history.status != "in_progress":
        return Decision.no("shown_once")
    if throttle.max_dismissals is not None and history.dismiss_count >= throttle.max_dismissals:
        return Decision.no("dismissed_too_often")
    until = _reask_until(candidate, history, throttle)
    if until is not None and now < until:
        return Decision.no("reask_interval", until=until)
    return Decision.yes()


def _reask_until(
    candidate: Candidate, history: ExperienceHistory, throttle: ExperienceThrottle
) -> datetime | None:
    answered = history.last_responded_at
    if candidate.kind != "survey" or answered is None or throttle.reask_days is None:
        return None
    return answered + timedelta(days=throttle.reask_days)


def apply_global_caps(
    candidates: Sequence[tuple[Candidate, Decision]],
    impressions: Sequence[Impression],
    throttle: ProjectThrottle,
    page: PageFacts,
    *,
    now: datetime,
) -> list[tuple[Candidate, Decision]]:
    """The candidates by priority (higher first, then id), new ones beyond the caps throttled.

    ``impressions`` are the person's past starts and showings; those of this session are the
    ones whose ``session_id`` is ``page.session_id``. A throttled decision carries ``until``
    when a time is known: the survey gap's end, or when the day cap frees a place; a
    session cap frees with the next session, which has no time.
    """
    ordered = sorted(candidates, key=lambda pair: (-pair[0].priority, pair[0].id))
    caps = _Caps.start(candidates, impressions, throttle, page, now)
    return [(candidate, caps.admit(candidate, decision)) for candidate, decision in ordered]


@dataclass(slots=True)
class _Caps:
    """What the caps have left while walking the candidates, highest priority first."""

    throttle: ProjectThrottle
    now: datetime
    session_started: set[uuid.UUID]
    """Experiences started in this session, including those admitted on this walk."""
    day_times: list[datetime] = field(default_factory=list)
    """The latest start of each experience started in the last 24 hours."""
    last_survey_at: datetime | None = None

    @classmethod
    def start(
        cls,
        candidates: Sequence[tuple[Candidate, Decision]],
        impressions: Sequence[Impression],
        throttle: ProjectThrottle,
        page: PageFacts,
        now: datetime,
    ) -> _Caps:
        # The caller usually knows each impression's type; otherwise the candidates tell it.
        types = {} if all(i.type for i in impressions) else {c.id: c.type for c, _ in candidates}
        counted = [
            i for i in impressions if (i.type or types.get(i.experience_id)) != LAUNCHER_TYPE
        ]
        session = page.session_id
        started = {i.experience_id for i in counted if session and i.session_id == session}
        latest: dict[uuid.UUID, datetime] = {}
        for impression in counted:
            if impression.shown_at > now - DAY:
                seen = latest.get(impression.experience_id, impression.shown_at)
                latest[impression.experience_id] = max(seen, impression.shown_at)
        surveys = [i.shown_at for i in counted if i.kind == "survey"]
        return cls(throttle, now, started, list(latest.values()), max(surveys, default=None))

    def admit(self, candidate: Candidate, decision: Decision) -> Decision:
        """``decision`` unchanged, or throttled when it would be one new start too many."""
        if not decision.eligible or candidate.type == LAUNCHER_TYPE or self._continues(candidate):
            return decision
        refusal = self._refusal(candidate)
        if refusal is not None:
            return refusal
        self.session_started.add(candidate.id)
        self.day_times.append(self.now)
        if candidate.kind == "survey":
            self.last_survey_at = self.now
        return decision

    def _continues(self, candidate: Candidate) -> bool:
        """Started in this session and not finished with: resuming it is not a new start."""
        history = candidate.history
        return (
            history is not None
            and history.status in OPEN_STATUSES
            and candidate.id in self.session_started
        )

    def _refusal(self, candidate: Candidate) -> Decision | None:
        """Throttled ``until`` the last of the known times that hold it back, if any."""
        gap_end = self._survey_gap_end(candidate)
        if gap_end is None and not self._session_full() and not self._day_full():
            return None
        ends = [end for end in (gap_end, self._day_frees_at()) if end is not None]
        return Decision.no("throttled", until=max(ends, default=None))

    def _survey_gap_end(self, candidate: Candidate) -> datetime | None:
        """When the gap since the last survey ends, for a survey still within it."""
        gap = self.throttle.survey_gap_days
        if candidate.kind != "survey" or gap is None or self.last_survey_at is None:
            return None
        end = self.last_survey_at + timedelta(days=gap)
        return end if end > self.now else None

    def _session_full(self) -> bool:
        limit = self.throttle.max_per_session
        return limit is not None and len(self.session_started) >= limit

    def _day_full(self) -> bool:
        limit = self.throttle.max_per_day
        return limit is not None and len(self.day_times) >= limit

    def _day_frees_at(self) -> datetime | None:
        """When the day cap has room again: the start that must age out, plus 24 hours."""
        limit = self.throttle.max_per_day
        if not limit or len(self.day_times) < limit:
            return None  # not full, or a cap of 0 that never frees
        return sorted(self.day_times)[-limit] + DAY
