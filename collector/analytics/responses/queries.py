"""Statement builders for survey responses and flow progress; they never open a connection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from collector.kit.db.models import ExperienceState, Person, SurveyResponse, table_of

_responses = table_of(SurveyResponse)
_states = table_of(ExperienceState)
_persons = table_of(Person)


@dataclass(frozen=True)
class ResponseFilter:
    project_id: uuid.UUID
    survey_id: uuid.UUID
    start: datetime | None = None
    end: datetime | None = None
    version: int | None = None
    eligible: bool | None = None


def responses_page(
    where: ResponseFilter, *, after_id: int, limit: int
) -> Select[tuple[object, ...]]:
    """Responses oldest first after ``after_id``, with the responder's user id."""
    statement = (
        select(_responses, _persons.c.user_id)
        .outerjoin(_persons, _persons.c.id == _responses.c.person_id)
        .where(
            _responses.c.project_id == where.project_id,
            _responses.c.survey_id == where.survey_id,
            _responses.c.id > after_id,
        )
    )
    if where.start is not None:
        statement = statement.where(_responses.c.responded_at >= where.start)
    if where.end is not None:
        statement = statement.where(_responses.c.responded_at < where.end)
    if where.version is not None:
        statement = statement.where(_responses.c.version == where.version)
    if where.eligible is not None:
        statement = statement.where(_responses.c.eligible == where.eligible)
    return statement.order_by(_responses.c.id).limit(limit)


def progress_page(
    project_id: uuid.UUID, flow_id: uuid.UUID, *, after_id: int, limit: int
) -> Select[tuple[object, ...]]:
    return (
        select(_states, _persons.c.user_id)
        .join(_persons, _persons.c.id == _states.c.person_id)
        .where(
            _states.c.project_id == project_id,
            _states.c.experience_id == flow_id,
            _states.c.id > after_id,
        )
        .order_by(_states.c.id)
        .limit(limit)
    )


def progress_summary(project_id: uuid.UUID, flow_id: uuid.UUID) -> Select[tuple[object, ...]]:
    """How many people are at each status of a flow."""
    return (
        select(_states.c.status, func.count().label("people"))
        .where(_states.c.project_id == project_id, _states.c.experience_id == flow_id)
        .group_by(_states.c.status)
    )
