"""Funnel statements: attempts, the attributed attempt of each person, the step figures.

A person's attempt starts at every step-1 event inside the time range; its step ``k`` is
the earliest step-``k`` event at or after step ``k-1`` and no later than the start plus
the window. The three orders build attempts differently (see each builder), with one
index seek per attempt and step rather than a pass over the person's events, into the
same shape, ``person_id, t1 … tn`` (a NULL time: not reached), and share the rest:

1. attribution: per person, the attempt reaching the furthest step at the earliest time,
   ties going to the latest start;
2. exclusions: a person whose attributed attempt saw an excluded event between two of
   its steps, inside its window, leaves the funnel;
3. figures: per step (and breakdown value) persons, mean and median seconds from the
   previous step, the median being the mean of the two middle values when n is even.

Every CTE that feeds a correlated lookup is ``MATERIALIZED``: otherwise the planners may
inline it and evaluate each earlier step's lookup again inside every later one.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.expression import FromClause

from collector.analytics.definitions import NONE_VALUE, EventMatch, Exclusion, Funnel
from collector.analytics.queries.common import Rows, matches, percentile, shift
from collector.analytics.queries.persons import breakdown_value
from collector.kit.db.backends.expressions import epoch_us
from collector.kit.db.models import Event, Person, table_of

_events = table_of(Event)
_persons = table_of(Person)


def times(relation: FromClause, size: int) -> list[ColumnElement[object]]:
    """The step times ``t1 … tn`` of an attempts-shaped relation."""
    return [relation.c[f"t{step}"] for step in range(1, size + 1)]


def _materialized(statement: Rows, name: str) -> CTE:
    return statement.cte(name).prefix_with("MATERIALIZED")


def _starts(funnel: Funnel, steps: tuple[EventMatch, ...]) -> Rows:
    """Every distinct ``(person_id, t1)`` of an event of ``steps`` inside the time range."""
    start = _events.alias("start")
    return (
        select(start.c.person_id, start.c.timestamp.label("t1"))
        .where(
            start.c.project_id == funnel.project_id,
            start.c.person_id.is_not(None),
            start.c.timestamp >= funnel.range.start,
            start.c.timestamp < funnel.range.end,
            or_(*(matches(start, step) for step in steps)),
        )
        .distinct()
    )


def _earliest(
    project_id: uuid.UUID,
    step: EventMatch,
    person: ColumnElement[object],
    after: ColumnElement[object],
    deadline: ColumnElement[object],
) -> ColumnElement[object]:
    """The time of the person's earliest ``step`` event in ``[after, deadline]``."""
    found = _events.alias("found")
    return (
        select(found.c.timestamp)
        .where(
            found.c.project_id == project_id,
            found.c.person_id == person,
            matches(found, step),
            found.c.timestamp >= after,
            found.c.timestamp <= deadline,
        )
        .order_by(found.c.timestamp)
        .limit(1)
        .scalar_subquery()
    )


def ordered_attempts(funnel: Funnel) -> CTE:
    """Ordered: each step is looked up (one index seek) from the time of the one before."""
    first = _starts(funnel, funnel.steps[:1]).subquery("first")
    attempts = _materialized(
        select(first, shift(first.c.t1, funnel.window_seconds).label("deadline")), "attempts_1"
    )
    for step in range(2, funnel.size + 1):
        reached = _earliest(
            funnel.project_id,
            funnel.steps[step - 1],
            attempts.c.person_id,
            attempts.c[f"t{step - 1}"],
            attempts.c.deadline,
        )
        attempts = _materialized(select(attempts, reached.label(f"t{step}")), f"attempts_{step}")
    return attempts


def _place(events: FromClause, funnel: Funnel) -> ColumnElement[int]:
    """Where an event sorts among others at the same instant: its step (the first one it
    matches), other events after every step."""
    return case(
        *((matches(events, match), index) for index, match in enumerate(funnel.steps, start=1)),
        else_=funnel.size + 1,
    )


def _unbroken(
    funnel: Funnel, attempt: FromClause, step: int, reached: ColumnElement[object]
) -> ColumnElement[bool]:
    """No event of the person sorts strictly between step ``step - 1`` (at its time, at its
    place) and step ``step`` reached at ``reached``, repeats of step ``step - 1`` aside."""
    other = _events.alias("between")
    place = _place(other, funnel)
    since = attempt.c[f"t{step - 1}"]
    return ~exists().where(
        other.c.project_id == funnel.project_id,
        other.c.person_id == attempt.c.person_id,
        other.c.type == "track",
        other.c.timestamp >= since,
        other.c.timestamp <= reached,
        place != step - 1,
        ~and_(other.c.timestamp == since, place <= step - 1),
        ~and_(other.c.timestamp == reached, place >= step),
    )


def strict_attempts(funnel: Funnel) -> CTE:
    """Strict: as ordered, and step ``k`` must come right after step ``k-1``: any event
    sorting between them, other than a repeat of step ``k-1``, breaks the chain."""
    first = _starts(funnel, funnel.steps[:1]).subquery("first")
    attempts = _materialized(
        select(first, shift(first.c.t1, funnel.window_seconds).label("deadline")), "attempts_1"
    )
    for step in range(2, funnel.size + 1):
        found = _earliest(
            funnel.project_id,
            funnel.steps[step - 1],
            attempts.c.person_id,
            attempts.c[f"t{step - 1}"],
            attempts.c.deadline,
        )
        seeking = _materialized(select(attempts, found.label("found")), f"found_{step}")
        kept = case((_unbroken(funnel, seeking, step, seeking.c.found), seeking.c.found))
        columns = [column for column in seeking.c if column.key != "found"]
        attempts = _materialized(select(*columns, kept.label(f"t{step}")), f"attempts_{step}")
    return attempts


def unordered_attempts(funnel: Funnel) -> CTE:
    """Unordered: an attempt starts at any step event in range; step ``k`` is reached
    when ``k`` different steps happened within the window, at the ``k``-th of them."""
    first = _starts(funnel, funnel.steps).subquery("first")
    starts = _materialized(
        select(first, shift(first.c.t1, funnel.window_seconds).label("deadline")), "starts"
    )
    found = _materialized(
        select(
            starts.c.person_id,
            starts.c.t1,
            *(
                _earliest(
                    funnel.project_id, step, starts.c.person_id, starts.c.t1, starts.c.deadline
                ).label(f"f{index}")
                for index, step in enumerate(funnel.steps, start=1)
            ),
        ),
        "unordered_found",
    )
    each = union_all(
        *(
            select(found.c.person_id, found.c.t1, found.c[f"f{index}"].label("at")).where(
                found.c[f"f{index}"].is_not(None)
            )
            for index in range(1, funnel.size + 1)
        )
    ).subquery("unordered_each")
    place = func.row_number().over(partition_by=(each.c.person_id, each.c.t1), order_by=each.c.at)
    placed = select(each, place.label("place")).subquery("unordered_placed")
    statement = select(
        placed.c.person_id,
        *(
            func.max(case((placed.c.place == step, placed.c.at))).label(f"t{step}")
            for step in range(1, funnel.size + 1)
        ),
    ).group_by(placed.c.person_id, placed.c.t1)
    return _materialized(statement, "attempts")


ATTEMPTS = {
    "ordered": ordered_attempts,
    "strict": strict_attempts,
    "unordered": unordered_attempts,
}


def funnel_persons(funnel: Funnel) -> CTE:
    """Each person with an attempt: the attributed attempt's times ``t1 … tn`` (and as
    microseconds, ``e1 … en``, converted once) and breakdown value, excluded persons
    left out."""
    attempts = ATTEMPTS[funnel.order](funnel)
    steps = times(attempts, funnel.size)
    # Steps are reached in turn, so the last one reached tells the depth.
    depth = case(
        *((time.is_not(None), number) for number, time in reversed(list(enumerate(steps, 1)))),
        else_=0,
    )
    furthest = func.coalesce(*reversed(steps))
    rank = func.row_number().over(
        partition_by=attempts.c.person_id,
        order_by=(depth.desc(), furthest.asc(), attempts.c.t1.desc()),
    )
    ranked = select(attempts.c.person_id, *steps, rank.label("rank")).subquery("ranked")
    steps = times(ranked, funnel.size)
    statement = select(
        ranked.c.person_id,
        *steps,
        *(epoch_us(time).label(f"e{number}") for number, time in enumerate(steps, start=1)),
        func.coalesce(_breakdown(funnel, ranked), NONE_VALUE).label("breakdown"),
    ).where(
        ranked.c.rank == 1,
        *(~_excluded(funnel, ranked, exclusion) for exclusion in funnel.exclusions),
    )
    return _materialized(statement, "funnel_persons")


def _excluded(funnel: Funnel, attempt: FromClause, exclusion: Exclusion) -> ColumnElement[bool]:
    """An excluded event after step ``from_step`` and before step ``to_step`` (or, when
    that step was not reached, until the end of the window)."""
    seen = _events.alias("excluded")
    since = attempt.c[f"t{exclusion.from_step}"]
    until = attempt.c[f"t{exclusion.to_step}"]
    inside = or_(
        and_(until.is_not(None), seen.c.timestamp < until),
        and_(until.is_(None), seen.c.timestamp <= shift(attempt.c.t1, funnel.window_seconds)),
    )
    return exists().where(
        seen.c.project_id == funnel.project_id,
        seen.c.person_id == attempt.c.person_id,
        matches(seen, exclusion.match),
        seen.c.timestamp > since,
        inside,
    )


def _breakdown(funnel: Funnel, attempt: FromClause) -> ColumnElement[object]:
    starting = funnel.steps if funnel.order == "unordered" else funnel.steps[:1]
    return breakdown_value(
        funnel.project_id, funnel.breakdown, attempt.c.person_id, attempt.c.t1, starting
    )


def _gaps(funnel: Funnel, persons: CTE) -> FromClause:
    """``level, breakdown, step, gap``: one row per person and step reached, ``gap`` the
    microseconds from the previous step. Level 0 is everyone; level 1, when there is a
    breakdown, each value apart."""
    epochs = [persons.c[f"e{step}"] for step in range(1, funnel.size + 1)]
    groups: list[tuple[int, ColumnElement[object]]] = [(0, literal(""))]
    if funnel.breakdown is not None:
        groups.append((1, persons.c.breakdown))
    return union_all(
        *(
            select(
                literal(level, Integer).label("level"),
                value.label("breakdown"),
                literal(step, Integer).label("step"),
                (
                    epochs[step - 1] - epochs[step - 2] if step > 1 else cast(null(), BigInteger)
                ).label("gap"),
            ).where(epochs[step - 1].is_not(None))
            for level, value in groups
            for step in range(1, funnel.size + 1)
        )
    ).subquery("gaps")


def figures(funnel: Funnel) -> Rows:
    """Per level, breakdown value and step: persons, and the mean and median
    microseconds from the previous step."""
    gaps = _gaps(funnel, funnel_persons(funnel))
    group = (gaps.c.level, gaps.c.breakdown, gaps.c.step)
    ranked = select(
        gaps,
        func.row_number().over(partition_by=group, order_by=gaps.c.gap).label("position"),
        func.count().over(partition_by=group).label("count"),
    ).subquery("ranked_gaps")
    median = percentile(ranked.c.position, ranked.c.count, ranked.c.gap, 50)
    return select(
        ranked.c.level,
        ranked.c.breakdown,
        ranked.c.step,
        func.count().label("persons"),
        func.avg(cast(ranked.c.gap, Float)).label("mean_us"),
        median.label("median_us"),
    ).group_by(ranked.c.level, ranked.c.breakdown, ranked.c.step)


def persons_at_step(
    funnel: Funnel,
    step: int,
    *,
    dropped: bool,
    breakdown: str | None,
    after: uuid.UUID | None,
    limit: int | None,
) -> Rows:
    """The persons who reached ``step`` (and, when ``dropped``, not the next one), by id."""
    persons = funnel_persons(funnel)
    steps = times(persons, funnel.size)
    statement = (
        select(persons.c.person_id, _persons.c.user_id, persons.c.breakdown, *steps)
        .join(_persons, _persons.c.id == persons.c.person_id)
        .where(steps[step - 1].is_not(None))
        .order_by(persons.c.person_id)
    )
    if dropped:
        statement = statement.where(steps[step].is_(None))
    if breakdown is not None:
        statement = statement.where(persons.c.breakdown == breakdown)
    if after is not None:
        statement = statement.where(persons.c.person_id > after)
    return statement if limit is None else statement.limit(limit)
