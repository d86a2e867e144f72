"""Reading survey answers and flow progress: pages, NDJSON and CSV exports, a summary."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

from sqlalchemy import Engine, Row

from collector.analytics.responses.queries import (
    ResponseFilter,
    progress_page,
    progress_summary,
    responses_page,
)
from collector.analytics.responses.results import Progress, ProgressReport, SurveyResponse
from collector.experiences.repository import find_experience
from collector.kit.db.engine import read_transaction
from collector.kit.db.paging import Page, PageQuery, all_rows, read_page
from collector.kit.errors import NotFound
from collector.kit.http.csv import csv_lines
from collector.kit.http.responses import dumps

RESPONSE_COLUMNS = (
    "id",
    "survey_id",
    "version",
    "person_id",
    "user_id",
    "message_id",
    "survey_type",
    "score",
    "scale_min",
    "scale_max",
    "dimension",
    "text",
    "choices",
    "answers",
    "locale",
    "eligible",
    "responded_at",
)


def require_experience(
    engine: Engine, project_id: uuid.UUID, kind: str, experience_id: uuid.UUID
) -> None:
    """A 404 unless the project has this flow or survey (archived ones included)."""
    with read_transaction(engine) as connection:
        if find_experience(connection, project_id, kind, experience_id) is None:
            raise NotFound(f"no {kind} with id {experience_id} in this project")


def _response(row: Row[Any]) -> SurveyResponse:
    return SurveyResponse(
        id=row.id,
        survey_id=row.survey_id,
        version=row.version,
        person_id=row.person_id,
        user_id=row.user_id,
        message_id=row.message_id,
        survey_type=row.survey_type,
        score=row.score,
        scale_min=row.scale_min,
        scale_max=row.scale_max,
        dimension=row.dimension,
        text=row.text,
        choices=row.choices,
        answers=row.answers,
        locale=row.locale,
        eligible=row.eligible,
        responded_at=row.responded_at,
    )


def _progress(row: Row[Any]) -> Progress:
    return Progress(
        id=row.id,
        person_id=row.person_id,
        user_id=row.user_id,
        version=row.version,
        status=row.status,
        current_step=row.current_step,
        completed_items=row.completed_items,
        shown_count=row.shown_count,
        dismiss_count=row.dismiss_count,
        first_shown_at=row.first_shown_at,
        last_shown_at=row.last_shown_at,
        completed_at=row.completed_at,
    )


def _responses(where: ResponseFilter) -> PageQuery:
    return lambda after, limit: responses_page(where, after_id=after, limit=limit)


def list_responses(
    engine: Engine, where: ResponseFilter, *, cursor: str | None, limit: int
) -> Page[SurveyResponse]:
    return read_page(engine, _responses(where), _response, cursor=cursor, limit=limit)


def export_responses(engine: Engine, where: ResponseFilter, export_format: str) -> Iterator[bytes]:
    """Every matching response as NDJSON or CSV, streamed."""
    rows = (_response(row) for row in all_rows(engine, _responses(where)))
    if export_format == "csv":
        return (line.encode() for line in csv_lines(RESPONSE_COLUMNS, rows))
    return (dumps(row) + b"\n" for row in rows)


def _progress_rows(project_id: uuid.UUID, flow_id: uuid.UUID, after: int, limit: int) -> Any:
    return progress_page(project_id, flow_id, after_id=after, limit=limit)


def flow_progress(
    engine: Engine, project_id: uuid.UUID, flow_id: uuid.UUID, *, cursor: str | None, limit: int
) -> ProgressReport:
    """Who is where in a flow: a count per status, and a page of people."""
    with read_transaction(engine) as connection:
        summary = {
            row.status: row.people
            for row in connection.execute(progress_summary(project_id, flow_id))
        }
    query: PageQuery = partial(_progress_rows, project_id, flow_id)
    page = read_page(engine, query, _progress, cursor=cursor, limit=limit)
    return {"summary": summary, **page.as_dict()}
