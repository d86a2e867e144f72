"""Statement builders for survey scores; they never open a connection.

The database does the counting: each person's latest answer per survey (and dimension,
and period) is picked with a window function, then answers are counted per score. The
result is a histogram of at most a few dozen rows, whatever the number of answers.
Expressions carrying bound values (trait paths, period boundaries) are computed in an
inner query and grouped by name outside it, since PostgreSQL does not see two copies of
one parameterised expression as the same grouping key.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    distinct,
    func,
    literal_column,
    select,
)

from collector.kit.db.models import (
    Account,
    AccountMember,
    Impression,
    Person,
    SurveyResponse,
    table_of,
)

_responses = table_of(SurveyResponse)
_impressions = table_of(Impression)
_persons = table_of(Person)
_members = table_of(AccountMember)
_accounts = table_of(Account)

TraitSource = Literal["person", "account"]


@dataclass(frozen=True)
class AnswerFilter:
    """Which answers of which survey count."""

    project_id: uuid.UUID
    survey_id: uuid.UUID
    start: datetime | None = None
    end: datetime | None = None
    include_ineligible: bool = False


@dataclass(frozen=True)
class Segment:
    """A trait to split answers by: of the person, or of the accounts they belong to."""

    source: TraitSource
    trait: str


def _answer_conditions(where: AnswerFilter, *, eligible_only: bool) -> list[ColumnElement[bool]]:
    conditions = [
        _responses.c.project_id == where.project_id,
        _responses.c.survey_id == where.survey_id,
    ]
    if where.start is not None:
        conditions.append(_responses.c.responded_at >= where.start)
    if where.end is not None:
        conditions.append(_responses.c.responded_at < where.end)
    if eligible_only and not where.include_ineligible:
        conditions.append(_responses.c.eligible.is_(True))
    return conditions


def period_index(column: ColumnElement[Any], starts: Sequence[datetime]) -> ColumnElement[int]:
    """The index of the period ``column`` falls in, ``starts`` being where each begins.

    A balanced tree of ``CASE``: a row meets about log₂(periods) comparisons, so a year
    of days costs nine, not 365.
    """

    def tree(low: int, high: int) -> ColumnElement[int]:
        if low == high:
            return literal_column(str(low))
        middle = (low + high + 1) // 2
        return case((column < starts[middle], tree(low, middle - 1)), else_=tree(middle, high))

    return tree(0, len(starts) - 1)


def counted_answers(
    where: AnswerFilter, starts: Sequence[datetime] | None = None, *, texts: bool = False
) -> Subquery:
    """Every answer in range with ``latest`` = 1 on each person's last one per dimension
    (and per period when ``starts`` are given); ties in time go to the later row.

    The texts are carried only when asked for: counting never needs them, and they are
    the widest column the window sorts.
    """
    period = period_index(_responses.c.responded_at, starts) if starts else literal_column("0")
    extra = [_responses.c.text, _responses.c.eligible] if texts else []
    inner = (
        select(
            _responses.c.id,
            _responses.c.person_id,
            _responses.c.dimension,
            _responses.c.score,
            _responses.c.scale_min,
            _responses.c.scale_max,
            *extra,
            _responses.c.responded_at,
            period.label("period"),
        )
        .where(*_answer_conditions(where, eligible_only=True))
        .subquery("answers")
    )
    latest = func.row_number().over(
        partition_by=[inner.c.period, inner.c.person_id, inner.c.dimension],
        order_by=[inner.c.responded_at.desc(), inner.c.id.desc()],
    )
    return select(inner, latest.label("latest")).subquery("ranked")


def histogram(where: AnswerFilter, starts: Sequence[datetime] | None = None) -> Select[Any]:
    """Counted answers per period, dimension, scale and score."""
    ranked = counted_answers(where, starts)
    keys = [ranked.c.period, ranked.c.dimension, ranked.c.scale_min, ranked.c.scale_max]
    return (
        select(*keys, ranked.c.score, func.count().label("answers"))
        .where(ranked.c.latest == 1)
        .group_by(*keys, ranked.c.score)
    )


def trait_value(traits: Any, name: str) -> ColumnElement[str]:
    """A trait as text on both backends (JSON ``->>`` on PostgreSQL, json_extract on SQLite)."""
    return cast(traits[name].as_string(), String)


def _segment_values(segment: Segment) -> Subquery:
    """``(person_id, value)``: once per distinct value of the trait for each person."""
    if segment.source == "person":
        value = trait_value(_persons.c.traits, segment.trait)
        return select(_persons.c.id.label("person_id"), value.label("value")).subquery("values")
    value = trait_value(_accounts.c.traits, segment.trait)
    return (
        select(_members.c.person_id, value.label("value"))
        .join(_accounts, _accounts.c.id == _members.c.account_id)
        .distinct()
        .subquery("values")
    )


def segment_histogram(where: AnswerFilter, segment: Segment) -> Select[Any]:
    """Counted answers per trait value (null: the person has no such trait)."""
    ranked = counted_answers(where)
    values = _segment_values(segment)
    labelled = (
        select(ranked, values.c.value)
        .outerjoin(values, values.c.person_id == ranked.c.person_id)
        .where(ranked.c.latest == 1)
        .subquery("labelled")
    )
    keys = [labelled.c.value, labelled.c.dimension, labelled.c.scale_min, labelled.c.scale_max]
    return select(*keys, labelled.c.score, func.count().label("answers")).group_by(
        *keys, labelled.c.score
    )


def _range_of(column: Any, where: AnswerFilter) -> list[ColumnElement[bool]]:
    conditions = []
    if where.start is not None:
        conditions.append(column >= where.start)
    if where.end is not None:
        conditions.append(column < where.end)
    return conditions


def reach(where: AnswerFilter) -> Select[Any]:
    """Persons shown the survey, persons who answered it, and answers left out as ineligible."""
    shown = select(func.count(distinct(_impressions.c.person_id))).where(
        _impressions.c.project_id == where.project_id,
        _impressions.c.experience_id == where.survey_id,
        *_range_of(_impressions.c.shown_at, where),
    )
    return select(
        shown.scalar_subquery().label("shown"),
        func.count(distinct(_responses.c.person_id)).label("responded"),
        func.count(case((_responses.c.eligible.is_(False), 1))).label("ineligible"),
    ).where(*_answer_conditions(where, eligible_only=False))


def first_answer_at(where: AnswerFilter) -> Select[Any]:
    return select(func.min(_responses.c.responded_at)).where(
        *_answer_conditions(where, eligible_only=True)
    )


def text_answers_page(where: AnswerFilter, *, after_id: int, limit: int) -> Select[Any]:
    """Counted answers with a text, by id, with the responder's user id."""
    ranked = counted_answers(where, texts=True)
    return (
        select(
            ranked.c.id,
            ranked.c.person_id,
            _persons.c.user_id,
            ranked.c.dimension,
            ranked.c.score,
            ranked.c.text,
            ranked.c.eligible,
            ranked.c.responded_at,
        )
        .outerjoin(_persons, _persons.c.id == ranked.c.person_id)
        .where(
            and_(ranked.c.latest == 1, ranked.c.text.is_not(None), ranked.c.text != ""),
            ranked.c.id > after_id,
        )
        .order_by(ranked.c.id)
        .limit(limit)
    )
