"""Survey scores: run the statements, shape the counts, score them.

Each person counts once per survey (per dimension for CSAT asked about product and
service) and per period, with their latest answer; answers flagged ineligible are left
out unless asked for. Answers given on another scale than the survey's current one (an
older version with a 1-10 CES, say) cannot be averaged with the rest: they are counted
in ``excluded.other_scale``, never silently mixed in.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Row

from collector.analytics.surveys import queries, scoring
from collector.analytics.surveys.queries import AnswerFilter, Segment
from collector.analytics.surveys.results import (
    Figures,
    PeriodFigures,
    ResponseRate,
    Scores,
    SegmentFigures,
    TextAnswer,
)
from collector.experiences.repository import find_experience
from collector.kit import periods
from collector.kit.db.engine import read_transaction
from collector.kit.db.paging import Page, all_rows, read_page
from collector.kit.errors import NotFound
from collector.progress.reserved import scale_of

Scale = tuple[int, int]
UTC_ZONE = ZoneInfo("UTC")
TEXT_COLUMNS = (
    "id",
    "person_id",
    "user_id",
    "dimension",
    "score",
    "text",
    "eligible",
    "responded_at",
)


@dataclass(frozen=True)
class ScoreQuery:
    where: AnswerFilter
    zone: ZoneInfo = UTC_ZONE
    interval: periods.Interval | None = None
    segment: Segment | None = None


@dataclass(frozen=True)
class Survey:
    type: str
    scale: Scale


def find_survey(connection: Connection, project_id: uuid.UUID, survey_id: uuid.UUID) -> Survey:
    """The survey's type and current scale; a 404 unless the project has it."""
    row = find_experience(connection, project_id, "survey", survey_id)
    if row is None:
        raise NotFound(f"no survey with id {survey_id} in this project")
    return Survey(type=row.type, scale=scale_of(row.type, row.definition))


class _Tally:
    """Counted answers of one group: on the survey's scale, per dimension, and the rest."""

    def __init__(self) -> None:
        self.scores: Counter[int] = Counter()
        self.dimensions: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self.other_scale = 0

    def add(self, row: Row[Any], scale: Scale) -> None:
        if (row.scale_min, row.scale_max) != scale:
            self.other_scale += row.answers
            return
        self.scores[row.score] += row.answers
        if row.dimension is not None:
            self.dimensions[row.dimension][row.score] += row.answers


def _tallies(rows: Iterable[Row[Any]], key: str, scale: Scale) -> dict[Any, _Tally]:
    tallies: defaultdict[Any, _Tally] = defaultdict(_Tally)
    for row in rows:
        tallies[getattr(row, key)].add(row, scale)
    return tallies


def _figures(survey: Survey, tally: _Tally) -> Figures:
    """``{"n", "low_sample", <type>}``, and the same per dimension when there are any."""
    figures = scoring.score_of(survey.type, tally.scores, survey.scale)
    if tally.dimensions:
        figures["dimensions"] = {
            name: scoring.score_of(survey.type, scores, survey.scale)
            for name, scores in sorted(tally.dimensions.items())
        }
    return figures


def _trend(
    connection: Connection, survey: Survey, query: ScoreQuery, interval: periods.Interval
) -> list[PeriodFigures]:
    where = query.where
    start = where.start or connection.execute(queries.first_answer_at(where)).scalar()
    if start is None:
        return []
    days = periods.periods(start, where.end or datetime.now(UTC), interval, query.zone)
    starts = periods.boundaries(days, query.zone)
    rows = connection.execute(queries.histogram(where, starts))
    tallies = _tallies(rows, "period", survey.scale)
    return [
        {"period": day.isoformat(), "start": starts[index], **_figures(survey, tallies[index])}
        for index, day in enumerate(days)
    ]


def _segments(
    connection: Connection, survey: Survey, where: AnswerFilter, segment: Segment
) -> list[SegmentFigures]:
    rows = connection.execute(queries.segment_histogram(where, segment))
    tallies = _tallies(rows, "value", survey.scale)
    shaped: list[SegmentFigures] = [
        {"value": value, **_figures(survey, tally)} for value, tally in tallies.items()
    ]
    return sorted(shaped, key=lambda entry: (-entry["n"], entry["value"] is None, entry["value"]))


def _reach(connection: Connection, where: AnswerFilter) -> tuple[ResponseRate, int]:
    row = connection.execute(queries.reach(where)).one()
    rate: ResponseRate = {
        "shown": row.shown,
        "responded": row.responded,
        "rate": scoring.share(row.responded, row.shown),
    }
    return rate, (0 if where.include_ineligible else row.ineligible)


def survey_scores(
    engine: Engine, project_id: uuid.UUID, survey_id: uuid.UUID, query: ScoreQuery
) -> Scores:
    """The survey's score over the range, its response rate, and trend and segments if asked."""
    where = query.where
    with read_transaction(engine) as connection:
        survey = find_survey(connection, project_id, survey_id)
        overall = _tallies(connection.execute(queries.histogram(where)), "period", survey.scale)[0]
        response_rate, ineligible = _reach(connection, where)
        figures = _figures(survey, overall)
        result: Scores = {
            "survey_id": survey_id,
            "type": survey.type,
            "scale": scoring.scale_fields(survey.scale),
            "from": where.start,
            "to": where.end,
            "tz": query.zone.key,
            "n": figures["n"],
            "low_sample": figures["low_sample"],
            "response_rate": response_rate,
            "excluded": {"ineligible": ineligible, "other_scale": overall.other_scale},
        }
        _scored(result, figures)
        if query.interval is not None:
            result["trend"] = _trend(connection, survey, query, query.interval)
        if query.segment is not None:
            result["segments"] = _segments(connection, survey, where, query.segment)
    return result


def _scored(into: Figures, figures: Figures) -> None:
    """The score (and the dimensions') of ``figures`` copied into an answer that has them."""
    if "nps" in figures:
        into["nps"] = figures["nps"]
    if "csat" in figures:
        into["csat"] = figures["csat"]
    if "ces" in figures:
        into["ces"] = figures["ces"]
    if "dimensions" in figures:
        into["dimensions"] = figures["dimensions"]


def _figure_columns(survey_type: str) -> tuple[str, ...]:
    return {
        "nps": ("score", "ci95_low", "ci95_high", "promoters", "passives", "detractors"),
        "csat": ("mean", "stdev", "satisfied_share"),
        "ces": ("mean", "stdev", "high_effort_share"),
    }[survey_type]


def score_columns(survey_type: str) -> tuple[str, ...]:
    """Columns of the CSV of scores: one row overall, per period, per segment, per dimension."""
    return ("group", "key", "dimension", "n", "low_sample", *_figure_columns(survey_type))


def _flat(
    group: str, key: Any, dimension: str | None, figures: Mapping[str, Any]
) -> dict[str, Any]:
    survey_type = next(name for name in ("nps", "csat", "ces") if name in figures)
    values = dict(figures[survey_type] or {})
    low, high = values.pop("ci95", (None, None))
    return {
        "group": group,
        "key": key,
        "dimension": dimension,
        "n": figures["n"],
        "low_sample": figures["low_sample"],
        "ci95_low": low,
        "ci95_high": high,
        **values,
    }


def _flat_with_dimensions(
    group: str, key: Any, figures: Mapping[str, Any]
) -> Iterator[dict[str, Any]]:
    yield _flat(group, key, None, figures)
    for name, by_dimension in figures.get("dimensions", {}).items():
        yield _flat(group, key, name, by_dimension)


def score_rows(scores: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The scores answer as flat rows for CSV."""
    yield from _flat_with_dimensions("overall", None, scores)
    for entry in scores.get("trend", []):
        yield from _flat_with_dimensions("period", entry["period"], entry)
    for entry in scores.get("segments", []):
        yield from _flat_with_dimensions("segment", entry["value"], entry)


def _shape_text(row: Row[Any]) -> TextAnswer:
    return TextAnswer(
        id=row.id,
        person_id=row.person_id,
        user_id=row.user_id,
        dimension=row.dimension,
        score=row.score,
        text=row.text,
        eligible=row.eligible,
        responded_at=row.responded_at,
    )


def _texts_query(where: AnswerFilter) -> Any:
    return lambda after, limit: queries.text_answers_page(where, after_id=after, limit=limit)


def require_survey(engine: Engine, project_id: uuid.UUID, survey_id: uuid.UUID) -> None:
    with read_transaction(engine) as connection:
        find_survey(connection, project_id, survey_id)


def text_answers(
    engine: Engine, where: AnswerFilter, *, cursor: str | None, limit: int
) -> Page[TextAnswer]:
    """A page of the open-text answers that count in the score, each with its score."""
    return read_page(engine, _texts_query(where), _shape_text, cursor=cursor, limit=limit)


def all_text_answers(engine: Engine, where: AnswerFilter) -> Iterator[TextAnswer]:
    """Every counted open-text answer, read a chunk at a time (for CSV)."""
    return (_shape_text(row) for row in all_rows(engine, _texts_query(where)))
