"""Running funnels: the figures per step (and breakdown value), and who is at a step."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row

from collector.analytics.definitions import Funnel
from collector.analytics.queries.funnel import figures, persons_at_step
from collector.analytics.reading import analysis_transaction
from collector.analytics.results import FunnelFigures, FunnelPerson, FunnelPersonsPage, FunnelStep
from collector.kit.errors import BadRequest

FUNNEL_COLUMNS = (
    "breakdown",
    "step",
    "event",
    "persons",
    "dropped",
    "conversion_from_first",
    "conversion_from_previous",
    "median_seconds_from_previous",
    "average_seconds_from_previous",
)
EXPORT_BATCH = 1000


def run_funnel(engine: Engine, funnel: Funnel) -> FunnelFigures:
    """``{"steps": [...], "breakdown": {value: [...]}}`` (breakdown only when asked)."""
    with analysis_transaction(engine) as connection:
        rows = connection.execute(figures(funnel)).all()
    groups: dict[tuple[int, str], dict[int, Row[Any]]] = defaultdict(dict)
    for row in rows:
        groups[(row.level, row.breakdown)][row.step] = row
    answer: FunnelFigures = {"steps": _steps(funnel, groups[(0, "")])}
    if funnel.breakdown is not None:
        values = [value for level, value in groups if level == 1]
        values.sort(key=lambda value: (-_first(groups[(1, value)]), value))
        answer["breakdown"] = {value: _steps(funnel, groups[(1, value)]) for value in values}
    return answer


def _first(rows: dict[int, Row[Any]]) -> int:
    return rows[1].persons if 1 in rows else 0


def _seconds(microseconds: float | None) -> float | None:
    return None if microseconds is None else microseconds / 1_000_000


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _steps(funnel: Funnel, rows: dict[int, Row[Any]]) -> list[FunnelStep]:
    counts = [rows[step].persons if step in rows else 0 for step in range(1, funnel.size + 1)]
    answer: list[FunnelStep] = []
    for index, match in enumerate(funnel.steps):
        row = rows.get(index + 1)
        previous = counts[index - 1] if index else counts[0]
        following = counts[index + 1] if index + 1 < funnel.size else counts[index]
        answer.append(
            {
                "event": match.event,
                "persons": counts[index],
                "dropped": counts[index] - following,
                "conversion_from_first": _share(counts[index], counts[0]),
                "conversion_from_previous": _share(counts[index], previous),
                "median_seconds_from_previous": _seconds(row.median_us if row else None),
                "average_seconds_from_previous": _seconds(row.mean_us if row else None),
            }
        )
    return answer


def funnel_table(answer: FunnelFigures) -> Iterator[dict[str, Any]]:
    """The answer as rows for CSV: everyone first (breakdown empty), then each value."""
    groups: list[tuple[str, list[FunnelStep]]] = [
        ("", answer["steps"]),
        *answer.get("breakdown", {}).items(),
    ]
    for value, steps in groups:
        for number, step in enumerate(steps, start=1):
            yield {"breakdown": value, "step": number, **step}


def persons_columns(funnel: Funnel) -> tuple[str, ...]:
    steps = tuple(f"step_{number}_at" for number in range(1, funnel.size + 1))
    return ("person_id", "user_id", "breakdown", *steps)


def _person(funnel: Funnel, row: Row[Any]) -> FunnelPerson:
    times: Sequence[datetime | None] = row[3:]
    return {
        "person_id": row.person_id,
        "user_id": row.user_id,
        "breakdown": row.breakdown if funnel.breakdown is not None else None,
        "step_times": list(times),
    }


def person_row(funnel: Funnel, person: FunnelPerson) -> dict[str, Any]:
    """A person of the list as a CSV row: one column per step time."""
    times = dict(zip(persons_columns(funnel)[3:], person["step_times"], strict=True))
    return {**person, **times}


def encode_person_cursor(person_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(person_id.bytes).decode().rstrip("=")


def decode_person_cursor(cursor: str | None) -> uuid.UUID | None:
    if not cursor:
        return None
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise BadRequest(
            "invalid cursor", fields={"cursor": ["is not a cursor this API gave"]}
        ) from None


def persons_page(
    engine: Engine,
    funnel: Funnel,
    step: int,
    *,
    dropped: bool,
    breakdown: str | None,
    cursor: str | None,
    limit: int,
) -> FunnelPersonsPage:
    """A page of the persons who reached ``step`` (and, if ``dropped``, went no further)."""
    statement = persons_at_step(
        funnel,
        step,
        dropped=dropped,
        breakdown=breakdown,
        after=decode_person_cursor(cursor),
        limit=limit + 1,
    )
    with analysis_transaction(engine) as connection:
        rows = connection.execute(statement).all()
    page, more = rows[:limit], len(rows) > limit
    return {
        "data": [_person(funnel, row) for row in page],
        "has_more": more,
        "next_cursor": encode_person_cursor(page[-1].person_id) if more else None,
    }


def all_persons(
    engine: Engine, funnel: Funnel, step: int, *, dropped: bool, breakdown: str | None
) -> Iterator[dict[str, Any]]:
    """Every such person, streamed from one statement (the funnel is computed once)."""
    statement = persons_at_step(
        funnel, step, dropped=dropped, breakdown=breakdown, after=None, limit=None
    )
    with analysis_transaction(engine) as connection:
        result = connection.execution_options(yield_per=EXPORT_BATCH).execute(statement)
        for row in result:
            yield person_row(funnel, _person(funnel, row))
