"""Tour and checklist analytics: run the statements and shape their counts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row

from collector.analytics.flows import queries
from collector.analytics.flows.queries import FlowFilter
from collector.analytics.flows.results import ChecklistFigures, StuckPerson, TourFigures
from collector.analytics.surveys.scoring import share
from collector.experiences.repository import find_experience
from collector.kit.db.engine import read_transaction
from collector.kit.db.paging import Page, all_rows, read_page
from collector.kit.errors import BadRequest, NotFound

DEFAULT_STUCK_DAYS = 7
STUCK_COLUMNS = (
    "person_id",
    "user_id",
    "status",
    "completed_items",
    "first_shown_at",
    "last_progress_at",
)
STEP_COLUMNS = ("kind", "id", "persons", "share")


def _flow(connection: Connection, where: FlowFilter) -> Row[Any]:
    row = find_experience(connection, where.project_id, "flow", where.flow_id)
    if row is None:
        raise NotFound(f"no flow with id {where.flow_id} in this project")
    return row


def _seconds(connection: Connection, statement: Any) -> float | None:
    value = connection.execute(statement).scalar()
    return None if value is None else float(value)


def _step_ids(definition: Mapping[str, Any]) -> list[str]:
    return [step["id"] for step in definition.get("steps") or () if "id" in step]


def _by_step(counts: Sequence[Row[Any]], event: str, known: list[str]) -> dict[str, int]:
    """Persons per step of ``event``: the flow's steps in order, then any others seen."""
    found = {row.step: row.persons for row in counts if row.event == event}
    ordered = {step: found.pop(step, 0) for step in known}
    return {**ordered, **dict(sorted(found.items()))}


def _tour(connection: Connection, where: FlowFilter, definition: Mapping[str, Any]) -> TourFigures:
    totals = connection.execute(queries.tour_totals(where)).one()
    counts = connection.execute(queries.tour_counts(where)).all()
    steps = _step_ids(definition)
    reached = _by_step(counts, "Flow Step Viewed", steps)
    dismissed_at = _by_step(counts, "Flow Dismissed", [])
    return {
        "flow_id": where.flow_id,
        "type": "tour",
        "from": where.start,
        "to": where.end,
        "started": totals.started,
        "steps": [
            {"id": step, "persons": n, "share": share(n, totals.started)}
            for step, n in reached.items()
        ],
        "completed": totals.completed,
        "completion_rate": share(totals.completed, totals.started),
        "dismissed": totals.dismissed,
        "dismissed_at": [
            {"id": step or None, "persons": n} for step, n in dismissed_at.items() if n
        ],
        "median_seconds_to_complete": _seconds(connection, queries.tour_completion_seconds(where)),
    }


def _checklist(
    connection: Connection, where: FlowFilter, flow: Row[Any], stuck_days: int
) -> ChecklistFigures:
    items = list(flow.definition.get("items") or ())
    ids = [item["id"] for item in items]
    row = connection.execute(queries.checklist_counts(where, ids, stuck_since(stuck_days))).one()
    started = row.started
    done = [int(row._mapping[f"item_{index}"] or 0) for index in range(len(ids))]
    span = queries.checklist_span_seconds(where, items, flow.created_at)
    return {
        "flow_id": where.flow_id,
        "type": "checklist",
        "from": where.start,
        "to": where.end,
        "stuck_days": stuck_days,
        "started": started,
        "items": [
            {"id": item, "persons": n, "share": share(n, started)}
            for item, n in zip(ids, done, strict=True)
        ],
        "completed": int(row.completed or 0),
        "completion_rate": share(int(row.completed or 0), started),
        "stuck": int(row.stuck or 0),
        "median_seconds_first_to_last_item": _seconds(connection, span),
    }


def stuck_since(days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=days)


def flow_analytics(
    engine: Engine, where: FlowFilter, *, stuck_days: int
) -> TourFigures | ChecklistFigures:
    """What people did with a tour or a checklist that they started in the range."""
    with read_transaction(engine) as connection:
        flow = _flow(connection, where)
        if flow.type == "checklist":
            return _checklist(connection, where, flow, stuck_days)
        if flow.type != "tour":
            raise BadRequest(
                f"analytics cover tours and checklists, not {flow.type}s",
                fields={"id": ["is not a tour or a checklist"]},
            )
        return _tour(connection, where, flow.definition)


def analytics_rows(result: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The step (tour) or item (checklist) table of an analysis, for CSV."""
    for step in result.get("steps", []):
        yield {"kind": "step", **step}
    for dismissal in result.get("dismissed_at", []):
        yield {
            "kind": "dismissed_at",
            **dismissal,
            "share": share(dismissal["persons"], result["started"]),
        }
    for item in result.get("items", []):
        yield {"kind": "item", **item}


def require_checklist(engine: Engine, where: FlowFilter) -> None:
    with read_transaction(engine) as connection:
        if _flow(connection, where).type != "checklist":
            raise BadRequest(
                "only checklists have stuck persons", fields={"id": ["is not a checklist"]}
            )


def _shape_stuck(row: Row[Any]) -> StuckPerson:
    return StuckPerson(
        person_id=row.person_id,
        user_id=row.user_id,
        status=row.status,
        completed_items=row.completed_items,
        first_shown_at=row.first_shown_at,
        last_progress_at=row.last_progress_at,
    )


def _stuck_query(where: FlowFilter, before: datetime) -> Any:
    return lambda after, limit: queries.stuck_page(where, before, after_id=after, limit=limit)


def stuck_persons(
    engine: Engine, where: FlowFilter, *, days: int, cursor: str | None, limit: int
) -> Page[StuckPerson]:
    """A page of the persons stuck on a checklist: started, no progress for ``days``."""
    query = _stuck_query(where, stuck_since(days))
    return read_page(engine, query, _shape_stuck, cursor=cursor, limit=limit)


def all_stuck_persons(engine: Engine, where: FlowFilter, *, days: int) -> Iterator[StuckPerson]:
    return (_shape_stuck(row) for row in all_rows(engine, _stuck_query(where, stuck_since(days))))
