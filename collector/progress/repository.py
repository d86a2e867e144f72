"""SQL for experience progress, impressions, survey responses and event counters.

Never commits: these rows are written in the ingest transaction, with the events that
caused them.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, literal, select, tuple_, update

from collector.kit.db.backends import backend_of, insert_ignoring_duplicates
from collector.kit.db.models import (
    Experience,
    ExperienceState,
    ExperienceVersion,
    Impression,
    PersonEventDay,
    SurveyResponse,
    table_of,
)
from collector.progress.reserved import ExperienceRef
from collector.progress.states import State, combine_states

_experiences = table_of(Experience)
_versions = table_of(ExperienceVersion)
_states = table_of(ExperienceState)
_impressions = table_of(Impression)
_responses = table_of(SurveyResponse)
_event_days = table_of(PersonEventDay)

StateKey = tuple[uuid.UUID, uuid.UUID]
"""``(experience_id, person_id)``."""
_STATE_FIELDS = [field for field in State.__slots__ if field != "__weakref__"]


def load_experiences(
    connection: Connection, project_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, ExperienceRef]:
    """The project's experiences among ``ids``, with every version's definition."""
    if not ids:
        return {}
    rows = connection.execute(
        select(_experiences).where(
            _experiences.c.project_id == project_id, _experiences.c.id.in_(sorted(ids))
        )
    ).all()
    versions: dict[uuid.UUID, dict[int, Any]] = {
        row.id: {row.version: row.definition} for row in rows
    }
    if versions:
        for version in connection.execute(
            select(_versions.c.experience_id, _versions.c.version, _versions.c.definition).where(
                _versions.c.experience_id.in_(sorted(versions))
            )
        ):
            versions[version.experience_id].setdefault(version.version, version.definition)
    return {
        row.id: ExperienceRef(row.id, row.kind, row.type, row.status, row.version, versions[row.id])
        for row in rows
    }


def live_checklists(connection: Connection, project_id: uuid.UUID) -> list[ExperienceRef]:
    rows = connection.execute(
        select(_experiences).where(
            _experiences.c.project_id == project_id,
            _experiences.c.type == "checklist",
            _experiences.c.status == "live",
        )
    )
    return [
        ExperienceRef(
            row.id, row.kind, row.type, row.status, row.version, {row.version: row.definition}
        )
        for row in rows
    ]


def lock_states(
    connection: Connection,
    project_id: uuid.UUID,
    versions: Mapping[StateKey, int],
    now: datetime,
) -> dict[StateKey, State]:
    """The states of these (experience, person) pairs, created when missing, locked."""
    if not versions:
        return {}
    keys = sorted(versions)
    connection.execute(
        insert_ignoring_duplicates(connection, _states),
        [_state_row(project_id, key, State(version=versions[key]), now) for key in keys],
    )
    rows = connection.execute(
        select(_states)
        .where(tuple_(_states.c.experience_id, _states.c.person_id).in_(keys))
        .order_by(_states.c.id)
        .with_for_update()
    )
    return {
        (row.experience_id, row.person_id): State(
            **{field: getattr(row, field) for field in _STATE_FIELDS}
        )
        for row in rows
    }


def _state_row(project_id: uuid.UUID, key: StateKey, state: State, now: datetime) -> dict[str, Any]:
    values = {field: getattr(state, field) for field in _STATE_FIELDS}
    return {
        "project_id": project_id,
        "experience_id": key[0],
        "person_id": key[1],
        "updated_at": now,
        **values,
        "completed_items": list(state.completed_items),
    }


def save_states(
    connection: Connection, project_id: uuid.UUID, states: Mapping[StateKey, State], now: datetime
) -> None:
    if not states:
        return
    values: dict[str, Any] = {field: bindparam(f"v_{field}") for field in _STATE_FIELDS}
    connection.execute(
        update(_states)
        .where(
            _states.c.experience_id == bindparam("k_experience"),
            _states.c.person_id == bindparam("k_person"),
        )
        .values(updated_at=now, **values),
        [
            {
                "k_experience": key[0],
                "k_person": key[1],
                **{f"v_{field}": getattr(state, field) for field in _STATE_FIELDS},
            }
            for key, state in states.items()
        ],
    )


def _insert_once(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Rows keyed by ``(project, messageId)``: a retried message's rows are skipped."""
    rows = list(rows)
    if rows:
        connection.execute(insert_ignoring_duplicates(connection, table), rows)


def insert_impressions(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    _insert_once(connection, _impressions, rows)


def insert_responses(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    _insert_once(connection, _responses, rows)


def add_event_days(
    connection: Connection,
    project_id: uuid.UUID,
    counts: Mapping[tuple[uuid.UUID, str, date], int],
) -> None:
    """Add to each person's daily count of an event, creating the counter when needed."""
    backend_of(connection).add_event_days(connection, project_id, counts)


def move_progress(
    connection: Connection, project_id: uuid.UUID, *, loser: uuid.UUID, survivor: uuid.UUID
) -> None:
    """Give ``survivor`` everything ``loser`` did with experiences, before ``loser`` goes.

    Counters add up. Where both have a state with the same experience, the survivor's is
    kept: it is the identified person's, whom the experience was delivered to.
    """
    for table in (_impressions, _responses):
        connection.execute(
            update(table)
            .where(table.c.project_id == project_id, table.c.person_id == loser)
            .values(person_id=survivor)
        )
    _add_event_days(connection, loser=loser, survivor=survivor)
    _combine_shared_states(connection, project_id, loser=loser, survivor=survivor)
    connection.execute(
        update(_states).where(_states.c.person_id == loser).values(person_id=survivor)
    )


def _combine_shared_states(
    connection: Connection, project_id: uuid.UUID, *, loser: uuid.UUID, survivor: uuid.UUID
) -> None:
    """Where both persons have a state with an experience, fold the loser's into the other."""
    shared = connection.execute(
        select(_states.c.experience_id, _states.c.version).where(
            _states.c.person_id == loser,
            _states.c.experience_id.in_(
                select(_states.c.experience_id).where(_states.c.person_id == survivor)
            ),
        )
    ).all()
    if not shared:
        return
    now = datetime.now(UTC)
    keys = {
        (row.experience_id, person): row.version for row in shared for person in (loser, survivor)
    }
    states = lock_states(connection, project_id, keys, now)
    combined = {}
    for row in shared:
        kept, other = states[(row.experience_id, survivor)], states[(row.experience_id, loser)]
        definition = _definition(connection, row.experience_id, max(kept.version, other.version))
        combined[(row.experience_id, survivor)] = combine_states(kept, other, definition, at=now)
    save_states(connection, project_id, combined, now)
    connection.execute(
        delete(_states).where(
            _states.c.person_id == loser,
            _states.c.experience_id.in_([row.experience_id for row in shared]),
        )
    )


def _definition(
    connection: Connection, experience_id: uuid.UUID, version: int
) -> Mapping[str, Any] | None:
    """One version's definition: what a combined state is judged complete against."""
    definition: Mapping[str, Any] | None = connection.execute(
        select(_versions.c.definition).where(
            _versions.c.experience_id == experience_id, _versions.c.version == version
        )
    ).scalar()
    return definition


def _add_event_days(connection: Connection, *, loser: uuid.UUID, survivor: uuid.UUID) -> None:
    columns = ["project_id", "person_id", "event", "day", "count"]
    rows = select(
        _event_days.c.project_id,
        literal(survivor, _event_days.c.person_id.type),
        _event_days.c.event,
        _event_days.c.day,
        _event_days.c.count,
    ).where(_event_days.c.person_id == loser)
    statement = backend_of(connection).insert_on_conflict(_event_days).from_select(columns, rows)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["project_id", "person_id", "event", "day"],
            set_={"count": _event_days.c.count + statement.excluded.count},
        )
    )
    connection.execute(delete(_event_days).where(_event_days.c.person_id == loser))
