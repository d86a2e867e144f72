"""Inserts whose spelling differs between the databases: duplicates skipped, rows in bulk,
counters added to, and the keys a bulk insert stored for the first time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert, select

from collector.kit.db.backends import backend_of, insert_ignoring_duplicates
from collector.kit.db.engine import read_transaction, write_transaction
from collector.kit.db.models import Event, Person, PersonEventDay, Suppression, table_of
from collector.projects.service import CreatedProject

_events = table_of(Event)
_persons = table_of(Person)
_event_days = table_of(PersonEventDay)
_suppressions = table_of(Suppression)
NOW = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)
COLUMNS = ("project_id", "message_id", "type", "timestamp", "received_at", "properties")


def _rows(
    connection: Connection, project: CreatedProject, *messages: tuple[str, Any]
) -> list[tuple[Any, ...]]:
    """Event rows of driver values, in ``COLUMNS`` order: ``(message id, properties)``."""
    values = backend_of(connection).values
    project_id, moment = values.bind_uuid(project.id), values.bind_time(NOW)
    return [
        (project_id, message_id, "track", moment, moment, values.bind_json(properties))
        for message_id, properties in messages
    ]


def _stored(engine: Engine, project: CreatedProject) -> dict[str, Any]:
    """The project's events: message id to properties."""
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_events.c.message_id, _events.c.properties).where(
                _events.c.project_id == project.id
            )
        )
        return {row.message_id: row.properties for row in rows}


def _stored_ids(connection: Connection, project: CreatedProject) -> list[str]:
    return list(
        connection.execute(
            select(_events.c.message_id).where(_events.c.project_id == project.id)
        ).scalars()
    )


def _insert_many(engine: Engine, project: CreatedProject, *messages: tuple[str, Any]) -> None:
    with write_transaction(engine) as connection:
        backend_of(connection).insert_many_ignoring_duplicates(
            connection, _events, COLUMNS, _rows(connection, project, *messages)
        )


def _insert_reporting(
    engine: Engine, project: CreatedProject, *messages: tuple[str, Any]
) -> list[Any]:
    with write_transaction(engine) as connection:
        return backend_of(connection).insert_many_reporting_new(
            connection,
            _events,
            COLUMNS,
            _rows(connection, project, *messages),
            key="message_id",
            stored=lambda: _stored_ids(connection, project),
        )


def test_bulk_rows_of_driver_values_read_back_as_core_wrote_them(
    engine: Engine, project: CreatedProject
) -> None:
    _insert_many(engine, project, ("m1", {"plan": "pro", "seats": [1, 2]}))
    with read_transaction(engine) as connection:
        row = connection.execute(select(_events).where(_events.c.project_id == project.id)).one()
    assert (row.project_id, row.timestamp, row.received_at) == (project.id, NOW, NOW)
    assert row.properties == {"plan": "pro", "seats": [1, 2]}


def test_a_bulk_none_is_stored_as_json_null_as_core_stores_it(
    engine: Engine, project: CreatedProject
) -> None:
    _insert_many(engine, project, ("m1", None))
    with read_transaction(engine) as connection:
        sql_nulls = connection.execute(
            select(_events.c.id).where(
                _events.c.project_id == project.id, _events.c.properties.is_(None)
            )
        ).all()
    assert sql_nulls == []


def test_a_bulk_insert_skips_rows_whose_unique_key_is_stored(
    engine: Engine, project: CreatedProject
) -> None:
    _insert_many(engine, project, ("m1", {"first": True}))
    _insert_many(engine, project, ("m1", {"first": False}), ("m2", {}))
    assert _stored(engine, project) == {"m1": {"first": True}, "m2": {}}


def test_a_bulk_insert_of_no_rows_stores_nothing(engine: Engine, project: CreatedProject) -> None:
    _insert_many(engine, project)
    assert _stored(engine, project) == {}


def test_a_reporting_insert_returns_each_key_it_stored_once(
    engine: Engine, project: CreatedProject
) -> None:
    _insert_many(engine, project, ("old", {}))
    new = _insert_reporting(engine, project, ("old", {}), ("a", {}), ("b", {}), ("a", {}))
    assert sorted(new) == ["a", "b"]


def test_a_reporting_insert_stores_the_first_of_duplicate_rows(
    engine: Engine, project: CreatedProject
) -> None:
    _insert_reporting(engine, project, ("a", {"n": 1}), ("a", {"n": 2}))
    assert _stored(engine, project) == {"a": {"n": 1}}


def test_a_reporting_insert_of_no_rows_reports_none(
    engine: Engine, project: CreatedProject
) -> None:
    assert _insert_reporting(engine, project) == []


def _suppress(engine: Engine, project: CreatedProject, id_hash: str, dropped: int) -> None:
    row = {"project_id": project.id, "id_hash": id_hash, "created_at": NOW, "dropped_count": 0}
    with write_transaction(engine) as connection:
        connection.execute(insert_ignoring_duplicates(connection, _suppressions), [row])
        statement = backend_of(connection).insert_on_conflict(_suppressions)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["project_id", "id_hash"],
                set_={
                    "dropped_count": _suppressions.c.dropped_count
                    + statement.excluded.dropped_count
                },
            ),
            [{**row, "dropped_count": dropped}],
        )


def _dropped(engine: Engine, project: CreatedProject) -> dict[str, int]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_suppressions.c.id_hash, _suppressions.c.dropped_count).where(
                _suppressions.c.project_id == project.id
            )
        )
        return {row.id_hash: row.dropped_count for row in rows}


def test_an_insert_ignoring_duplicates_leaves_the_stored_row_alone(
    engine: Engine, project: CreatedProject
) -> None:
    row = {"project_id": project.id, "id_hash": "h", "created_at": NOW, "dropped_count": 0}
    with write_transaction(engine) as connection:
        for dropped in (1, 2):
            statement = insert_ignoring_duplicates(connection, _suppressions)
            connection.execute(statement, [{**row, "dropped_count": dropped}])
    assert _dropped(engine, project) == {"h": 1}


def test_an_upsert_adds_to_the_stored_row(engine: Engine, project: CreatedProject) -> None:
    _suppress(engine, project, "h", 2)
    _suppress(engine, project, "h", 3)
    assert _dropped(engine, project) == {"h": 5}


def _new_person(engine: Engine, project: CreatedProject) -> uuid.UUID:
    person = uuid.uuid4()
    with write_transaction(engine) as connection:
        connection.execute(
            insert(_persons),
            [
                {
                    "id": person,
                    "project_id": project.id,
                    "traits": {},
                    "trait_times": {},
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ],
        )
    return person


def _add_event_days(
    engine: Engine, project: CreatedProject, counts: dict[tuple[uuid.UUID, str, date], int]
) -> None:
    with write_transaction(engine) as connection:
        backend_of(connection).add_event_days(connection, project.id, counts)


def _counters(engine: Engine, person: uuid.UUID) -> Sequence[tuple[str, date, int]]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_event_days.c.event, _event_days.c.day, _event_days.c.count)
            .where(_event_days.c.person_id == person)
            .order_by(_event_days.c.event, _event_days.c.day)
        )
        return [(event, day, count) for event, day, count in rows]


def test_event_days_add_to_stored_counters_and_start_missing_ones(
    engine: Engine, project: CreatedProject
) -> None:
    person, day = _new_person(engine, project), date(2026, 11, 25)
    _add_event_days(engine, project, {(person, "Opened", day): 2})
    _add_event_days(engine, project, {(person, "Opened", day): 3, (person, "Shared", day): 1})
    assert _counters(engine, person) == [("Opened", day, 5), ("Shared", day, 1)]


def test_no_event_days_change_nothing(engine: Engine, project: CreatedProject) -> None:
    person = _new_person(engine, project)
    _add_event_days(engine, project, {})
    assert _counters(engine, person) == []


def test_a_naive_time_is_refused_before_it_reaches_the_database(engine: Engine) -> None:
    with pytest.raises(ValueError, match="naive"):
        backend_of(engine).values.bind_time(datetime(2026, 11, 25, 12, 0))
